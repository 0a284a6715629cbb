using ILGPU;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>Unary math, select, casts and layout kernels (strided copies, axis permutations); grid-stride loops like
/// <see cref="ElementwiseKernels"/>.</summary>
internal static class MathKernels
{
    /// <summary><c>y = op(x)</c>; y may alias x (each element is read before it is written, by the same thread).</summary>
    public static void Unary(Index1D index, ArrayView<float> x, ArrayView<float> y, int op, long count, long stride)
    {
        for (long i = index; i < count; i += stride) y[i] = KernelMath.Unary(op, x[i]);
    }

    /// <summary><c>y = condition ≠ 0 ? a : b</c>, a select: the branch not taken is never read into y.</summary>
    public static void Where(Index1D index, ArrayView<float> condition, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y,
        long count, long stride)
    {
        for (long i = index; i < count; i += stride) y[i] = condition[i] != 0f ? a[i] : b[i];
    }

    /// <summary>int32 → float32, rounded to nearest (ties to even).</summary>
    public static void IntToFloat(Index1D index, ArrayView<int> x, ArrayView<float> y, long count, long stride)
    {
        for (long i = index; i < count; i += stride) y[i] = x[i];
    }

    /// <summary>float32 → int32, truncated toward zero.</summary>
    public static void FloatToInt(Index1D index, ArrayView<float> x, ArrayView<int> y, long count, long stride)
    {
        for (long i = index; i < count; i += stride) y[i] = (int)x[i];
    }

    /// <summary><c>y[yOffset + r·yRowStride + j] = x[xOffset + r·xRowStride + j]</c> over <c>rows × rowLength</c> elements.</summary>
    public static void CopyStrided<T>(Index1D index, ArrayView<T> x, ArrayView<T> y, StridedCopyArgs p) where T : unmanaged
    {
        long total = (long)p.Rows * p.RowLength;
        for (long e = index; e < total; e += p.Stride)
        {
            long r = e / p.RowLength, j = e - r * p.RowLength;
            y[p.YOffset + r * p.YRowStride + j] = x[p.XOffset + r * p.XRowStride + j];
        }
    }

    /// <summary>Axis permutation: each output element unravels its index over y's shape and reads x through the permuted
    /// strides (<see cref="PermuteArgs"/>).</summary>
    public static void Permute<T>(Index1D index, ArrayView<T> x, ArrayView<T> y, PermuteArgs p) where T : unmanaged
    {
        for (long i = index; i < p.Total; i += p.Stride)
        {
            long rest = i, source = 0;
            for (int d = p.Rank - 1; d >= 0; d--)
            {
                int size = p.YShape.Get(d);
                long coordinate = rest % size;
                rest /= size;
                source += coordinate * p.SourceStrides.Get(d);
            }
            y[i] = x[source];
        }
    }
}
