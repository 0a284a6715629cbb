using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>
    /// A packed, cache-blocked SGEMM (the BLIS/GotoBLAS scheme): C[MC×NC] blocks are computed from an A block packed
    /// into MR-row panels and a B block packed into NR-column panels (both KC deep, so one B panel stays in L1 and the
    /// A block in L2), by a register-blocked micro-kernel holding an MR×NR tile of C in vector registers.
    /// Edge tiles are computed into a scratch tile and copied; packed panels are zero-padded.
    /// <para>
    /// B is packed once per NC-column block and up to <see cref="MaxPackedDepth"/> of K at a time, cooperatively (one
    /// launch over its KC×NR panels) into one shared buffer; then every thread computes an equal, MR-aligned share of C's
    /// rows against all of it, packing only its own rows of A (a second launch). Packing B per thread instead cost the
    /// whole of B once per thread, a large part of the work when M is small (the MLP's 128-row products); packing and
    /// computing per KC block instead took twice as many launches, each a point where one preempted thread stalls the
    /// others.
    /// </para>
    /// </summary>
    private void PackedGemm(PackedGemmOperands gemm, int threads)
    {
        const int KC = PackedGemmOperands.KC, NC = PackedGemmOperands.NC, MC = PackedGemmOperands.MC, MR = PackedGemmOperands.MR;
        int nr = gemm.NR;
        // K in equal blocks of at most KC (784 = 4 x 196, not 3 x 256 + 16: a 16-deep block spends its time loading and
        // storing C tiles), grouped into packed spans of at most MaxPackedDepth.
        int kBlocks = (gemm.K + KC - 1) / KC, kcStep = (gemm.K + kBlocks - 1) / kBlocks;
        int spanDepth = kcStep * Math.Max(1, MaxPackedDepth / kcStep);
        int widest = (Math.Min(NC, gemm.N) + nr - 1) / nr * nr;
        // Row chunks of at least MC rows (a B micro-panel is reused from L1 across a whole A block), several per thread
        // where the rows allow it, and a whole number per thread (5 chunks on 2 threads would leave one thread 3 of them).
        int computeChunks = Math.Clamp(gemm.RowPanels / (MC / MR), threads, threads * ChunksPerThread) / threads * threads;
        float[] bPack = _scratch.Rent(Math.Min(gemm.K, spanDepth) * widest);
        try
        {
            for (int jc = 0; jc < gemm.N; jc += NC)
            {
                int nc = Math.Min(NC, gemm.N - jc), panels = (nc + nr - 1) / nr;
                for (int k0 = 0; k0 < gemm.K; k0 += spanDepth)
                {
                    var span = new PackedSpan(k0, Math.Min(gemm.K, k0 + spanDepth), kcStep, jc, nc, panels, nr);
                    var pack = new PackBPanels(gemm, bPack, span);
                    var compute = new ComputeRowPanels(gemm, bPack, span, _scratch);
                    int packUnits = span.Blocks * panels;
                    if (threads <= 1)
                    {
                        pack.Run(0, packUnits);
                        compute.Run(0, gemm.RowPanels);
                    }
                    else
                    {
                        _workers.Run(packUnits, threads * ChunksPerThread, threads, ref pack);
                        _workers.Run(gemm.RowPanels, computeChunks, threads, ref compute);
                    }
                }
            }
        }
        finally
        {
            _scratch.Return(bPack);
        }
    }

    /// <summary>Most of K packed at once (per NC-column block): 2048 x 1024 floats, 8 MiB of scratch at most.</summary>
    private const int MaxPackedDepth = 2048;

    /// <summary>Threads for a GEMM of <paramref name="flops"/>: one per <see cref="GemmFlopsPerThread"/> (at least one), at
    /// most one per MR-row panel of C.</summary>
    private int GemmThreads(double flops, int m) =>
        Math.Max(1, (int)Math.Min(MaxThreads, Math.Min((m + PackedGemmOperands.MR - 1) / PackedGemmOperands.MR, flops / GemmFlopsPerThread)));

    /// <summary>The part of B packed at once: K rows <c>[K0, KEnd)</c> in blocks of <c>KcStep</c>, columns
    /// <c>[Jc, Jc + Nc)</c> in <c>Panels</c> Nr-column panels. Block q starts at <c>q·KcStep·Panels·Nr</c>.</summary>
    private readonly record struct PackedSpan(int K0, int KEnd, int KcStep, int Jc, int Nc, int Panels, int Nr)
    {
        public int Blocks => (KEnd - K0 + KcStep - 1) / KcStep;

        public int BlockOffset(int pc) => (pc - K0) * Panels * Nr;
    }

    /// <summary>Packs the (K block, NR panel) units <c>[start, end)</c> of a span of B into the shared buffer.</summary>
    private readonly struct PackBPanels(PackedGemmOperands gemm, float[] bPack, PackedSpan span) : IChunkBody
    {
        public void Run(int start, int end)
        {
            for (int unit = start; unit < end; unit++)
            {
                int pc = span.K0 + unit / span.Panels * span.KcStep, panel = unit % span.Panels;
                gemm.PackB(bPack, span.BlockOffset(pc), pc, Math.Min(span.KcStep, span.KEnd - pc), span.Jc, span.Nc, panel, panel + 1);
            }
        }
    }

    /// <summary>Computes C's MR-row panels <c>[start, end)</c> against a packed span of B, packing A an MC×KC block at a
    /// time into this thread's own scratch.</summary>
    private readonly struct ComputeRowPanels(PackedGemmOperands gemm, float[] bPack, PackedSpan span, CpuScratch scratch)
        : IChunkBody
    {
        public void Run(int start, int end)
        {
            const int MR = PackedGemmOperands.MR, MC = PackedGemmOperands.MC;
            int nr = gemm.NR, nc = span.Nc;
            int rowStart = start * MR, rowEnd = Math.Min(gemm.M, end * MR);
            float[] aPack = scratch.Rent(MC * PackedGemmOperands.KC + 8); // + the two floats InterleaveSixRows may overrun
            float[] tile = scratch.Rent(MR * nr);
            try
            {
                for (int pc = span.K0; pc < span.KEnd; pc += span.KcStep)
                {
                    int kc = Math.Min(span.KcStep, span.KEnd - pc), bBlock = span.BlockOffset(pc);
                    bool add = gemm.Accumulate || pc > 0;
                    for (int ic = rowStart; ic < rowEnd; ic += MC)
                    {
                        int mc = Math.Min(MC, rowEnd - ic);
                        gemm.PackA(aPack, ic, mc, pc, kc);
                        for (int jr = 0; jr < nc; jr += nr)
                            for (int ir = 0; ir < mc; ir += MR)
                                gemm.MicroTile(aPack, ir * kc, bPack, bBlock + jr * kc, kc, ic + ir, span.Jc + jr,
                                    Math.Min(MR, mc - ir), Math.Min(nr, nc - jr), add, tile);
                    }
                }
            }
            finally
            {
                scratch.Return(aPack);
                scratch.Return(tile);
            }
        }
    }

    /// <summary>The operands of one packed GEMM, C[m, n] (+)= a · b with a and b read through <see cref="GemmSource"/>
    /// strides, and the packing and micro-kernel code that works on them.</summary>
    private readonly struct PackedGemmOperands(GemmSource src, float[] c, int m, int n, int k, bool accumulate, int vectorBits)
    {
        public const int MR = 6, MC = 96, KC = 256, NC = 1024;

        /// <summary>Columns per micro-tile: two vectors (32 with AVX-512, 16 with AVX2, 8 with 128-bit vectors).</summary>
        public int NR => vectorBits / 16;

        public int M => m;
        public int N => n;
        public int K => k;
        public bool Accumulate => accumulate;
        public int RowPanels => (m + MR - 1) / MR;

        /// <summary>Guards the unchecked packing loops: <c>[start, start + count)</c> must lie inside the operand.</summary>
        private static void CheckRange(int start, int count, int length)
        {
            if (start < 0 || (long)start + count > length)
                throw new IndexOutOfRangeException($"GEMM operand range [{start}, {(long)start + count}) is outside an array of {length}.");
        }

        /// <summary>Packs A[ic..ic+mc, pc..pc+kc] as MR-row panels: panel-major, then p, then the MR rows. Reads follow
        /// A's contiguous axis (rows of A, or its columns when A is transposed); writes go to the small panel.</summary>
        public void PackA(float[] dst, int ic, int mc, int pc, int kc)
        {
            float[] A = src.A;
            int rs = src.ARow, cs = src.ACol;
            for (int ir = 0, o = 0; ir < mc; ir += MR, o += MR * kc)
            {
                int rows = Math.Min(MR, mc - ir);
                if (cs == 1 && rows == MR)
                {
                    InterleaveSixRows(ref A[(ic + ir) * rs + pc], rs, ref dst[o], kc);
                    continue;
                }
                if (rows < MR) dst.AsSpan(o, MR * kc).Clear();
                if (cs == 1)
                {
                    for (int r = 0; r < rows; r++)
                        Transpose(ref A[(ic + ir + r) * rs + pc], ref dst[o + r], kc, MR);
                    continue;
                }
                int p = 0;
                if (rows == MR && Vector256.IsHardwareAccelerated)
                {
                    // Six floats per step as one 8-float load and store; the store's extra two land in the next step's
                    // slots (or the buffer's slack) and are overwritten. The last steps stay scalar where the load would
                    // read past the end of A.
                    int room = A.Length - 8 - ic - ir;
                    int safe = room < 0 ? 0 : Math.Min(kc, room / cs - pc + 1);
                    ref float from = ref A[ic + ir];
                    ref float to = ref dst[o];
                    for (; p < safe; p++)
                        Vector256.LoadUnsafe(ref from, (nuint)((pc + p) * cs)).StoreUnsafe(ref to, (nuint)(p * MR));
                }
                for (; p < kc; p++)
                {
                    var column = A.AsSpan((pc + p) * cs + ic + ir, rows);
                    column.CopyTo(dst.AsSpan(o + p * MR, rows));
                }
            }
        }

        /// <summary>Packs panels <c>[panelStart, panelEnd)</c> of B[pc..pc+kc, jc..jc+nc] at <paramref name="dstOffset"/> as NR-column panels: panel-major,
        /// then p, then the NR columns. Reads follow B's contiguous axis (rows of B, or its columns when B is transposed).</summary>
        public void PackB(float[] dst, int dstOffset, int pc, int kc, int jc, int nc, int panelStart, int panelEnd)
        {
            float[] B = src.B;
            int rs = src.BRow, cs = src.BCol, nr = NR;
            for (int panel = panelStart; panel < panelEnd; panel++)
            {
                int jr = panel * nr, o = dstOffset + jr * kc;
                int cols = Math.Min(nr, nc - jr);
                if (cols < nr) dst.AsSpan(o, nr * kc).Clear();
                if (cs == 1 && cols == nr)
                {
                    // A full panel row is two vectors: move them directly (a Memmove call per row cost ~10% of an NN product).
                    CheckRange(pc * rs + jc + jr, (kc - 1) * rs + nr, B.Length);
                    ref float from = ref B[pc * rs + jc + jr];
                    ref float to = ref dst[o];
                    switch (vectorBits)
                    {
                        case 512: CopyPanelRows<Simd512, Vector512<float>>(ref from, rs, ref to, kc); break;
                        case 256: CopyPanelRows<Simd256, Vector256<float>>(ref from, rs, ref to, kc); break;
                        default: CopyPanelRows<Simd128, Vector128<float>>(ref from, rs, ref to, kc); break;
                    }
                    continue;
                }
                if (cs == 1)
                {
                    for (int p = 0; p < kc; p++) B.AsSpan((pc + p) * rs + jc + jr, cols).CopyTo(dst.AsSpan(o + p * nr, cols));
                    continue;
                }
                TransposeBlock(ref B[(jc + jr) * cs + pc], cs, ref dst[o], nr, cols, kc);
            }
        }

        public void MicroTile(float[] a, int aOff, float[] b, int bOff, int kc, int i, int j, int rows, int cols, bool add, float[] tile)
        {
            // A full-width tile goes straight to C, computing only its real rows (M = 128 leaves a 2-row tile in every
            // column of panels: computing it as 6 rows through the scratch tile cost ~4% of such products); a narrower
            // one goes through the scratch tile.
            bool wide = cols == NR;
            float[] dst = wide ? c : tile;
            int dOff = wide ? i * n + j : 0, ld = wide ? n : NR, kernelRows = wide ? rows : MR;
            switch (vectorBits)
            {
                case 512: KernelRows<Simd512, Vector512<float>>(kernelRows, a, aOff, b, bOff, kc, dst, dOff, ld, wide && add); break;
                case 256: KernelRows<Simd256, Vector256<float>>(kernelRows, a, aOff, b, bOff, kc, dst, dOff, ld, wide && add); break;
                default: KernelRows<Simd128, Vector128<float>>(kernelRows, a, aOff, b, bOff, kc, dst, dOff, ld, wide && add); break;
            }
            if (wide) return;
            for (int r = 0; r < rows; r++)
            {
                var from = tile.AsSpan(r * NR, cols);
                var to = c.AsSpan((i + r) * n + j, cols);
                if (add) TensorPrimitives.Add(to, from, to); else from.CopyTo(to);
            }
        }

        /// <summary>The micro-kernel specialised for a tile of <paramref name="rows"/> (1-6) rows.</summary>
        private static void KernelRows<S, V>(int rows, float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ld, bool add)
            where S : ISimd<V> where V : struct
        {
            switch (rows)
            {
                case 6: Kernel<S, V, Rows6>(a, ao, b, bo, kc, c, co, ld, add); break;
                case 5: Kernel<S, V, Rows5>(a, ao, b, bo, kc, c, co, ld, add); break;
                case 4: Kernel<S, V, Rows4>(a, ao, b, bo, kc, c, co, ld, add); break;
                case 3: Kernel<S, V, Rows3>(a, ao, b, bo, kc, c, co, ld, add); break;
                case 2: Kernel<S, V, Rows2>(a, ao, b, bo, kc, c, co, ld, add); break;
                default: Kernel<S, V, Rows1>(a, ao, b, bo, kc, c, co, ld, add); break;
            }
        }

        /// <summary>Copies <paramref name="kc"/> rows of a full panel (two vectors each, <paramref name="stride"/> apart in
        /// B) into consecutive packed rows. Vector moves: a Memmove call per row cost ~10% of an NN product.</summary>
        private static void CopyPanelRows<S, V>(ref float from, int stride, ref float to, int kc) where S : ISimd<V> where V : struct
        {
            nuint w = (nuint)S.Count, f = 0, t = 0;
            for (int p = 0; p < kc; p++, f += (nuint)stride, t += 2 * w)
            {
                S.Store(S.Load(ref from, f), ref to, t);
                S.Store(S.Load(ref from, f + w), ref to, t + w);
            }
        }

        /// <summary>
        /// The micro-kernel: C[R, 2w] (+)= A panel · B panel over kc steps, with w = S.Count floats per vector and R ≤ 6
        /// rows (a type, so each count is its own specialised method and the unused rows' code is removed): the tile of C
        /// in up to twelve vector registers, per step two loads from the B panel and R broadcasts from the A panel (packed
        /// six rows wide whatever R). The plain reference is the triple loop <c>c[r, j] += a[p·6 + r] · b[p·2w + j]</c>.
        /// Bounds are checked once; the loop then walks both panels by offset, two k steps per iteration with constant
        /// displacements, so it issues little besides loads and FMAs (index arithmetic per step had cost ~10%).
        /// </summary>
        private static void Kernel<S, V, R>(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ld, bool add)
            where S : ISimd<V> where V : struct where R : struct, ITileRows
        {
            nuint w = (nuint)S.Count;
            CheckRange(ao, kc * MR, a.Length);
            CheckRange(bo, kc * 2 * (int)w, b.Length);
            CheckRange(co, (R.Count - 1) * ld + 2 * (int)w, c.Length);
            // The accumulators start after the calls above: live across a call, they would be kept in memory by any
            // compile without profile data (all vector registers are caller-saved on Linux), twice as slow.
            V c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, x, b0, b1;
            ref float ap = ref a[ao];
            ref float bp = ref b[bo];
            nuint ai = 0, bi = 0;
            int p = 0;
            for (; p + 2 <= kc; p += 2, ai += 2 * MR, bi += 4 * w)
            {
                b0 = S.Load(ref bp, bi);
                b1 = S.Load(ref bp, bi + w);
                x = S.Broadcast(Unsafe.Add(ref ap, ai)); c00 = S.MultiplyAdd(x, b0, c00); c01 = S.MultiplyAdd(x, b1, c01);
                if (R.Count > 1) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 1)); c10 = S.MultiplyAdd(x, b0, c10); c11 = S.MultiplyAdd(x, b1, c11); }
                if (R.Count > 2) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 2)); c20 = S.MultiplyAdd(x, b0, c20); c21 = S.MultiplyAdd(x, b1, c21); }
                if (R.Count > 3) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 3)); c30 = S.MultiplyAdd(x, b0, c30); c31 = S.MultiplyAdd(x, b1, c31); }
                if (R.Count > 4) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 4)); c40 = S.MultiplyAdd(x, b0, c40); c41 = S.MultiplyAdd(x, b1, c41); }
                if (R.Count > 5) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 5)); c50 = S.MultiplyAdd(x, b0, c50); c51 = S.MultiplyAdd(x, b1, c51); }
                b0 = S.Load(ref bp, bi + 2 * w);
                b1 = S.Load(ref bp, bi + 3 * w);
                x = S.Broadcast(Unsafe.Add(ref ap, ai + 6)); c00 = S.MultiplyAdd(x, b0, c00); c01 = S.MultiplyAdd(x, b1, c01);
                if (R.Count > 1) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 7)); c10 = S.MultiplyAdd(x, b0, c10); c11 = S.MultiplyAdd(x, b1, c11); }
                if (R.Count > 2) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 8)); c20 = S.MultiplyAdd(x, b0, c20); c21 = S.MultiplyAdd(x, b1, c21); }
                if (R.Count > 3) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 9)); c30 = S.MultiplyAdd(x, b0, c30); c31 = S.MultiplyAdd(x, b1, c31); }
                if (R.Count > 4) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 10)); c40 = S.MultiplyAdd(x, b0, c40); c41 = S.MultiplyAdd(x, b1, c41); }
                if (R.Count > 5) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 11)); c50 = S.MultiplyAdd(x, b0, c50); c51 = S.MultiplyAdd(x, b1, c51); }
            }
            if (p < kc)
            {
                b0 = S.Load(ref bp, bi);
                b1 = S.Load(ref bp, bi + w);
                x = S.Broadcast(Unsafe.Add(ref ap, ai)); c00 = S.MultiplyAdd(x, b0, c00); c01 = S.MultiplyAdd(x, b1, c01);
                if (R.Count > 1) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 1)); c10 = S.MultiplyAdd(x, b0, c10); c11 = S.MultiplyAdd(x, b1, c11); }
                if (R.Count > 2) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 2)); c20 = S.MultiplyAdd(x, b0, c20); c21 = S.MultiplyAdd(x, b1, c21); }
                if (R.Count > 3) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 3)); c30 = S.MultiplyAdd(x, b0, c30); c31 = S.MultiplyAdd(x, b1, c31); }
                if (R.Count > 4) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 4)); c40 = S.MultiplyAdd(x, b0, c40); c41 = S.MultiplyAdd(x, b1, c41); }
                if (R.Count > 5) { x = S.Broadcast(Unsafe.Add(ref ap, ai + 5)); c50 = S.MultiplyAdd(x, b0, c50); c51 = S.MultiplyAdd(x, b1, c51); }
            }
            ref float cp = ref c[co];
            StoreRow<S, V>(ref cp, 0, w, add, c00, c01);
            if (R.Count > 1) StoreRow<S, V>(ref cp, (nuint)ld, w, add, c10, c11);
            if (R.Count > 2) StoreRow<S, V>(ref cp, (nuint)(2 * ld), w, add, c20, c21);
            if (R.Count > 3) StoreRow<S, V>(ref cp, (nuint)(3 * ld), w, add, c30, c31);
            if (R.Count > 4) StoreRow<S, V>(ref cp, (nuint)(4 * ld), w, add, c40, c41);
            if (R.Count > 5) StoreRow<S, V>(ref cp, (nuint)(5 * ld), w, add, c50, c51);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreRow<S, V>(ref float c, nuint o, nuint w, bool add, V v0, V v1) where S : ISimd<V> where V : struct
        {
            if (add)
            {
                v0 = S.Add(v0, S.Load(ref c, o));
                v1 = S.Add(v1, S.Load(ref c, o + w));
            }
            S.Store(v0, ref c, o);
            S.Store(v1, ref c, o + w);
        }
    }

    /// <summary>A micro-tile's row count as a type (<see cref="PackedGemmOperands"/>' kernel is specialised per count).</summary>
    private interface ITileRows
    {
        static abstract int Count { get; }
    }

    private readonly struct Rows1 : ITileRows { public static int Count => 1; }

    private readonly struct Rows2 : ITileRows { public static int Count => 2; }

    private readonly struct Rows3 : ITileRows { public static int Count => 3; }

    private readonly struct Rows4 : ITileRows { public static int Count => 4; }

    private readonly struct Rows5 : ITileRows { public static int Count => 5; }

    private readonly struct Rows6 : ITileRows { public static int Count => 6; }
}
