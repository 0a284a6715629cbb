using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    // Products with few output columns (N ≤ 16: a classifier layer's forward and its weight gradient). Vectorising
    // along N, as the direct kernel does, pads N = 10 to 16 and leaves 3/8 of every vector idle; these kernels
    // vectorise along the long axes instead:
    // - TN (dW = Xᵀ·dZ; A stored [k, m]): along M. A two-vector-row × 4-column tile of Yᵀ in eight accumulators, each
    //   step one pair of loads from a row of A (contiguous in m) and four broadcasts from a row of B.
    // - NN/NT (Y = X·W; A stored [m, k]): along K, as dot products of A's rows with the columns of B (B transposed to
    //   [n, k] first unless it is stored so), a 2-row × 4-column tile in eight accumulators summed across lanes at
    //   the end.
    // Both are generic over the vector width (ISimd): 16 floats per vector with AVX-512, 8 with AVX2.
    // The reference is the naive triple loop in the conformance tests; the sums run in a different order than the
    // direct kernel's, within the same float32 tolerance.

    /// <summary>Columns of Y at most for the narrow kernels.</summary>
    private const int NarrowMaxColumns = 16;

    /// <summary>Runs Y (+)= op(A)·op(B) on a narrow kernel when the shape suits one; false leaves it to the others.</summary>
    private bool TryNarrowGemm(float[] A, float[] B, float[] Y, MatMulShape shape, bool accumulate)
    {
        var (m, n, k, ta, tb) = shape;
        if (VectorBits == 0 || n > NarrowMaxColumns) return false;
        if (ta && !tb && m >= 32)
        {
            switch (VectorBits)
            {
                case 512: NarrowAlongRows<Simd512, Vector512<float>>(A, B, Y, m, n, k, accumulate); break;
                case 256: NarrowAlongRows<Simd256, Vector256<float>>(A, B, Y, m, n, k, accumulate); break;
                default: NarrowAlongRows<Simd128, Vector128<float>>(A, B, Y, m, n, k, accumulate); break;
            }
            return true;
        }
        // Along K only when K is deep: each output pays for a sum across lanes, and at K = 64 (measured on 64x64x10)
        // that made it slower than the direct kernel.
        if (!ta && k >= 256)
        {
            float[]? bt = null;
            if (!tb)
            {
                CheckNarrow(A.Length, (long)m * k, B.Length, (long)k * n, Y.Length, (long)m * n);
                bt = _scratch.Rent(n * k);
                TransposeBlock(ref B[0], n, ref bt[0], k, k, n);
            }
            switch (VectorBits)
            {
                case 512: NarrowAlongDepth<Simd512, Vector512<float>>(A, bt ?? B, Y, m, n, k, accumulate); break;
                case 256: NarrowAlongDepth<Simd256, Vector256<float>>(A, bt ?? B, Y, m, n, k, accumulate); break;
                default: NarrowAlongDepth<Simd128, Vector128<float>>(A, bt ?? B, Y, m, n, k, accumulate); break;
            }
            if (bt is not null) _scratch.Return(bt);
            return true;
        }
        return false;
    }

    /// <summary>Y[m, n] (+)= Aᵀ·B with A stored [k, m] and B stored [k, n], vectorised along m.</summary>
    private static void NarrowAlongRows<S, V>(float[] A, float[] B, float[] Y, int m, int n, int k, bool accumulate)
        where S : ISimd<V> where V : struct
    {
        CheckNarrow(A.Length, (long)k * m, B.Length, (long)k * n, Y.Length, (long)m * n);
        int i = 0;
        for (; i + 2 * S.Count <= m; i += 2 * S.Count)
            for (int j = 0; j < n; j += 4)
                RowsTile<S, V>(A, B, Y, i, j, Math.Min(4, n - j), m, n, k, accumulate);
        for (; i < m; i++) // the last rows, fewer than a tile
            for (int j = 0; j < n; j++)
            {
                float sum = accumulate ? Y[i * n + j] : 0f;
                for (int p = 0; p < k; p++) sum += A[p * m + i] * B[p * n + j];
                Y[i * n + j] = sum;
            }
    }

    /// <summary>Rows <c>[i, i + 2·S.Count)</c> and columns <c>[j, j + cols)</c> (cols ≤ 4) of Y = Aᵀ·B. Missing
    /// columns broadcast column j again and are not stored, so the loop is branch-free.</summary>
    private static void RowsTile<S, V>(float[] A, float[] B, float[] Y, int i, int j, int cols, int m, int n, int k, bool accumulate)
        where S : ISimd<V> where V : struct
    {
        int j1 = j + Math.Min(1, cols - 1), j2 = j + Math.Min(2, cols - 1), j3 = j + Math.Min(3, cols - 1);
        V c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        ref float a = ref A[i];
        ref float b = ref B[0];
        nuint w = (nuint)S.Count, ao = 0, bo = 0;
        for (int p = 0; p < k; p++, ao += (nuint)m, bo += (nuint)n)
        {
            // A's row p holds the tile's rows contiguously: two vectors. B's row p gives four broadcasts.
            var a0 = S.Load(ref a, ao);
            var a1 = S.Load(ref a, ao + w);
            var b0 = S.Broadcast(Unsafe.Add(ref b, bo + (nuint)j));
            c00 = S.MultiplyAdd(a0, b0, c00); c01 = S.MultiplyAdd(a1, b0, c01);
            var b1 = S.Broadcast(Unsafe.Add(ref b, bo + (nuint)j1));
            c10 = S.MultiplyAdd(a0, b1, c10); c11 = S.MultiplyAdd(a1, b1, c11);
            var b2 = S.Broadcast(Unsafe.Add(ref b, bo + (nuint)j2));
            c20 = S.MultiplyAdd(a0, b2, c20); c21 = S.MultiplyAdd(a1, b2, c21);
            var b3 = S.Broadcast(Unsafe.Add(ref b, bo + (nuint)j3));
            c30 = S.MultiplyAdd(a0, b3, c30); c31 = S.MultiplyAdd(a1, b3, c31);
        }
        StoreColumn<S, V>(Y, i, j, n, c00, c01, accumulate);
        if (cols > 1) StoreColumn<S, V>(Y, i, j + 1, n, c10, c11, accumulate);
        if (cols > 2) StoreColumn<S, V>(Y, i, j + 2, n, c20, c21, accumulate);
        if (cols > 3) StoreColumn<S, V>(Y, i, j + 3, n, c30, c31, accumulate);
    }

    /// <summary>Writes 2·S.Count consecutive rows of column j (two vectors of Yᵀ) into row-major Y.</summary>
    private static void StoreColumn<S, V>(float[] Y, int i, int j, int n, V low, V high, bool accumulate)
        where S : ISimd<V> where V : struct
    {
        int w = S.Count;
        for (int r = 0; r < w; r++)
        {
            ref float y0 = ref Y[(i + r) * n + j];
            y0 = accumulate ? y0 + S.Element(low, r) : S.Element(low, r);
            ref float y1 = ref Y[(i + w + r) * n + j];
            y1 = accumulate ? y1 + S.Element(high, r) : S.Element(high, r);
        }
    }

    /// <summary>Y[m, n] (+)= A·Btᵀ with A stored [m, k] and Bt stored [n, k], vectorised along k.</summary>
    private static void NarrowAlongDepth<S, V>(float[] A, float[] Bt, float[] Y, int m, int n, int k, bool accumulate)
        where S : ISimd<V> where V : struct
    {
        CheckNarrow(A.Length, (long)m * k, Bt.Length, (long)n * k, Y.Length, (long)m * n);
        for (int i = 0; i < m; i += 2)
        {
            int i1 = Math.Min(i + 1, m - 1);
            for (int j = 0; j < n; j += 4)
                DepthTile<S, V>(A, Bt, Y, i, i1, i1 > i, j, Math.Min(4, n - j), n, k, accumulate);
        }
    }

    /// <summary>Y[i, j..j+cols) and Y[i1, j..j+cols) as dot products along k. A missing second row re-reads row i and
    /// missing columns re-read column j; neither is stored.</summary>
    private static void DepthTile<S, V>(float[] A, float[] Bt, float[] Y, int i, int i1, bool second, int j, int cols, int n, int k,
        bool accumulate) where S : ISimd<V> where V : struct
    {
        int W = S.Count;
        int j1 = j + Math.Min(1, cols - 1), j2 = j + Math.Min(2, cols - 1), j3 = j + Math.Min(3, cols - 1);
        ref float a0 = ref A[i * k];
        ref float a1 = ref A[i1 * k];
        ref float b0 = ref Bt[j * k];
        ref float b1 = ref Bt[j1 * k];
        ref float b2 = ref Bt[j2 * k];
        ref float b3 = ref Bt[j3 * k];
        V c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        int p = 0;
        for (; p + W <= k; p += W)
        {
            var x0 = S.Load(ref a0, (nuint)p);
            var x1 = S.Load(ref a1, (nuint)p);
            var w = S.Load(ref b0, (nuint)p);
            c00 = S.MultiplyAdd(x0, w, c00); c10 = S.MultiplyAdd(x1, w, c10);
            w = S.Load(ref b1, (nuint)p);
            c01 = S.MultiplyAdd(x0, w, c01); c11 = S.MultiplyAdd(x1, w, c11);
            w = S.Load(ref b2, (nuint)p);
            c02 = S.MultiplyAdd(x0, w, c02); c12 = S.MultiplyAdd(x1, w, c12);
            w = S.Load(ref b3, (nuint)p);
            c03 = S.MultiplyAdd(x0, w, c03); c13 = S.MultiplyAdd(x1, w, c13);
        }
        Span<float> sums = stackalloc float[8];
        sums[0] = S.Sum(c00); sums[1] = S.Sum(c01); sums[2] = S.Sum(c02); sums[3] = S.Sum(c03);
        sums[4] = S.Sum(c10); sums[5] = S.Sum(c11); sums[6] = S.Sum(c12); sums[7] = S.Sum(c13);
        for (int q = p; q < k; q++) // the tail of k, fewer than a vector
        {
            float x0 = Unsafe.Add(ref a0, q), x1 = Unsafe.Add(ref a1, q);
            float w0 = Unsafe.Add(ref b0, q), w1 = Unsafe.Add(ref b1, q), w2 = Unsafe.Add(ref b2, q), w3 = Unsafe.Add(ref b3, q);
            sums[0] += x0 * w0; sums[1] += x0 * w1; sums[2] += x0 * w2; sums[3] += x0 * w3;
            sums[4] += x1 * w0; sums[5] += x1 * w1; sums[6] += x1 * w2; sums[7] += x1 * w3;
        }
        for (int c = 0; c < cols; c++)
        {
            ref float y = ref Y[i * n + j + c];
            y = accumulate ? y + sums[c] : sums[c];
            if (!second) continue;
            ref float y1 = ref Y[i1 * n + j + c];
            y1 = accumulate ? y1 + sums[4 + c] : sums[4 + c];
        }
    }

    /// <summary>The narrow kernels read and write without bounds checks: the arrays must hold the operands.</summary>
    private static void CheckNarrow(long aLength, long aNeeded, long bLength, long bNeeded, long yLength, long yNeeded)
    {
        if (aLength < aNeeded || bLength < bNeeded || yLength < yNeeded)
            throw new ArgumentException($"MatMul operands are smaller than the shape needs: A {aLength} < {aNeeded}, B {bLength} < {bNeeded} or Y {yLength} < {yNeeded}.");
    }
}
