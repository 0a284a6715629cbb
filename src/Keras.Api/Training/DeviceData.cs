using KerasGpu.Backend;

namespace KerasGpu.Training;

/// <summary>
/// A dataset uploaded once to the device: one float32 tensor per input, the sample weights if any and, per output, the targets in each dtype the
/// loss and metrics need. Batches are gathered from it on the device by index, so a step copies nothing from the host.
/// </summary>
internal sealed class DeviceData : IDisposable
{
    private readonly Dictionary<(int Output, DType DType), Tensor> _targets = [];
    private readonly List<Tensor> _owned = [];

    public DeviceData(IBackend backend, ArrayData data, IReadOnlyList<(DType DType, int[] SampleShape)[]>? targetLayouts)
    {
        Count = data.Count;
        X = [.. data.X.Select(a => Own(Upload(backend, a, DType.Float32)))];
        if (data.SampleWeight is { } sw) SampleWeight = Own(Upload(backend, sw, DType.Float32));
        if (data.Y is null || targetLayouts is null) return;
        for (int o = 0; o < data.Y.Length; o++)
            foreach (var (dtype, shape) in targetLayouts[o])
                _targets[(o, dtype)] = Own(Upload(backend, data.Y[o].Reshape([Count, .. shape]), dtype));
    }

    /// <summary>The array on the device. The CPU backend reads a float32/int32 array (or a row view of one, such as a
    /// validation split) in place, since the data is only ever read by the batch gathers: a Fit on such arrays copies
    /// nothing, and a change to the arrays made during the call (by a callback) is seen by the following batches.</summary>
    private static Tensor Upload(IBackend backend, NDArray array, DType dtype) =>
        backend is Backend.Cpu.CpuBackend cpu && cpu.TryBorrow(array, dtype) is { } buffer
            ? new Tensor(buffer, array.Shape, scoped: false)
            : Tensor.FromNDArray(array, backend, dtype, scoped: false);

    public int Count { get; }

    public Tensor[] X { get; }

    /// <summary>Per-sample weights (first axis: the samples), or null.</summary>
    public Tensor? SampleWeight { get; }

    public Tensor Targets(int output, DType dtype) => _targets[(output, dtype)];

    /// <summary>Every (output, dtype) target tensor, as an array: the trainer gathers each one every step.</summary>
    public (int Output, DType DType, Tensor Tensor)[] AllTargets => _allTargets ??= [.. _targets.Select(p => (p.Key.Output, p.Key.DType, p.Value))];

    private (int Output, DType DType, Tensor Tensor)[]? _allTargets;

    private Tensor Own(Tensor t)
    {
        _owned.Add(t);
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
    }
}
