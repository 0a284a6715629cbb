using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    // The direct (unpacked) GEMM for small products, where packing would cost more than it saves: each step of the
    // inner loop updates a 4-row × 32-column tile of Y held in 16 vector registers, from one broadcast element of A
    // per row and four vector loads of B. A transposed B is first transposed into a scratch buffer.
    private const int TileRows = 4, TileCols = 32;

    /// <summary>
    /// Y (+)= op(A)·op(B) without packing; rows of Y are split over threads. B is used row-major [k, n]: a transposed B
    /// is transposed first, and when n is not a multiple of the vector width (the 10-class output layer) B is copied
    /// with zero-padded rows and Y computed into a padded scratch, so every column runs in vector tiles.
    /// </summary>
    private void DirectGemm(float[] A, float[] B, float[] Y, MatMulShape shape, bool accumulate)
    {
        var (m, n, k, ta, tb) = shape;
        int padded = Vector256.IsHardwareAccelerated ? (n + 7) & ~7 : n;
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
        var body = new DirectGemmBody(A, rowStride, colStride, bRows ?? B, yRows ?? Y, m, padded, k, accumulate);
        ForChunks((m + TileRows - 1) / TileRows, shape.Flops, ref body, GemmFlopsPerThread);
        if (yRows is not null)
        {
            for (int i = 0; i < m; i++) yRows.AsSpan(i * padded, n).CopyTo(Y.AsSpan(i * n, n));
            _scratch.Return(yRows);
        }
        if (bRows is not null) _scratch.Return(bRows);
    }

    /// <summary>Row blocks <c>[start, end)</c> (of <see cref="TileRows"/> rows) of the direct GEMM.</summary>
    private readonly struct DirectGemmBody(float[] A, int rs, int cs, float[] B, float[] Y, int m, int n, int k, bool accumulate)
        : IChunkBody
    {
        public void Run(int start, int end)
        {
            for (int block = start; block < end; block++)
            {
                int i0 = block * TileRows;
                GemmBlock(A, rs, cs, B, Y, i0, Math.Min(TileRows, m - i0), n, k, accumulate);
            }
        }
    }

    /// <summary>Y[i0..i0+rows, :] (+)= A[i0..i0+rows, :] · B for B stored [k, n]. Missing rows of a short block
    /// re-read the last real row and are never stored, so the kernels stay branch-free.</summary>
    private static void GemmBlock(float[] A, int rs, int cs, float[] B, float[] Y, int i0, int rows, int n, int k, bool accumulate)
    {
        int r1 = i0 + Math.Min(1, rows - 1), r2 = i0 + Math.Min(2, rows - 1), r3 = i0 + Math.Min(3, rows - 1);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + TileCols <= n; j += TileCols) Tile4x32(A, rs, cs, B, Y, i0, r1, r2, r3, rows, j, n, k, accumulate);
            for (; j + 16 <= n; j += 16) Tile4x16(A, rs, cs, B, Y, i0, r1, r2, r3, rows, j, n, k, accumulate);
            for (; j + 8 <= n; j += 8) Tile4x8(A, rs, cs, B, Y, i0, r1, r2, r3, rows, j, n, k, accumulate);
        }
        for (; j < n; j++)
            for (int r = 0; r < rows; r++)
            {
                int i = i0 + r;
                float sum = accumulate ? Y[i * n + j] : 0f;
                for (int p = 0; p < k; p++) sum += A[i * rs + p * cs] * B[p * n + j];
                Y[i * n + j] = sum;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float[] x, int offset) => Vector256.LoadUnsafe(ref x[0], (nuint)offset);

    private static void Tile4x32(float[] A, int rs, int cs, float[] B, float[] Y, int r0, int r1, int r2, int r3, int rows,
        int j, int n, int k, bool accumulate)
    {
        Vector256<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = Vector256<float>.Zero;
        int a0 = r0 * rs, a1 = r1 * rs, a2 = r2 * rs, a3 = r3 * rs;
        for (int p = 0; p < k; p++)
        {
            int bo = p * n + j, ao = p * cs;
            var b0 = Load(B, bo); var b1 = Load(B, bo + 8); var b2 = Load(B, bo + 16); var b3 = Load(B, bo + 24);
            var x = Vector256.Create(A[a0 + ao]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector256.FusedMultiplyAdd(x, b2, c02); c03 = Vector256.FusedMultiplyAdd(x, b3, c03);
            x = Vector256.Create(A[a1 + ao]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector256.FusedMultiplyAdd(x, b2, c12); c13 = Vector256.FusedMultiplyAdd(x, b3, c13);
            x = Vector256.Create(A[a2 + ao]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector256.FusedMultiplyAdd(x, b2, c22); c23 = Vector256.FusedMultiplyAdd(x, b3, c23);
            x = Vector256.Create(A[a3 + ao]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector256.FusedMultiplyAdd(x, b2, c32); c33 = Vector256.FusedMultiplyAdd(x, b3, c33);
        }
        Store(Y, r0 * n + j, accumulate, c00, c01, c02, c03);
        if (rows > 1) Store(Y, r1 * n + j, accumulate, c10, c11, c12, c13);
        if (rows > 2) Store(Y, r2 * n + j, accumulate, c20, c21, c22, c23);
        if (rows > 3) Store(Y, r3 * n + j, accumulate, c30, c31, c32, c33);
    }

    private static void Store(float[] Y, int o, bool accumulate, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3)
    {
        if (accumulate) { v0 += Load(Y, o); v1 += Load(Y, o + 8); v2 += Load(Y, o + 16); v3 += Load(Y, o + 24); }
        v0.StoreUnsafe(ref Y[0], (nuint)o); v1.StoreUnsafe(ref Y[0], (nuint)(o + 8));
        v2.StoreUnsafe(ref Y[0], (nuint)(o + 16)); v3.StoreUnsafe(ref Y[0], (nuint)(o + 24));
    }

    // The 10-class output layer (N padded to 16) runs here: eight accumulator chains and two B loads per four
    // broadcasts, where two 4x8 tiles would load A twice and keep only four chains in flight.
    private static void Tile4x16(float[] A, int rs, int cs, float[] B, float[] Y, int r0, int r1, int r2, int r3, int rows,
        int j, int n, int k, bool accumulate)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a0 = r0 * rs, a1 = r1 * rs, a2 = r2 * rs, a3 = r3 * rs;
        for (int p = 0; p < k; p++)
        {
            int bo = p * n + j, ao = p * cs;
            var b0 = Load(B, bo); var b1 = Load(B, bo + 8);
            var x = Vector256.Create(A[a0 + ao]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(A[a1 + ao]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(A[a2 + ao]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(A[a3 + ao]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }
        Store(Y, r0 * n + j, accumulate, c00); Store(Y, r0 * n + j + 8, accumulate, c01);
        if (rows > 1) { Store(Y, r1 * n + j, accumulate, c10); Store(Y, r1 * n + j + 8, accumulate, c11); }
        if (rows > 2) { Store(Y, r2 * n + j, accumulate, c20); Store(Y, r2 * n + j + 8, accumulate, c21); }
        if (rows > 3) { Store(Y, r3 * n + j, accumulate, c30); Store(Y, r3 * n + j + 8, accumulate, c31); }
    }

    private static void Tile4x8(float[] A, int rs, int cs, float[] B, float[] Y, int r0, int r1, int r2, int r3, int rows,
        int j, int n, int k, bool accumulate)
    {
        Vector256<float> c0 = Vector256<float>.Zero, c1 = c0, c2 = c0, c3 = c0;
        int a0 = r0 * rs, a1 = r1 * rs, a2 = r2 * rs, a3 = r3 * rs;
        for (int p = 0; p < k; p++)
        {
            var b = Load(B, p * n + j);
            int ao = p * cs;
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(A[a0 + ao]), b, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(A[a1 + ao]), b, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(A[a2 + ao]), b, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(A[a3 + ao]), b, c3);
        }
        Store(Y, r0 * n + j, accumulate, c0);
        if (rows > 1) Store(Y, r1 * n + j, accumulate, c1);
        if (rows > 2) Store(Y, r2 * n + j, accumulate, c2);
        if (rows > 3) Store(Y, r3 * n + j, accumulate, c3);
    }

    private static void Store(float[] Y, int o, bool accumulate, Vector256<float> v)
    {
        if (accumulate) v += Load(Y, o);
        v.StoreUnsafe(ref Y[0], (nuint)o);
    }
}
