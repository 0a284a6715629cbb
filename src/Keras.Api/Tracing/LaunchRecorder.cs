using KerasGpu.Backend;

namespace KerasGpu.Tracing;

/// <summary>
/// The backend seen by a step while it is being recorded: every call is launched on the real backend at once (the
/// recorded step computes real results) and appended to a <see cref="LaunchTrace"/> as a closure over the same
/// buffers and arguments, to be replayed by later steps. While a recorder is active on a thread,
/// <see cref="Tensor.Backend"/> of the real backend's tensors returns the recorder, so every op reaches it; a launch
/// that still goes to the backend directly (<see cref="LaunchGuard.NoteLaunch"/>) or a read back to the host makes
/// the recording unreplayable.
/// </summary>
internal sealed class LaunchRecorder : IBackend
{
    [ThreadStatic] private static LaunchRecorder? t_active;
    [ThreadStatic] private static int t_forwarding;
    private readonly IBackend _inner;

    private LaunchRecorder(IBackend inner, LaunchTrace trace)
    {
        _inner = inner;
        Trace = trace;
    }

    /// <summary>The launches recorded so far.</summary>
    public LaunchTrace Trace { get; }

    /// <summary>Runs <paramref name="step"/> on <paramref name="backend"/> while recording its launches.</summary>
    public static LaunchTrace Record(IBackend backend, Func<Tensor?[]> step)
    {
        if (t_active is not null) throw new InvalidOperationException("A step is already being recorded on this thread.");
        var recorder = new LaunchRecorder(backend, new LaunchTrace(backend));
        t_active = recorder;
        try
        {
            recorder.Trace.Complete(step());
        }
        catch
        {
            recorder.Trace.Dispose();
            throw;
        }
        finally
        {
            t_active = null;
        }
        return recorder.Trace;
    }

    /// <summary>The backend a tensor on <paramref name="backend"/> should launch on: the active recorder when it
    /// records that backend, else the backend itself.</summary>
    internal static IBackend Redirect(IBackend backend) =>
        t_active is { } r && ReferenceEquals(r._inner, backend) ? r : backend;

    /// <summary>Hands a tensor created during the recording to the trace, which keeps it alive for replays.</summary>
    internal static LaunchTrace? Adopt(Tensor tensor)
    {
        if (t_active is not { } r || !ReferenceEquals(r._inner, tensor.Buffer.Backend)) return null;
        r.Trace.Own(tensor);
        return r.Trace;
    }

    /// <summary>Takes over a tensor being disposed during the recording when its buffer was allocated by the step (a
    /// temporary the replays write again); returns null, and the tensor is freed, otherwise.</summary>
    internal static LaunchTrace? AdoptDisposed(Tensor tensor)
    {
        if (t_active is not { } r || !r.Trace.Allocated(tensor.Buffer)) return null;
        r.Trace.Own(tensor);
        return r.Trace;
    }

    /// <summary>Called by backends for every launch; see <see cref="LaunchGuard"/>.</summary>
    internal static void NoteDirectLaunch()
    {
        if (t_active is { } r && t_forwarding == 0)
            r.Trace.MarkUnreplayable("a kernel was launched on the backend directly rather than through a tensor of the step");
    }

    private void Launch(string kernel, object?[] arguments, Action launch)
    {
        t_forwarding++;
        try { launch(); }
        finally { t_forwarding--; }
        Trace.Add(kernel, arguments, launch);
    }

    // ---- forwarded as is ------------------------------------------------------------------------------------------

    public string Name => _inner.Name;
    public string DeviceName => _inner.DeviceName;
    public long LiveBufferCount => _inner.LiveBufferCount;

    public IDeviceBuffer Allocate(DType dtype, long length)
    {
        var buffer = _inner.Allocate(dtype, length);
        Trace.NoteAllocation(buffer);
        return buffer;
    }

    public void Synchronize() => _inner.Synchronize();

    /// <summary>The recorder does not own the backend it records.</summary>
    public void Dispose() { }

    public void Download<T>(IDeviceBuffer source, Span<T> destination, long sourceOffset = 0) where T : unmanaged
    {
        Trace.MarkUnreplayable("the step reads device values back to the host");
        t_forwarding++;
        try { _inner.Download(source, destination, sourceOffset); }
        finally { t_forwarding--; }
    }

    // ---- recorded launches ----------------------------------------------------------------------------------------

    public void Upload<T>(ReadOnlySpan<T> source, IDeviceBuffer destination, long destinationOffset = 0) where T : unmanaged
    {
        T[] data = source.ToArray(); // the host values as they were; replays upload the same values
        Launch(nameof(Upload), [data, destination, destinationOffset], () => _inner.Upload<T>(data, destination, destinationOffset));
    }

    public void Fill(IDeviceBuffer y, float value) =>
        Launch(nameof(Fill), [y, value], () => _inner.Fill(y, value));

    public void Copy(IDeviceBuffer x, long xOffset, IDeviceBuffer y, long yOffset, long count) =>
        Launch(nameof(Copy), [x, xOffset, y, yOffset, count], () => _inner.Copy(x, xOffset, y, yOffset, count));

    public void GatherRows(IDeviceBuffer x, int rowLength, IDeviceBuffer indices, long indexOffset, int count, IDeviceBuffer y) =>
        Launch(nameof(GatherRows), [x, rowLength, indices, indexOffset, count, y],
            () => _inner.GatherRows(x, rowLength, indices, indexOffset, count, y));

    public void CopyStrided(IDeviceBuffer x, long xOffset, int xRowStride, IDeviceBuffer y, long yOffset, int yRowStride,
        int rows, int rowLength) =>
        Launch(nameof(CopyStrided), [x, xOffset, xRowStride, y, yOffset, yRowStride, rows, rowLength],
            () => _inner.CopyStrided(x, xOffset, xRowStride, y, yOffset, yRowStride, rows, rowLength));

    public void Permute(IDeviceBuffer x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> perm, IDeviceBuffer y)
    {
        int[] shape = xShape.ToArray(), order = perm.ToArray();
        Launch(nameof(Permute), [x, shape, order, y], () => _inner.Permute(x, shape, order, y));
    }

    public void Cast(IDeviceBuffer x, IDeviceBuffer y, long count) =>
        Launch(nameof(Cast), [x, y, count], () => _inner.Cast(x, y, count));

    public void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape, IDeviceBuffer? bias = null,
        ActivationKind activation = ActivationKind.Linear, bool accumulate = false) =>
        Launch(nameof(MatMul), [a, b, y, shape, bias, activation, accumulate],
            () => _inner.MatMul(a, b, y, shape, bias, activation, accumulate));

    public void ActivationForward(ActivationKind kind, IDeviceBuffer x, IDeviceBuffer y, long count) =>
        Launch(nameof(ActivationForward), [kind, x, y, count], () => _inner.ActivationForward(kind, x, y, count));

    public void ActivationBackward(ActivationKind kind, IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, long count) =>
        Launch(nameof(ActivationBackward), [kind, y, dy, dx, count], () => _inner.ActivationBackward(kind, y, dy, dx, count));

    public void Binary(BinaryOp op, IDeviceBuffer a, ReadOnlySpan<int> aShape, IDeviceBuffer b, ReadOnlySpan<int> bShape,
        IDeviceBuffer y, ReadOnlySpan<int> yShape)
    {
        int[] sa = aShape.ToArray(), sb = bShape.ToArray(), sy = yShape.ToArray();
        Launch(nameof(Binary), [op, a, sa, b, sb, y, sy], () => _inner.Binary(op, a, sa, b, sb, y, sy));
    }

    public void Unary(UnaryOp op, IDeviceBuffer x, IDeviceBuffer y, long count) =>
        Launch(nameof(Unary), [op, x, y, count], () => _inner.Unary(op, x, y, count));

    public void Where(IDeviceBuffer condition, IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, long count) =>
        Launch(nameof(Where), [condition, a, b, y, count], () => _inner.Where(condition, a, b, y, count));

    public void ScaleAdd(IDeviceBuffer x, float alpha, IDeviceBuffer? z, float beta, IDeviceBuffer y, long count) =>
        Launch(nameof(ScaleAdd), [x, alpha, z, beta, y, count], () => _inner.ScaleAdd(x, alpha, z, beta, y, count));

    public void Reduce(ReduceOp op, IDeviceBuffer x, int outer, int axis, int inner, IDeviceBuffer y, bool accumulate = false) =>
        Launch(nameof(Reduce), [op, x, outer, axis, inner, y, accumulate], () => _inner.Reduce(op, x, outer, axis, inner, y, accumulate));

    public void Softmax(IDeviceBuffer x, IDeviceBuffer y, int rows, int cols) =>
        Launch(nameof(Softmax), [x, y, rows, cols], () => _inner.Softmax(x, y, rows, cols));

    public void SoftmaxBackward(IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, int rows, int cols) =>
        Launch(nameof(SoftmaxBackward), [y, dy, dx, rows, cols], () => _inner.SoftmaxBackward(y, dy, dx, rows, cols));

    public void SoftmaxCrossEntropy(IDeviceBuffer logits, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        IDeviceBuffer probabilities, IDeviceBuffer rowLoss) =>
        Launch(nameof(SoftmaxCrossEntropy), [logits, targets, targetKind, rows, cols, probabilities, rowLoss],
            () => _inner.SoftmaxCrossEntropy(logits, targets, targetKind, rows, cols, probabilities, rowLoss));

    public void SoftmaxCrossEntropyBackward(IDeviceBuffer probabilities, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer logitsGradient, int rows, int cols) =>
        Launch(nameof(SoftmaxCrossEntropyBackward), [probabilities, targets, targetKind, rowLossGradient, logitsGradient, rows, cols],
            () => _inner.SoftmaxCrossEntropyBackward(probabilities, targets, targetKind, rowLossGradient, logitsGradient, rows, cols));

    public void CrossEntropy(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        float epsilon, IDeviceBuffer rowLoss) =>
        Launch(nameof(CrossEntropy), [predictions, targets, targetKind, rows, cols, epsilon, rowLoss],
            () => _inner.CrossEntropy(predictions, targets, targetKind, rows, cols, epsilon, rowLoss));

    public void CrossEntropyBackward(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer predictionsGradient, int rows, int cols, float epsilon) =>
        Launch(nameof(CrossEntropyBackward), [predictions, targets, targetKind, rowLossGradient, predictionsGradient, rows, cols, epsilon],
            () => _inner.CrossEntropyBackward(predictions, targets, targetKind, rowLossGradient, predictionsGradient, rows, cols, epsilon));

    public void SquaredError(IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols, IDeviceBuffer rowLoss) =>
        Launch(nameof(SquaredError), [predictions, targets, rows, cols, rowLoss],
            () => _inner.SquaredError(predictions, targets, rows, cols, rowLoss));

    public void SquaredErrorBackward(IDeviceBuffer predictions, IDeviceBuffer targets, IDeviceBuffer rowLossGradient,
        IDeviceBuffer predictionsGradient, int rows, int cols) =>
        Launch(nameof(SquaredErrorBackward), [predictions, targets, rowLossGradient, predictionsGradient, rows, cols],
            () => _inner.SquaredErrorBackward(predictions, targets, rowLossGradient, predictionsGradient, rows, cols));

    public void AccuracyCount(AccuracyKind kind, IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols,
        IDeviceBuffer accumulator) =>
        Launch(nameof(AccuracyCount), [kind, predictions, targets, rows, cols, accumulator],
            () => _inner.AccuracyCount(kind, predictions, targets, rows, cols, accumulator));

    public void SgdUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer? momentum, long count,
        float learningRate, float momentumFactor, bool nesterov) =>
        Launch(nameof(SgdUpdate), [weights, gradients, momentum, count, learningRate, momentumFactor, nesterov],
            () => _inner.SgdUpdate(weights, gradients, momentum, count, learningRate, momentumFactor, nesterov));

    public void RmsPropUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer velocity, IDeviceBuffer? momentum,
        IDeviceBuffer? averageGradient, long count, float learningRate, float rho, float momentumFactor, float epsilon) =>
        Launch(nameof(RmsPropUpdate), [weights, gradients, velocity, momentum, averageGradient, count, learningRate, rho, momentumFactor, epsilon],
            () => _inner.RmsPropUpdate(weights, gradients, velocity, momentum, averageGradient, count, learningRate, rho, momentumFactor, epsilon));

    public void AdamUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer m, IDeviceBuffer v, IDeviceBuffer? vHat,
        long count, float alpha, float beta1, float beta2, float epsilon) =>
        Launch(nameof(AdamUpdate), [weights, gradients, m, v, vHat, count, alpha, beta1, beta2, epsilon],
            () => _inner.AdamUpdate(weights, gradients, m, v, vHat, count, alpha, beta1, beta2, epsilon));

    /// <summary>
    /// Fills <paramref name="y"/> with uniform numbers from a key drawn per call (a layer's seed stream): recorded, the
    /// launch draws a fresh key at every replay, exactly as the eager step would have, so random layers can be traced.
    /// </summary>
    internal static void RandomUniform(IBackend backend, IDeviceBuffer y, Func<ulong> nextKey, float low, float high)
    {
        if (backend is not LaunchRecorder r)
        {
            backend.RandomUniform(y, nextKey(), 0, low, high);
            return;
        }
        var inner = r._inner;
        r.Launch(nameof(RandomUniform), [y, nextKey, low, high], () => inner.RandomUniform(y, nextKey(), 0, low, high));
    }

    public void RandomUniform(IDeviceBuffer y, ulong key, ulong offset, float low, float high) =>
        Launch(nameof(RandomUniform), [y, key, offset, low, high], () => _inner.RandomUniform(y, key, offset, low, high));
}
