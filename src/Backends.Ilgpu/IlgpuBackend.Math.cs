using ILGPU;
using ILGPU.Runtime;
using KerasGpu.Backend;
using KerasGpu.Backends.Ilgpu.Kernels;

namespace KerasGpu.Backends.Ilgpu;

// Unary math, Where, Cast and the layout kernels (CopyStrided, Permute): same conventions as IlgpuBackend.Kernels.cs
// (one cached launcher per kernel, grid-stride launches bounded by the resident thread count, no host sync).
public sealed partial class IlgpuBackend
{
    private Action<Index1D, ArrayView<float>, ArrayView<float>, int, long, long>? _unary;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, long, long>? _where;
    private Action<Index1D, ArrayView<int>, ArrayView<float>, long, long>? _intToFloat;
    private Action<Index1D, ArrayView<float>, ArrayView<int>, long, long>? _floatToInt;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, StridedCopyArgs>? _copyStridedFloat;
    private Action<Index1D, ArrayView<int>, ArrayView<int>, StridedCopyArgs>? _copyStridedInt;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, PermuteArgs>? _permuteFloat;
    private Action<Index1D, ArrayView<int>, ArrayView<int>, PermuteArgs>? _permuteInt;

    /// <inheritdoc />
    /// <remarks>Exp, log, sin, cos, tanh, sigmoid, softplus, expm1 and log1p evaluate in float64 from basic operations and
    /// round once (see <c>Kernels/DeviceMath.cs</c>), so every accelerator gives the same, nearly correctly rounded, result.</remarks>
    public void Unary(UnaryOp op, IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        ArrayView<float> vx = F(x), vy = F(y);
        if (count == 0) return;
        _unary ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, long, long>(MathKernels.Unary);
        int threads = Threads(count);
        _unary(threads, vx, vy, (int)op, count, threads);
    }

    /// <inheritdoc />
    public void Where(IDeviceBuffer condition, IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, long count)
    {
        ArrayView<float> vc = F(condition), va = F(a), vb = F(b), vy = F(y);
        if (count == 0) return;
        _where ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, long, long>(MathKernels.Where);
        int threads = Threads(count);
        _where(threads, vc, va, vb, vy, count, threads);
    }

    /// <inheritdoc />
    /// <remarks>Buffers of the same dtype are copied. A float outside int32's range (or NaN) converts as the device's
    /// conversion does (saturating on CUDA); the Ops layer casts only representable values.</remarks>
    public void Cast(IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        IlgpuBuffer bx = Buffer(x), by = Buffer(y);
        CheckRange(0, count, bx.Length, nameof(x));
        CheckRange(0, count, by.Length, nameof(y));
        if (bx.DType == by.DType)
        {
            Copy(x, 0, y, 0, count);
            return;
        }
        if (count == 0) return;
        int threads = Threads(count);
        if (bx.DType == DType.Int32)
        {
            _intToFloat ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<float>, long, long>(MathKernels.IntToFloat);
            _intToFloat(threads, bx.Ints, by.Floats, count, threads);
        }
        else
        {
            _floatToInt ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, long, long>(MathKernels.FloatToInt);
            _floatToInt(threads, bx.Floats, by.Ints, count, threads);
        }
    }

    /// <inheritdoc />
    public void CopyStrided(IDeviceBuffer x, long xOffset, int xRowStride, IDeviceBuffer y, long yOffset, int yRowStride,
        int rows, int rowLength)
    {
        IlgpuBuffer bx = Buffer(x), by = Buffer(y);
        if (bx.DType != by.DType)
            throw new ArgumentException($"CopyStrided copies between buffers of one dtype; received {bx.DType.KerasName()} and {by.DType.KerasName()}.", nameof(y));
        if (rows == 0 || rowLength == 0) return;
        CheckRange(xOffset, (long)(rows - 1) * xRowStride + rowLength, bx.Length, nameof(x));
        CheckRange(yOffset, (long)(rows - 1) * yRowStride + rowLength, by.Length, nameof(y));
        long total = (long)rows * rowLength;
        int threads = Threads(total);
        var args = new StridedCopyArgs
        {
            XOffset = xOffset, YOffset = yOffset, Stride = threads,
            XRowStride = xRowStride, YRowStride = yRowStride, Rows = rows, RowLength = rowLength,
        };
        if (bx.DType == DType.Float32)
        {
            _copyStridedFloat ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, StridedCopyArgs>(MathKernels.CopyStrided);
            _copyStridedFloat(threads, bx.Floats, by.Floats, args);
        }
        else
        {
            _copyStridedInt ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, StridedCopyArgs>(MathKernels.CopyStrided);
            _copyStridedInt(threads, bx.Ints, by.Ints, args);
        }
    }

    /// <inheritdoc />
    /// <remarks>Shapes of rank ≤ 8 (the kernel takes its shape and strides by value).</remarks>
    public void Permute(IDeviceBuffer x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> perm, IDeviceBuffer y)
    {
        IlgpuBuffer bx = Buffer(x), by = Buffer(y);
        int rank = xShape.Length;
        if (rank > 8) throw new NotSupportedException($"The {Name} backend permutes tensors of rank ≤ 8; received rank {rank}.");
        if (perm.Length != rank)
            throw new ArgumentException($"Expected a permutation of {rank} axes, received {perm.Length}.", nameof(perm));
        if (bx.DType != by.DType)
            throw new ArgumentException($"Permute copies between buffers of one dtype; received {bx.DType.KerasName()} and {by.DType.KerasName()}.", nameof(y));
        long total = 1;
        foreach (int d in xShape) total *= d;
        if (total == 0) return;
        Span<int> xStrides = stackalloc int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--)
        {
            xStrides[d] = s;
            s *= xShape[d];
        }
        int threads = Threads(total);
        var args = new PermuteArgs { Total = total, Stride = threads, Rank = rank };
        for (int d = 0; d < rank; d++)
        {
            args.YShape.Set(d, xShape[perm[d]]);
            args.SourceStrides.Set(d, xStrides[perm[d]]);
        }
        if (bx.DType == DType.Float32)
        {
            _permuteFloat ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, PermuteArgs>(MathKernels.Permute);
            _permuteFloat(threads, bx.Floats, by.Floats, args);
        }
        else
        {
            _permuteInt ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, PermuteArgs>(MathKernels.Permute);
            _permuteInt(threads, bx.Ints, by.Ints, args);
        }
    }
}
