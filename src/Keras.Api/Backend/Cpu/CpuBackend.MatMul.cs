using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape,
        IDeviceBuffer? bias = null, ActivationKind activation = ActivationKind.Linear, bool accumulate = false)
    {
        var (m, n, k, ta, tb) = shape;
        float[] A = Cpu(a).FloatArray, B = Cpu(b).FloatArray, Y = Cpu(y).FloatArray;
        float[]? biasValues = bias is null ? null : Cpu(bias).FloatArray;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) Y.AsSpan(0, m * n).Clear();
        }
        else if ((long)m * n < PackedGemmMinOutput)
        {
            DirectGemm(A, B, Y, shape, accumulate);
        }
        else
        {
            // a(i, p) = A[i·aRow + p·aCol]; b(p, j) = B[p·bRow + j·bCol]: transposes are folded into the packing.
            var source = new GemmSource(A, ta ? 1 : k, ta ? m : 1, B, tb ? 1 : n, tb ? k : 1);
            // Parallel over MR-row slices of C (equal shares, whole micro-tiles); each worker packs its own A and B.
            var gemm = new PackedGemm(source, Y, m, n, k, accumulate, _scratch);
            ForChunks((m + PackedGemm.MR - 1) / PackedGemm.MR, shape.Flops, ref gemm, GemmFlopsPerThread);
        }
        if (biasValues is null && activation == ActivationKind.Linear) return;
        var epilogue = new BiasActivationBody(Y, biasValues, n, activation);
        ForChunks(m, (double)m * n * 4, ref epilogue);
    }

    /// <summary>The MatMul epilogue on rows <c>[start, end)</c> of Y: add the bias row, then apply the activation.</summary>
    private readonly struct BiasActivationBody(float[] y, float[]? bias, int n, ActivationKind activation) : IChunkBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                var row = y.AsSpan(i * n, n);
                if (bias is not null) TensorPrimitives.Add(row, bias.AsSpan(0, n), row);
                if (activation != ActivationKind.Linear) Activate(activation, row, row);
            }
        }
    }

    /// <summary>Scatters <paramref name="count"/> contiguous floats to every <paramref name="stride"/>-th slot (one row
    /// of an operand into one lane of a packed or transposed copy); callers checked both ranges.</summary>
    private static void Transpose(ref float source, ref float destination, int count, int stride)
    {
        for (int p = 0; p < count; p++) Unsafe.Add(ref destination, p * stride) = Unsafe.Add(ref source, p);
    }

    /// <summary>Below this many output elements, packing costs more than it saves (measured on the MLP shapes).</summary>
    private const long PackedGemmMinOutput = 65536;

    /// <summary>Where A and B live and how they are strided (transposes are strides).</summary>
    private readonly record struct GemmSource(float[] A, int ARow, int ACol, float[] B, int BRow, int BCol);

    /// <summary>
    /// A packed, cache-blocked SGEMM (the BLIS/GotoBLAS scheme): C[MC×NC] blocks are computed from an A block packed
    /// into MR-row panels and a B block packed into NR-column panels (both KC deep, so one B panel stays in L1 and the
    /// A block in L2), by a register-blocked micro-kernel holding an MR×NR tile of C in vector registers.
    /// Edge tiles are computed into a scratch tile and copied; packed panels are zero-padded.
    /// </summary>
    private readonly struct PackedGemm(GemmSource src, float[] c, int m, int n, int k, bool accumulate, CpuScratch scratch)
        : IChunkBody
    {
        public const int MR = 6, MC = 96, KC = 256, NC = 1024;
        private static readonly int s_nr = Vector512.IsHardwareAccelerated ? 32 : 16;

        /// <summary>Computes rows <c>[start·MR, end·MR)</c> of C (clipped to m).</summary>
        public void Run(int start, int end)
        {
            int nr = s_nr;
            int rowStart = start * MR, rowEnd = Math.Min(m, end * MR);
            float[] aPack = scratch.Rent(MC * KC);
            float[] bPack = scratch.Rent(KC * (NC + 32));
            float[] tile = scratch.Rent(MR * 32);
            try
            {
                for (int jc = 0; jc < n; jc += NC)
                {
                    int nc = Math.Min(NC, n - jc);
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kc = Math.Min(KC, k - pc);
                        bool add = accumulate || pc > 0;
                        PackB(bPack, pc, kc, jc, nc, nr);
                        for (int ic = rowStart; ic < rowEnd; ic += MC)
                        {
                            int mc = Math.Min(MC, rowEnd - ic);
                            PackA(aPack, ic, mc, pc, kc);
                            for (int jr = 0; jr < nc; jr += nr)
                                for (int ir = 0; ir < mc; ir += MR)
                                    MicroTile(aPack, ir * kc, bPack, jr * kc, kc, ic + ir, jc + jr,
                                        Math.Min(MR, mc - ir), Math.Min(nr, nc - jr), add, tile);
                        }
                    }
                }
            }
            finally
            {
                scratch.Return(aPack);
                scratch.Return(bPack);
                scratch.Return(tile);
            }
        }

        /// <summary>Packs A[ic..ic+mc, pc..pc+kc] as MR-row panels: panel-major, then p, then the MR rows. Reads follow
        /// A's contiguous axis (rows of A, or its columns when A is transposed); writes go to the small panel.</summary>
        private void PackA(float[] dst, int ic, int mc, int pc, int kc)
        {
            float[] A = src.A;
            int rs = src.ARow, cs = src.ACol;
            for (int ir = 0, o = 0; ir < mc; ir += MR, o += MR * kc)
            {
                int rows = Math.Min(MR, mc - ir);
                if (rows < MR) dst.AsSpan(o, MR * kc).Clear();
                if (cs == 1)
                {
                    for (int r = 0; r < rows; r++)
                        Transpose(ref A[(ic + ir + r) * rs + pc], ref dst[o + r], kc, MR);
                    continue;
                }
                for (int p = 0; p < kc; p++)
                {
                    var column = A.AsSpan((pc + p) * cs + ic + ir, rows);
                    column.CopyTo(dst.AsSpan(o + p * MR, rows));
                }
            }
        }

        /// <summary>Packs B[pc..pc+kc, jc..jc+nc] as NR-column panels: panel-major, then p, then the NR columns. Reads
        /// follow B's contiguous axis (rows of B, or its columns when B is transposed).</summary>
        private void PackB(float[] dst, int pc, int kc, int jc, int nc, int nr)
        {
            float[] B = src.B;
            int rs = src.BRow, cs = src.BCol;
            for (int jr = 0, o = 0; jr < nc; jr += nr, o += nr * kc)
            {
                int cols = Math.Min(nr, nc - jr);
                if (cols < nr) dst.AsSpan(o, nr * kc).Clear();
                if (cs == 1)
                {
                    for (int p = 0; p < kc; p++) B.AsSpan((pc + p) * rs + jc + jr, cols).CopyTo(dst.AsSpan(o + p * nr, cols));
                    continue;
                }
                for (int j = 0; j < cols; j++)
                    Transpose(ref B[(jc + jr + j) * cs + pc], ref dst[o + j], kc, nr);
            }
        }

        private void MicroTile(float[] a, int aOff, float[] b, int bOff, int kc, int i, int j, int rows, int cols, bool add, float[] tile)
        {
            int nr = s_nr;
            bool full = rows == MR && cols == nr;
            // Full tiles go straight to C; edge tiles through the scratch tile.
            float[] dst = full ? c : tile;
            int dOff = full ? i * n + j : 0, ld = full ? n : nr;
            if (nr == 32) Kernel6x32(a, aOff, b, bOff, kc, dst, dOff, ld, full && add);
            else Kernel6x16(a, aOff, b, bOff, kc, dst, dOff, ld, full && add);
            if (full) return;
            for (int r = 0; r < rows; r++)
            {
                var from = tile.AsSpan(r * nr, cols);
                var to = c.AsSpan((i + r) * n + j, cols);
                if (add) TensorPrimitives.Add(to, from, to); else from.CopyTo(to);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> L512(float[] x, int o) => Vector512.LoadUnsafe(ref x[0], (nuint)o);

        private static void Kernel6x32(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ld, bool add)
        {
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            ref float ap = ref a[ao];
            ref float bp = ref b[bo];
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector512.LoadUnsafe(ref bp, (nuint)(p * 32));
                var b1 = Vector512.LoadUnsafe(ref bp, (nuint)(p * 32 + 16));
                ref float ar = ref Unsafe.Add(ref ap, p * MR);
                var x = Vector512.Create(ar);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(Unsafe.Add(ref ar, 1));
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(Unsafe.Add(ref ar, 2));
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(Unsafe.Add(ref ar, 3));
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(Unsafe.Add(ref ar, 4));
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(Unsafe.Add(ref ar, 5));
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            }
            Store512(c, co, add, c00, c01); Store512(c, co + ld, add, c10, c11); Store512(c, co + 2 * ld, add, c20, c21);
            Store512(c, co + 3 * ld, add, c30, c31); Store512(c, co + 4 * ld, add, c40, c41); Store512(c, co + 5 * ld, add, c50, c51);
        }

        private static void Store512(float[] c, int o, bool add, Vector512<float> v0, Vector512<float> v1)
        {
            if (add) { v0 += L512(c, o); v1 += L512(c, o + 16); }
            v0.StoreUnsafe(ref c[0], (nuint)o);
            v1.StoreUnsafe(ref c[0], (nuint)(o + 16));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> L256(float[] x, int o) => Vector256.LoadUnsafe(ref x[0], (nuint)o);

        private static void Kernel6x16(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ld, bool add)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            ref float ap = ref a[ao];
            ref float bp = ref b[bo];
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.LoadUnsafe(ref bp, (nuint)(p * 16));
                var b1 = Vector256.LoadUnsafe(ref bp, (nuint)(p * 16 + 8));
                ref float ar = ref Unsafe.Add(ref ap, p * MR);
                var x = Vector256.Create(ar);
                c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
                x = Vector256.Create(Unsafe.Add(ref ar, 1));
                c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
                x = Vector256.Create(Unsafe.Add(ref ar, 2));
                c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
                x = Vector256.Create(Unsafe.Add(ref ar, 3));
                c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
                x = Vector256.Create(Unsafe.Add(ref ar, 4));
                c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
                x = Vector256.Create(Unsafe.Add(ref ar, 5));
                c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            }
            Store256(c, co, add, c00, c01); Store256(c, co + ld, add, c10, c11); Store256(c, co + 2 * ld, add, c20, c21);
            Store256(c, co + 3 * ld, add, c30, c31); Store256(c, co + 4 * ld, add, c40, c41); Store256(c, co + 5 * ld, add, c50, c51);
        }

        private static void Store256(float[] c, int o, bool add, Vector256<float> v0, Vector256<float> v1)
        {
            if (add) { v0 += L256(c, o); v1 += L256(c, o + 8); }
            v0.StoreUnsafe(ref c[0], (nuint)o);
            v1.StoreUnsafe(ref c[0], (nuint)(o + 8));
        }
    }
}
