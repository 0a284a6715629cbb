using ILGPU;
using ILGPU.Runtime;
using KerasGpu.Backend;
using KerasGpu.Backends.Ilgpu.Kernels;

namespace KerasGpu.Backends.Ilgpu;

// The IBackend kernels: validate nothing (the Ops layer did), pick views, launch one cached kernel. Each launcher is
// compiled on first use and kept for the backend's life (ILGPU's JIT costs tens of milliseconds to seconds per kernel,
// so an instance compiles only the kernels it runs, once).
public sealed partial class IlgpuBackend
{
    private Action<Index1D, ArrayView<float>, float, long, long>? _fill;
    private Action<Index1D, ArrayView<float>, long, ArrayView<float>, long, long, long>? _copyFloat;
    private Action<Index1D, ArrayView<int>, long, ArrayView<int>, long, long, long>? _copyInt;
    private Action<Index1D, ArrayView<float>, int, long, ArrayView<int>, long, ArrayView<float>, long, long>? _gatherFloat;
    private Action<Index1D, ArrayView<int>, int, long, ArrayView<int>, long, ArrayView<int>, long, long>? _gatherInt;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulArgs>? _matMulNaive, _matMulBlocked;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulArgs>? _matMulTiled;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, int, long, long>? _activationForward;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, long, long>? _activationBackward;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, BinaryArgs>? _binary;
    private Action<Index1D, ArrayView<float>, float, ArrayView<float>, float, int, ArrayView<float>, long, long>? _scaleAdd;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, int, int, int, int, int, long>? _reduce;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, int, int, int, int>? _reduceGrouped;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, RowArgs>? _softmax;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>? _softmaxBackward;
    private Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>? _softmaxCrossEntropy;
    private Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>? _softmaxCrossEntropyBackward;
    private Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, RowArgs>? _crossEntropy;
    private Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>? _crossEntropyBackward;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>? _squaredError;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>? _squaredErrorBackward;
    private Action<KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, RowArgs>? _accuracy;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerArgs>? _sgd;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerArgs>? _rmsProp;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerArgs>? _adam;
    private Action<Index1D, ArrayView<float>, long, ulong, ulong, float, float, float, float, long>? _uniform;

    // ---- data movement ---------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void Fill(IDeviceBuffer y, float value)
    {
        var b = Buffer(y);
        if (b.Length == 0) return;
        _fill ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, long, long>(ElementwiseKernels.Fill);
        int threads = Threads(b.Length);
        _fill(threads, b.Floats, value, b.Length, threads);
    }

    /// <inheritdoc />
    public void Copy(IDeviceBuffer x, long xOffset, IDeviceBuffer y, long yOffset, long count)
    {
        IlgpuBuffer bx = Buffer(x), by = Buffer(y);
        CheckRange(xOffset, count, bx.Length, nameof(x));
        CheckRange(yOffset, count, by.Length, nameof(y));
        if (count == 0) return;
        int threads = Threads(count);
        if (bx.DType == DType.Float32)
        {
            _copyFloat ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, long, ArrayView<float>, long, long, long>(ElementwiseKernels.Copy);
            _copyFloat(threads, bx.Floats, xOffset, by.Floats, yOffset, count, threads);
        }
        else
        {
            _copyInt ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, long, ArrayView<int>, long, long, long>(ElementwiseKernels.Copy);
            _copyInt(threads, bx.Ints, xOffset, by.Ints, yOffset, count, threads);
        }
    }

    /// <inheritdoc />
    /// <remarks>An index outside the rows of x writes zeros (a kernel cannot throw); the Ops layer validates indices.</remarks>
    public void GatherRows(IDeviceBuffer x, int rowLength, IDeviceBuffer indices, long indexOffset, int count, IDeviceBuffer y)
    {
        IlgpuBuffer bx = Buffer(x), by = Buffer(y);
        var idx = I(indices);
        long total = (long)count * rowLength;
        if (total == 0) return;
        long rows = bx.Length / rowLength;
        int threads = Threads(total);
        if (bx.DType == DType.Float32)
        {
            _gatherFloat ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, long, ArrayView<int>, long, ArrayView<float>, long, long>(ElementwiseKernels.GatherRows);
            _gatherFloat(threads, bx.Floats, rowLength, rows, idx, indexOffset, by.Floats, total, threads);
        }
        else
        {
            _gatherInt ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, int, long, ArrayView<int>, long, ArrayView<int>, long, long>(ElementwiseKernels.GatherRows);
            _gatherInt(threads, bx.Ints, rowLength, rows, idx, indexOffset, by.Ints, total, threads);
        }
    }

    // ---- linear algebra --------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape,
        IDeviceBuffer? bias = null, ActivationKind activation = ActivationKind.Linear, bool accumulate = false)
    {
        var (m, n, k, ta, tb) = shape;
        ArrayView<float> va = F(a), vb = F(b), vy = F(y), vbias = FOrDummy(bias);
        if ((long)m * n == 0) return;
        var args = new MatMulArgs
        {
            M = m, N = n, K = k,
            As0 = ta ? 1 : k, As1 = ta ? m : 1,
            Bs0 = tb ? 1 : n, Bs1 = tb ? k : 1,
            HasBias = bias is null ? 0 : 1, Activation = (int)activation, Accumulate = accumulate ? 1 : 0,
        };
        var kernel = MatMulKernel == IlgpuMatMulKernel.Auto ? (IsCpu ? IlgpuMatMulKernel.Blocked : IlgpuMatMulKernel.Tiled) : MatMulKernel;
        switch (kernel)
        {
            case IlgpuMatMulKernel.Naive:
                _matMulNaive ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulArgs>(MatMulKernels.Naive);
                args.Stride = Threads((long)m * n);
                _matMulNaive(args.Stride, va, vb, vbias, vy, args);
                break;
            case IlgpuMatMulKernel.Blocked:
                _matMulBlocked ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulArgs>(MatMulKernels.Blocked);
                args.Stride = Threads((long)((m + 3) / 4) * ((n + 3) / 4));
                _matMulBlocked(args.Stride, va, vb, vbias, vy, args);
                break;
            default:
                _matMulTiled ??= _accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulArgs>(MatMulKernels.Tiled);
                int td = TiledThreadsPerDim, tile = 4 * td;
                args.ThreadsPerDim = td;
                long tiles = (long)((m + tile - 1) / tile) * ((n + tile - 1) / tile);
                int groups = (int)Math.Max(1, Math.Min(tiles, Math.Max(1, _maxThreads / (td * td))));
                _matMulTiled(new KernelConfig(groups, td * td), va, vb, vbias, vy, args);
                break;
        }
    }

    // ---- elementwise -----------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void ActivationForward(ActivationKind kind, IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        ArrayView<float> vx = F(x), vy = F(y);
        if (count == 0) return;
        _activationForward ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, long, long>(ElementwiseKernels.ActivationForward);
        int threads = Threads(count);
        _activationForward(threads, vx, vy, (int)kind, count, threads);
    }

    /// <inheritdoc />
    public void ActivationBackward(ActivationKind kind, IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, long count)
    {
        ArrayView<float> vy = F(y), vdy = F(dy), vdx = F(dx);
        if (count == 0) return;
        _activationBackward ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, long, long>(ElementwiseKernels.ActivationBackward);
        int threads = Threads(count);
        _activationBackward(threads, vy, vdy, vdx, (int)kind, count, threads);
    }

    /// <inheritdoc />
    /// <remarks>Shapes of rank ≤ 8 (the kernel takes its shape and strides by value).</remarks>
    public void Binary(BinaryOp op, IDeviceBuffer a, ReadOnlySpan<int> aShape, IDeviceBuffer b, ReadOnlySpan<int> bShape,
        IDeviceBuffer y, ReadOnlySpan<int> yShape)
    {
        ArrayView<float> va = F(a), vb = F(b), vy = F(y);
        int rank = yShape.Length;
        if (rank > 8) throw new NotSupportedException($"The {Name} backend broadcasts tensors of rank ≤ 8; received rank {rank}.");
        long total = 1, aTotal = 1, bTotal = 1;
        foreach (int d in yShape) total *= d;
        foreach (int d in aShape) aTotal *= d;
        foreach (int d in bShape) bTotal *= d;
        if (total == 0) return;
        var args = new BinaryArgs { Total = total, Op = (int)op, Rank = rank };
        args.AMode = aTotal == total ? 0 : aTotal == 1 ? 1 : 2;
        args.BMode = bTotal == total ? 0 : bTotal == 1 ? 1 : 2;
        for (int d = 0; d < rank; d++) args.Shape.Set(d, yShape[d]);
        args.AStrides = BroadcastStrides(aShape, yShape);
        args.BStrides = BroadcastStrides(bShape, yShape);
        _binary ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, BinaryArgs>(ElementwiseKernels.Binary);
        int threads = Threads(total);
        args.Stride = threads;
        _binary(threads, va, vb, vy, args);
    }

    private static Dims8 BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape)
    {
        var strides = default(Dims8);
        int stride = 1, lead = outShape.Length - shape.Length;
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            int size = d >= lead ? shape[d - lead] : 1;
            strides.Set(d, size == 1 ? 0 : stride);
            stride *= size;
        }
        return strides;
    }

    /// <inheritdoc />
    public void ScaleAdd(IDeviceBuffer x, float alpha, IDeviceBuffer? z, float beta, IDeviceBuffer y, long count)
    {
        ArrayView<float> vx = F(x), vz = FOrDummy(z), vy = F(y);
        if (count == 0) return;
        _scaleAdd ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, ArrayView<float>, float, int, ArrayView<float>, long, long>(ElementwiseKernels.ScaleAdd);
        int threads = Threads(count);
        _scaleAdd(threads, vx, alpha, vz, beta, z is null ? 0 : 1, vy, count, threads);
    }

    /// <inheritdoc />
    public void Reduce(ReduceOp op, IDeviceBuffer x, int outer, int axis, int inner, IDeviceBuffer y, bool accumulate = false)
    {
        ArrayView<float> vx = F(x), vy = F(y);
        long outputs = (long)outer * inner;
        if (outputs == 0) return;
        // Few outputs over a long axis: a group per output (shared-memory tree); otherwise a thread per output.
        bool grouped = GroupedReduce ?? (!IsCpu && axis >= 64 && outputs * 8 < _maxThreads);
        if (grouped)
        {
            _reduceGrouped ??= _accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, int, int, int, int>(ElementwiseKernels.ReduceGrouped);
            int groups = (int)Math.Max(1, Math.Min(outputs, Math.Max(1, _maxThreads / _reductionGroup)));
            _reduceGrouped(new KernelConfig(groups, _reductionGroup), vx, vy, (int)op, outer, axis, inner, accumulate ? 1 : 0);
            return;
        }
        _reduce ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, int, int, int, long>(ElementwiseKernels.Reduce);
        int threads = Threads(outputs);
        _reduce(threads, vx, vy, (int)op, outer, axis, inner, accumulate ? 1 : 0, threads);
    }

    // ---- softmax and losses ----------------------------------------------------------------------------------

    private RowArgs Rows(int rows, int cols, TargetKind targetKind = TargetKind.Dense, float epsilon = 0f) =>
        new() { Rows = rows, Cols = cols, Stride = Threads(rows), Sparse = targetKind == TargetKind.SparseIndex ? 1 : 0, Epsilon = epsilon };

    private (ArrayView<int> Labels, ArrayView<float> Dense) Targets(IDeviceBuffer targets, TargetKind kind) =>
        kind == TargetKind.SparseIndex ? (I(targets), _dummyFloats.View) : (_dummyInts.View, F(targets));

    /// <inheritdoc />
    public void Softmax(IDeviceBuffer x, IDeviceBuffer y, int rows, int cols)
    {
        ArrayView<float> vx = F(x), vy = F(y);
        if (rows == 0 || cols == 0) return;
        _softmax ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.Softmax);
        var p = Rows(rows, cols);
        _softmax(p.Stride, vx, vy, p);
    }

    /// <inheritdoc />
    public void SoftmaxBackward(IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, int rows, int cols)
    {
        ArrayView<float> vy = F(y), vdy = F(dy), vdx = F(dx);
        if (rows == 0 || cols == 0) return;
        _softmaxBackward ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.SoftmaxBackward);
        var p = Rows(rows, cols);
        _softmaxBackward(p.Stride, vy, vdy, vdx, p);
    }

    /// <inheritdoc />
    /// <remarks>A sparse label outside <c>[0, cols)</c> gives that row a NaN loss (a kernel cannot throw).</remarks>
    public void SoftmaxCrossEntropy(IDeviceBuffer logits, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        IDeviceBuffer probabilities, IDeviceBuffer rowLoss)
    {
        ArrayView<float> vz = F(logits), vp = F(probabilities), vl = F(rowLoss);
        var (labels, dense) = Targets(targets, targetKind);
        if (rows == 0) return;
        _softmaxCrossEntropy ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.SoftmaxCrossEntropy);
        var p = Rows(rows, cols, targetKind);
        _softmaxCrossEntropy(p.Stride, vz, labels, dense, vp, vl, p);
    }

    /// <inheritdoc />
    public void SoftmaxCrossEntropyBackward(IDeviceBuffer probabilities, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer logitsGradient, int rows, int cols)
    {
        ArrayView<float> vp = F(probabilities), vg = F(rowLossGradient), vdz = F(logitsGradient);
        var (labels, dense) = Targets(targets, targetKind);
        if (rows == 0 || cols == 0) return;
        _softmaxCrossEntropyBackward ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.SoftmaxCrossEntropyBackward);
        var p = Rows(rows, cols, targetKind);
        _softmaxCrossEntropyBackward(p.Stride, vp, labels, dense, vg, vdz, p);
    }

    /// <inheritdoc />
    public void CrossEntropy(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        float epsilon, IDeviceBuffer rowLoss)
    {
        ArrayView<float> vp = F(predictions), vl = F(rowLoss);
        var (labels, dense) = Targets(targets, targetKind);
        if (rows == 0) return;
        _crossEntropy ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.CrossEntropy);
        var p = Rows(rows, cols, targetKind, epsilon);
        _crossEntropy(p.Stride, vp, labels, dense, vl, p);
    }

    /// <inheritdoc />
    public void CrossEntropyBackward(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer predictionsGradient, int rows, int cols, float epsilon)
    {
        ArrayView<float> vp = F(predictions), vg = F(rowLossGradient), vdp = F(predictionsGradient);
        var (labels, dense) = Targets(targets, targetKind);
        if (rows == 0 || cols == 0) return;
        _crossEntropyBackward ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.CrossEntropyBackward);
        var p = Rows(rows, cols, targetKind, epsilon);
        _crossEntropyBackward(p.Stride, vp, labels, dense, vg, vdp, p);
    }

    /// <inheritdoc />
    public void SquaredError(IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols, IDeviceBuffer rowLoss)
    {
        ArrayView<float> vp = F(predictions), vt = F(targets), vl = F(rowLoss);
        if (rows == 0) return;
        _squaredError ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.SquaredError);
        var p = Rows(rows, cols);
        _squaredError(p.Stride, vp, vt, vl, p);
    }

    /// <inheritdoc />
    public void SquaredErrorBackward(IDeviceBuffer predictions, IDeviceBuffer targets, IDeviceBuffer rowLossGradient,
        IDeviceBuffer predictionsGradient, int rows, int cols)
    {
        ArrayView<float> vp = F(predictions), vt = F(targets), vg = F(rowLossGradient), vdp = F(predictionsGradient);
        if (rows == 0 || cols == 0) return;
        _squaredErrorBackward ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.SquaredErrorBackward);
        var p = Rows(rows, cols);
        _squaredErrorBackward(p.Stride, vp, vt, vg, vdp, p);
    }

    /// <inheritdoc />
    public void AccuracyCount(AccuracyKind kind, IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols,
        IDeviceBuffer accumulator)
    {
        ArrayView<float> vp = F(predictions), va = F(accumulator);
        var (labels, dense) = Targets(targets, kind == AccuracyKind.SparseCategorical ? TargetKind.SparseIndex : TargetKind.Dense);
        if (rows == 0) return;
        _accuracy ??= _accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, RowArgs>(RowKernels.AccuracyCount);
        var p = Rows(rows, cols);
        p.Kind = (int)kind;
        _accuracy(new KernelConfig(1, _reductionGroup), vp, labels, dense, va, p);
    }

    // ---- optimizers ------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void SgdUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer? momentum, long count,
        float learningRate, float momentumFactor, bool nesterov)
    {
        ArrayView<float> w = F(weights), g = F(gradients), m = FOrDummy(momentum);
        if (count == 0) return;
        _sgd ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerArgs>(OptimizerKernels.Sgd);
        int threads = Threads(count);
        _sgd(threads, w, g, m, new OptimizerArgs
        {
            Count = count, Stride = threads, LearningRate = learningRate, Momentum = momentumFactor,
            HasMomentum = momentum is null ? 0 : 1, Nesterov = nesterov ? 1 : 0,
        });
    }

    /// <inheritdoc />
    public void RmsPropUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer velocity, IDeviceBuffer? momentum,
        IDeviceBuffer? averageGradient, long count, float learningRate, float rho, float momentumFactor, float epsilon)
    {
        ArrayView<float> w = F(weights), g = F(gradients), v = F(velocity), m = FOrDummy(momentum), avg = FOrDummy(averageGradient);
        if (count == 0) return;
        _rmsProp ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerArgs>(OptimizerKernels.RmsProp);
        int threads = Threads(count);
        _rmsProp(threads, w, g, v, m, avg, new OptimizerArgs
        {
            Count = count, Stride = threads, LearningRate = learningRate, Rho = rho, Momentum = momentumFactor, Epsilon = epsilon,
            HasMomentum = momentum is null ? 0 : 1, HasAverage = averageGradient is null ? 0 : 1,
        });
    }

    /// <inheritdoc />
    public void AdamUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer m, IDeviceBuffer v, IDeviceBuffer? vHat,
        long count, float alpha, float beta1, float beta2, float epsilon)
    {
        ArrayView<float> w = F(weights), g = F(gradients), vm = F(m), vv = F(v), vh = FOrDummy(vHat);
        if (count == 0) return;
        _adam ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, OptimizerArgs>(OptimizerKernels.Adam);
        int threads = Threads(count);
        _adam(threads, w, g, vm, vv, vh, new OptimizerArgs
        {
            Count = count, Stride = threads, Alpha = alpha, Beta1 = beta1, Beta2 = beta2, Epsilon = epsilon,
            HasVHat = vHat is null ? 0 : 1,
        });
    }

    // ---- random ----------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void RandomUniform(IDeviceBuffer y, ulong key, ulong offset, float low, float high)
    {
        var b = Buffer(y);
        if (b.Length == 0) return;
        _uniform ??= _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, long, ulong, ulong, float, float, float, float, long>(RandomKernels.Uniform);
        int threads = Threads((b.Length + 3) / 4);
        _uniform(threads, b.Floats, b.Length, key, offset, low, high - low, high, MathF.BitDecrement(high), threads);
    }
}
