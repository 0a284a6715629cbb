using KerasGpu.Backend;
using KerasGpu.Tracing;

namespace KerasGpu.Training;

/// <summary>
/// Everything a step of one batch size reuses: the tensors each batch is gathered into (inputs, targets in each
/// dtype, sample weights) and the <see cref="TracedStep"/> that reads them. Gathering into the same tensors every
/// step is what lets a recorded step be replayed: its only per-step input is their contents.
/// </summary>
internal sealed class StepPlan : IDisposable
{
    private readonly IBackend _backend;
    private readonly (int Output, DType DType, Tensor Tensor)[] _targets;

    public StepPlan(IBackend backend, DeviceData data, int count, bool traced)
    {
        _backend = backend;
        Count = count;
        X = [.. data.X.Select(t => BatchOf(t, count))];
        _targets = [.. data.AllTargets.Select(t => (t.Output, t.DType, BatchOf(t.Tensor, count)))];
        SampleWeight = data.SampleWeight is { } sw ? BatchOf(sw, count) : null;
        Step = new TracedStep(backend, traced);
    }

    /// <summary>Samples per batch.</summary>
    public int Count { get; }

    /// <summary>The batch's inputs, one per model input.</summary>
    public Tensor[] X { get; }

    /// <summary>The batch's sample weights, if the data has them.</summary>
    public Tensor? SampleWeight { get; }

    /// <summary>The step run on this plan's batches.</summary>
    public TracedStep Step { get; }

    /// <summary>The batch's targets for <paramref name="output"/> in <paramref name="dtype"/>.</summary>
    public Tensor Target(int output, DType dtype)
    {
        foreach (var t in _targets)
            if (t.Output == output && t.DType == dtype) return t.Tensor;
        throw new InvalidOperationException($"No {dtype.KerasName()} targets were uploaded for output {output}.");
    }

    /// <summary>Gathers the samples <c>indices[offset .. offset + Count)</c> of <paramref name="data"/> into the batch tensors.</summary>
    public void Gather(DeviceData data, Tensor indices, int offset)
    {
        for (int i = 0; i < X.Length; i++) GatherInto(data.X[i], indices, offset, X[i]);
        var all = data.AllTargets;
        for (int i = 0; i < all.Length; i++) GatherInto(all[i].Tensor, indices, offset, _targets[i].Tensor);
        if (SampleWeight is not null) GatherInto(data.SampleWeight!, indices, offset, SampleWeight);
    }

    private void GatherInto(Tensor source, Tensor indices, int offset, Tensor batch)
    {
        int rowLength = (int)(source.Size / Math.Max(source.Dims[0], 1));
        _backend.GatherRows(source.Buffer, rowLength, indices.Buffer, offset, Count, batch.Buffer);
    }

    private Tensor BatchOf(Tensor source, int count)
    {
        var shape = source.Shape;
        shape[0] = count;
        return Tensor.Empty(_backend, shape, source.DType, scoped: false);
    }

    /// <summary>Frees the batch tensors and the recorded step.</summary>
    public void Dispose()
    {
        Step.Dispose();
        foreach (var t in X) t.Dispose();
        foreach (var t in _targets) t.Tensor.Dispose();
        SampleWeight?.Dispose();
    }
}
