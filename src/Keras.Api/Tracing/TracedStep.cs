using KerasGpu.Backend;

namespace KerasGpu.Tracing;

/// <summary>
/// A step that is recorded once and then replayed, the CPU/GPU counterpart of Keras' compiled train function
/// (<c>run_eagerly=False</c>). Its first call runs eagerly (layers build, metrics and optimizer slots are created);
/// the next calls run eagerly while recording their launches, and once two consecutive recordings agree launch for
/// launch (<see cref="LaunchTrace.SameAs"/>), every later call replays the last one: the same kernels on the same
/// buffers, with none of the host work of the ops, the tape or the layers, and no managed allocation. A step whose
/// recordings keep differing (random ops draw new keys every step), that reads device values on the host, or that
/// launches around its tensors stays eager; <see cref="EagerReason"/> says why.
/// <para>As with a Keras compiled function, host values the step reads (layer attributes, Python-side state in
/// Keras) are fixed at recording time: the step's only per-call inputs are the contents of its buffers (the batch,
/// the weights, the metric state).</para>
/// </summary>
internal sealed class TracedStep(IBackend backend, bool enabled) : IDisposable
{
    /// <summary>Recordings compared before the step is declared eager.</summary>
    private const int MaxRecordings = 3;

    [ThreadStatic] private static long t_replays;
    [ThreadStatic] private static string? t_lastEagerReason;
    private int _calls, _recordings;

    /// <summary>Replays run on this thread so far (diagnostics for tests and benchmarks).</summary>
    internal static long ReplaysOnThisThread => t_replays;

    /// <summary>Why the last step on this thread that gave up tracing did so (diagnostics).</summary>
    internal static string? LastEagerReasonOnThisThread => t_lastEagerReason;
    private LaunchTrace? _candidate, _trace;

    /// <summary>Why the step runs eagerly for good (null while it may still be traced, or once it is).</summary>
    public string? EagerReason { get; private set; } = enabled ? null : "run_eagerly=True";

    /// <summary>Whether calls now replay a recording.</summary>
    public bool IsTraced => _trace is not null;

    /// <summary>Replays the recorded step and returns its outputs, or returns null when the step is not traced (yet):
    /// the caller then runs it through <see cref="Run"/>.</summary>
    public Tensor?[]? TryReplay()
    {
        if (_trace is null) return null;
        _trace.Replay();
        t_replays++;
        return _trace.Outputs;
    }

    /// <summary>Runs the step eagerly, recording it when it is time to. Call it inside a <see cref="TensorScope"/>:
    /// the outputs live until that scope ends (or, once traced, as long as this object).</summary>
    public Tensor?[] Run(Func<Tensor?[]> step)
    {
        if (_trace is not null) throw new InvalidOperationException("The step is traced; replay it.");
        if (EagerReason is not null || _calls++ == 0) return step();
        var recording = LaunchRecorder.Record(backend, step);
        var outputs = recording.Outputs;
        _recordings++;
        if (recording.Unreplayable is { } why)
        {
            GiveUp(recording, why);
        }
        else if (_candidate is not null && _candidate.SameAs(recording))
        {
            _candidate.Dispose();
            _candidate = null;
            _trace = recording;
        }
        else if (_recordings >= MaxRecordings)
        {
            GiveUp(recording, "its launches differ from one step to the next (random ops draw new keys every step, or the step depends on host state)");
        }
        else
        {
            _candidate?.Dispose();
            _candidate = recording;
        }
        return outputs;
    }

    private void GiveUp(LaunchTrace recording, string why)
    {
        EagerReason = t_lastEagerReason = why;
        recording.Release(); // its tensors are this step's results, freed by the caller's scope
        _candidate?.Dispose();
        _candidate = null;
    }

    /// <summary>Frees the recorded buffers.</summary>
    public void Dispose()
    {
        _candidate?.Dispose();
        _trace?.Dispose();
        _candidate = _trace = null;
    }
}
