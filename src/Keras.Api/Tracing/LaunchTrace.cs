using System.Collections;
using KerasGpu.Backend;

namespace KerasGpu.Tracing;

/// <summary>
/// One recorded step: its kernel launches in order (each a closure over its buffers and arguments), the tensors the
/// step created (kept alive, so replays write into the same buffers) and the step's outputs. <see cref="Replay"/>
/// relaunches everything with no host work beyond the calls, so a replayed step allocates nothing.
/// </summary>
internal sealed class LaunchTrace(IBackend backend) : IDisposable
{
    private readonly List<RecordedLaunch> _launches = [];
    private readonly List<Tensor> _owned = [];
    // Buffers allocated during the recording, by allocation order: two recordings of the same step allocate the same
    // sequence, so a buffer is named by its ordinal when recordings are compared.
    private readonly Dictionary<IDeviceBuffer, int> _allocated = new(ReferenceEqualityComparer.Instance);
    private Action[] _replay = [];
    private bool _disposed;

    private readonly record struct RecordedLaunch(string Kernel, object?[] Arguments, Action Launch);

    /// <summary>The backend the launches go to.</summary>
    public IBackend Backend { get; } = backend;

    /// <summary>Why the recording cannot stand in for the step (null when it can).</summary>
    public string? Unreplayable { get; private set; }

    /// <summary>The step's outputs (tensors the step created, or null entries).</summary>
    public Tensor?[] Outputs { get; private set; } = [];

    /// <summary>Number of recorded launches.</summary>
    public int LaunchCount => _launches.Count;

    internal void Add(string kernel, object?[] arguments, Action launch) => _launches.Add(new(kernel, arguments, launch));

    internal void NoteAllocation(IDeviceBuffer buffer) => _allocated.TryAdd(buffer, _allocated.Count);

    internal void Own(Tensor tensor) => _owned.Add(tensor);

    internal bool Allocated(IDeviceBuffer buffer) => _allocated.ContainsKey(buffer);

    internal void MarkUnreplayable(string reason) => Unreplayable ??= reason;

    internal void Complete(Tensor?[] outputs)
    {
        Outputs = outputs;
        foreach (var t in outputs)
            if (t is not null && !_owned.Contains(t))
                MarkUnreplayable("an output of the step is not a tensor the step created");
        _replay = [.. _launches.Select(l => l.Launch)];
    }

    /// <summary>Relaunches the recorded step. The outputs' buffers then hold this run's values.</summary>
    public void Replay()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var launch in _replay) launch();
    }

    /// <summary>
    /// True when <paramref name="other"/> recorded the same launches with the same arguments: the same buffers outside
    /// the step, the same allocation ordinals inside it, equal scalars, shapes and uploaded values. Two consecutive
    /// recordings that agree show the step has no per-step input other than the contents of its buffers.
    /// </summary>
    public bool SameAs(LaunchTrace other)
    {
        if (_launches.Count != other._launches.Count || Outputs.Length != other.Outputs.Length) return false;
        for (int i = 0; i < _launches.Count; i++)
        {
            var (a, b) = (_launches[i], other._launches[i]);
            if (a.Kernel != b.Kernel || a.Arguments.Length != b.Arguments.Length) return false;
            for (int j = 0; j < a.Arguments.Length; j++)
                if (!SameArgument(a.Arguments[j], other, b.Arguments[j])) return false;
        }
        for (int i = 0; i < Outputs.Length; i++)
            if (!SameArgument(Outputs[i]?.Buffer, other, other.Outputs[i]?.Buffer)) return false;
        return true;
    }

    private bool SameArgument(object? mine, LaunchTrace other, object? theirs) => (mine, theirs) switch
    {
        (null, null) => true,
        (IDeviceBuffer x, IDeviceBuffer y) => _allocated.TryGetValue(x, out int i)
            ? other._allocated.TryGetValue(y, out int j) && i == j
            : !other._allocated.ContainsKey(y) && ReferenceEquals(x, y),
        (Array x, Array y) => StructuralComparisons.StructuralEqualityComparer.Equals(x, y),
        _ => Equals(mine, theirs),
    };

    /// <summary>Lets the step's tensors go: each becomes an ordinary tensor again, freed by its scope.</summary>
    public void Release()
    {
        foreach (var t in _owned) t.Unpin();
        _owned.Clear();
        Drop();
    }

    /// <summary>Frees every tensor the step created.</summary>
    public void Dispose()
    {
        foreach (var t in _owned)
        {
            t.Unpin();
            t.Dispose();
        }
        _owned.Clear();
        Drop();
    }

    private void Drop()
    {
        _disposed = true;
        _launches.Clear();
        _replay = [];
        _allocated.Clear();
        Outputs = [];
    }
}
