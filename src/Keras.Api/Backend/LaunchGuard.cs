using KerasGpu.Tracing;

namespace KerasGpu.Backend;

/// <summary>
/// A check every backend makes when a kernel launch resolves its buffers. Training steps are recorded through the
/// tensors' <see cref="Tensor.Backend"/> and replayed later; a launch made on the backend object directly during a
/// recording would be missing from the replays, so it makes that recording unusable and the step stays eager.
/// </summary>
public static class LaunchGuard
{
    /// <summary>Notes a kernel launch on the calling thread (costs one thread-static read when nothing is recorded).</summary>
    public static void NoteLaunch() => LaunchRecorder.NoteDirectLaunch();
}
