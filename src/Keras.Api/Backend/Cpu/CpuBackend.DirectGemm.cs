using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    // The direct (unpacked) GEMM for small products, where packing would cost more than it saves: each step of the
    // inner loop updates a 6-row × 2-vector tile of Y held in 12 vector registers (the packed micro-kernel's shape, which
    // fits AVX2's 16 registers; a 4 × 4-vector tile spilled there), from one broadcast element of A per row and two
    // vector loads of a row of B. A transposed B is first transposed into a scratch buffer. Generic over the vector
    // width (ISimd); the plain reference is the scalar loop at the end of GemmBlock.
    private const int TileRows = 6;

    /// <summary>
    /// Y (+)= op(A)·op(B) without packing; rows of Y are split over threads. B is used row-major [k, n]: a transposed B
    /// is transposed first, and when n is not a multiple of the vector width (a 10-class output layer) B is copied
    /// with zero-padded rows and Y computed into a padded scratch, so every column runs in vector tiles.
    /// </summary>
    private void DirectGemm(float[] A, float[] B, float[] Y, MatMulShape shape, bool accumulate)
    {
        var (m, n, k, ta, tb) = shape;
        int width = VectorBits / 32, padded = width > 0 ? (n + width - 1) / width * width : n;
        float[]? bRows = null, yRows = null;
        if (tb || padded != n)
        {
            bRows = _scratch.Rent(k * padded);
            if (padded != n) bRows.AsSpan(0, k * padded).Clear();
            if (tb)
                TransposeBlock(ref B[0], k, ref bRows[0], padded, n, k);
            else
                for (int p = 0; p < k; p++) B.AsSpan(p * n, n).CopyTo(bRows.AsSpan(p * padded, n));
        }
        if (padded != n)
        {
            yRows = _scratch.Rent(m * padded);
            if (accumulate)
                for (int i = 0; i < m; i++) Y.AsSpan(i * n, n).CopyTo(yRows.AsSpan(i * padded, n));
        }
        // a(i, p) = A[i·rowStride + p·colStride] whether A is stored [m, k] or transposed [k, m].
        int rowStride = ta ? 1 : k, colStride = ta ? m : 1;
        var body = new DirectGemmBody(A, rowStride, colStride, bRows ?? B, yRows ?? Y, m, padded, k, accumulate, VectorBits);
        ForChunks((m + TileRows - 1) / TileRows, shape.Flops, ref body, GemmFlopsPerThread);
        if (yRows is not null)
        {
            for (int i = 0; i < m; i++) yRows.AsSpan(i * padded, n).CopyTo(Y.AsSpan(i * n, n));
            _scratch.Return(yRows);
        }
        if (bRows is not null) _scratch.Return(bRows);
    }

    /// <summary>Row blocks <c>[start, end)</c> (of <see cref="TileRows"/> rows) of the direct GEMM.</summary>
    private readonly struct DirectGemmBody(float[] A, int rs, int cs, float[] B, float[] Y, int m, int n, int k, bool accumulate,
        int vectorBits) : IChunkBody
    {
        public void Run(int start, int end)
        {
            if (m == 0 || n == 0) return;
            // Every index the unchecked tiles form lies below these bounds (a short block re-reads its last row).
            CheckRange(0, (long)(m - 1) * rs + (long)(k - 1) * cs + 1, A.Length, nameof(A));
            CheckRange(0, (long)k * n, B.Length, nameof(B));
            CheckRange(0, (long)m * n, Y.Length, nameof(Y));
            for (int block = start; block < end; block++)
            {
                int i0 = block * TileRows;
                switch (vectorBits)
                {
                    case 512: GemmBlock<Simd512, Vector512<float>>(A, rs, cs, B, Y, i0, Math.Min(TileRows, m - i0), n, k, accumulate); break;
                    case 256: GemmBlock<Simd256, Vector256<float>>(A, rs, cs, B, Y, i0, Math.Min(TileRows, m - i0), n, k, accumulate); break;
                    case 128: GemmBlock<Simd128, Vector128<float>>(A, rs, cs, B, Y, i0, Math.Min(TileRows, m - i0), n, k, accumulate); break;
                    default: ScalarColumns(A, rs, cs, B, Y, i0, Math.Min(TileRows, m - i0), 0, n, k, accumulate); break;
                }
            }
        }
    }

    /// <summary>Y[i0..i0+rows, :] (+)= A[i0..i0+rows, :] · B for B stored [k, n]: two-vector tiles, then one-vector
    /// tiles, then scalar columns.</summary>
    private static void GemmBlock<S, V>(float[] A, int rs, int cs, float[] B, float[] Y, int i0, int rows, int n, int k, bool accumulate)
        where S : ISimd<V> where V : struct
    {
        int w = S.Count, j = 0;
        for (; j + 2 * w <= n; j += 2 * w) Tile<S, V>(A, rs, cs, B, Y, i0, rows, j, 2, n, k, accumulate);
        for (; j + w <= n; j += w) Tile<S, V>(A, rs, cs, B, Y, i0, rows, j, 1, n, k, accumulate);
        ScalarColumns(A, rs, cs, B, Y, i0, rows, j, n, k, accumulate);
    }

    /// <summary>The plain reference: columns <c>[j0, n)</c> of rows <c>[i0, i0 + rows)</c>, one dot product each.</summary>
    private static void ScalarColumns(float[] A, int rs, int cs, float[] B, float[] Y, int i0, int rows, int j0, int n, int k, bool accumulate)
    {
        for (int j = j0; j < n; j++)
            for (int r = 0; r < rows; r++)
            {
                int i = i0 + r;
                float sum = accumulate ? Y[i * n + j] : 0f;
                for (int p = 0; p < k; p++) sum += A[i * rs + p * cs] * B[p * n + j];
                Y[i * n + j] = sum;
            }
    }

    /// <summary>
    /// Rows <c>[i0, i0 + rows)</c> (rows ≤ 6) × <paramref name="vectors"/> (1 or 2) vectors of columns from j. Missing
    /// rows of a short block re-read the last real row and are not stored, so the loop is branch-free; with one vector
    /// the second accumulator repeats the first and is not stored either. Ranges were checked by the caller.
    /// </summary>
    private static void Tile<S, V>(float[] A, int rs, int cs, float[] B, float[] Y, int i0, int rows, int j, int vectors, int n, int k,
        bool accumulate) where S : ISimd<V> where V : struct
    {
        nuint w = (nuint)S.Count, second = vectors > 1 ? w : 0;
        V c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        ref float a = ref A[0];
        ref float b = ref B[0];
        nuint a0 = (nuint)(i0 * rs), a1 = (nuint)((i0 + Math.Min(1, rows - 1)) * rs), a2 = (nuint)((i0 + Math.Min(2, rows - 1)) * rs),
            a3 = (nuint)((i0 + Math.Min(3, rows - 1)) * rs), a4 = (nuint)((i0 + Math.Min(4, rows - 1)) * rs),
            a5 = (nuint)((i0 + Math.Min(5, rows - 1)) * rs);
        nuint ap = 0, bp = (nuint)j;
        for (int p = 0; p < k; p++, ap += (nuint)cs, bp += (nuint)n)
        {
            V b0 = S.Load(ref b, bp), b1 = S.Load(ref b, bp + second);
            V x = S.Broadcast(Unsafe.Add(ref a, a0 + ap));
            c00 = S.MultiplyAdd(x, b0, c00); c01 = S.MultiplyAdd(x, b1, c01);
            x = S.Broadcast(Unsafe.Add(ref a, a1 + ap));
            c10 = S.MultiplyAdd(x, b0, c10); c11 = S.MultiplyAdd(x, b1, c11);
            x = S.Broadcast(Unsafe.Add(ref a, a2 + ap));
            c20 = S.MultiplyAdd(x, b0, c20); c21 = S.MultiplyAdd(x, b1, c21);
            x = S.Broadcast(Unsafe.Add(ref a, a3 + ap));
            c30 = S.MultiplyAdd(x, b0, c30); c31 = S.MultiplyAdd(x, b1, c31);
            x = S.Broadcast(Unsafe.Add(ref a, a4 + ap));
            c40 = S.MultiplyAdd(x, b0, c40); c41 = S.MultiplyAdd(x, b1, c41);
            x = S.Broadcast(Unsafe.Add(ref a, a5 + ap));
            c50 = S.MultiplyAdd(x, b0, c50); c51 = S.MultiplyAdd(x, b1, c51);
        }
        StoreTileRow<S, V>(Y, i0 * n + j, w, vectors, accumulate, c00, c01);
        if (rows > 1) StoreTileRow<S, V>(Y, (i0 + 1) * n + j, w, vectors, accumulate, c10, c11);
        if (rows > 2) StoreTileRow<S, V>(Y, (i0 + 2) * n + j, w, vectors, accumulate, c20, c21);
        if (rows > 3) StoreTileRow<S, V>(Y, (i0 + 3) * n + j, w, vectors, accumulate, c30, c31);
        if (rows > 4) StoreTileRow<S, V>(Y, (i0 + 4) * n + j, w, vectors, accumulate, c40, c41);
        if (rows > 5) StoreTileRow<S, V>(Y, (i0 + 5) * n + j, w, vectors, accumulate, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTileRow<S, V>(float[] Y, int o, nuint w, int vectors, bool accumulate, V v0, V v1)
        where S : ISimd<V> where V : struct
    {
        ref float y = ref Y[o];
        if (accumulate) v0 = S.Add(v0, S.Load(ref y, 0));
        S.Store(v0, ref y, 0);
        if (vectors < 2) return;
        if (accumulate) v1 = S.Add(v1, S.Load(ref y, w));
        S.Store(v1, ref y, w);
    }
}
