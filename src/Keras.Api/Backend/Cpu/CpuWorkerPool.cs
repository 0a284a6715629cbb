using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace KerasGpu.Backend.Cpu;

/// <summary>
/// The CPU backend's persistent worker threads: created once (lazily, on the first parallel launch) and reused by every
/// launch, so a launch costs a few atomic operations instead of <see cref="Parallel.For(int, int, Action{int})"/>'s task
/// and closure allocations and its microseconds of wake-up.
/// <para>
/// A launch splits <c>[0, count)</c> into <c>chunks</c> contiguous ranges that the calling thread and the workers claim
/// one at a time; the caller claims too and then waits for the chunks others took (spinning briefly, then blocked, so
/// that a worker which lost its core can have the caller's). A worker that is slow to wake thus costs little: the caller
/// simply runs its chunks as well. Idle workers spin for <see cref="SpinTicks"/> (the gaps
/// between the parallel kernels of a training step) and then block on a monitor, so an idle backend burns no CPU.
/// </para>
/// <para>
/// The state of a launch is one 64-bit claim word: generation (32 bits), chunk count (16) and next chunk (16). A thread
/// claims by compare-and-swap on it, so a worker that wakes after its launch ended can never run a chunk of the next one
/// with stale arguments. Exceptions thrown by chunks are rethrown on the calling thread. When another thread is already
/// launching on this pool (concurrent callers of one backend), the second caller runs its loop inline instead.
/// </para>
/// </summary>
internal sealed class CpuWorkerPool : IDisposable
{
    private readonly int _workerCount;
    private readonly object _gate = new();
    private readonly object _doneGate = new();
    private Thread[]? _threads;
    private ChunkJob?[] _jobs = [];
    private ChunkJob? _job;
    private int _count;
    private int _threadLimit;
    private int _align;
    private long _claim;
    private int _done;
    private uint _generation;
    private int _busy;
    private int _sleepers;
    private int _launcherWaiting;
    private ExceptionDispatchInfo? _error;
    private volatile bool _disposed;

    private static int s_jobKinds;

    /// <summary>How long an idle worker spins before it blocks: long enough to span the gaps between the parallel kernels
    /// of a training step, short enough that a backend left idle stops using the core almost at once. A 784-512-512-10
    /// epoch on two threads took ~1.5 s with 1 ms, ~1.75 s with 50 µs (a blocked worker is woken for every GEMM).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1_000; // 1 ms

    /// <summary>How long the launcher spins for the other threads' chunks before it blocks: longer than a worker's usual
    /// lag behind the launcher (a late start, one chunk more), so that a launch on two busy cores rarely blocks.</summary>
    private static readonly long LauncherSpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    /// <summary>How often a spinning worker yields its core.</summary>
    private static readonly long YieldTicks = Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>Creates a pool for launches of up to <paramref name="maxThreads"/> threads (the caller plus workers).</summary>
    public CpuWorkerPool(int maxThreads) => _workerCount = maxThreads - 1;

    /// <summary>Runs <paramref name="body"/> over <c>[0, count)</c> split into <paramref name="chunks"/> contiguous,
    /// near-equal ranges, on the calling thread and up to <c>threads − 1</c> workers; returns when every chunk is done.
    /// More chunks than threads balance the load when a worker starts late. Inner chunk boundaries are multiples of
    /// <paramref name="align"/>, so that vectorised bodies see the same vector blocks however the range is split, and
    /// threads do not write to the same cache line.</summary>
    public void Run<TBody>(int count, int chunks, int threads, ref TBody body, int align = 1) where TBody : struct, IChunkBody
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        chunks = Math.Min(Math.Min(chunks, (count + align - 1) / align), ushort.MaxValue);
        if (chunks <= 1 || threads <= 1 || _workerCount == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            body.Run(0, count);
            return;
        }
        ChunkJob<TBody>? job = null;
        try
        {
            _threads ??= StartWorkers();
            job = JobFor<TBody>();
            job.Body = body;
            _job = job;
            _count = count;
            _threadLimit = threads;
            _align = align;
            _done = 0;
            _error = null;
            uint generation = ++_generation;
            // Publishing the claim word (a full fence) makes the job and count above visible to the workers.
            Interlocked.Exchange(ref _claim, ((long)generation << 32) | ((long)chunks << 16));
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_gate) Monitor.PulseAll(_gate);
            Participate(generation, 0);
            WaitForChunks(chunks);
        }
        finally
        {
            if (job is not null) job.Body = default; // drop the launch's array references
            ExceptionDispatchInfo? error = _error;
            _error = null;
            Volatile.Write(ref _busy, 0);
            error?.Throw();
        }
    }

    /// <summary>
    /// The launching thread's wait for the chunks other threads claimed: a spin of at most <see cref="LauncherSpinTicks"/>,
    /// then a block until the thread that finishes the last chunk pulses. A worker holding a chunk can have lost its core
    /// (to the JIT's background compiler, the GC or another process); spinning on would keep that core from it until the
    /// scheduler moves it, milliseconds later. A 256^3 product on two threads beside one busy process took ~0.7 ms (half
    /// the one-thread speed) while the launcher spun, ~0.4 ms with the block.
    /// </summary>
    private void WaitForChunks(int chunks)
    {
        long until = Stopwatch.GetTimestamp() + LauncherSpinTicks;
        while (Volatile.Read(ref _done) < chunks)
        {
            if (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(8);
                continue;
            }
            lock (_doneGate)
            {
                // Announce the wait before the last check, as WaitForLaunchAfter does: a worker that finishes the last chunk
                // after this check sees the flag and pulses, which cannot happen before Wait releases the lock.
                Interlocked.Exchange(ref _launcherWaiting, 1);
                while (Volatile.Read(ref _done) < chunks) Monitor.Wait(_doneGate);
                Interlocked.Exchange(ref _launcherWaiting, 0);
            }
        }
    }

    /// <summary>Claims and runs chunks of launch <paramref name="generation"/> until none is left; <paramref name="thread"/>
    /// is 0 for the caller and the worker's number otherwise (workers beyond the launch's thread count stay out).</summary>
    private void Participate(uint generation, int thread)
    {
        while (true)
        {
            long claim = Volatile.Read(ref _claim);
            int chunks = (int)((claim >> 16) & 0xFFFF), next = (int)(claim & 0xFFFF);
            if ((uint)(claim >> 32) != generation || next >= chunks) return;
            // Read before the claim: valid if the claim succeeds, since the launch cannot end while this chunk is unclaimed.
            ChunkJob job = _job!;
            int count = _count, align = _align;
            if (thread >= _threadLimit) return;
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) != claim) continue;
            try
            {
                job.Run(Boundary(count, next, chunks, align), Boundary(count, next + 1, chunks, align));
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                if (Interlocked.Increment(ref _done) == chunks && Volatile.Read(ref _launcherWaiting) != 0)
                    lock (_doneGate) Monitor.PulseAll(_doneGate);
            }
        }
    }

    /// <summary>Where chunk <paramref name="chunk"/> of <paramref name="chunks"/> starts: near-equal shares, inner
    /// boundaries rounded down to a multiple of <paramref name="align"/>.</summary>
    private static int Boundary(int count, int chunk, int chunks, int align) =>
        chunk >= chunks ? count : (int)((long)count * chunk / chunks) / align * align;

    private Thread[] StartWorkers()
    {
        var threads = new Thread[_workerCount];
        for (int w = 0; w < threads.Length; w++)
        {
            int thread = w + 1;
            threads[w] = new Thread(() => WorkerLoop(thread)) { IsBackground = true, Name = $"KerasGpu cpu worker {thread}" };
            threads[w].Start();
        }
        return threads;
    }

    private void WorkerLoop(int thread)
    {
        uint seen = 0;
        bool spin = false;
        while (true)
        {
            WaitForLaunchAfter(seen, spin);
            if (_disposed) return;
            seen = (uint)(Volatile.Read(ref _claim) >> 32);
            Participate(seen, thread);
            // A worker the last launch did not use (a backend with more threads than its kernels split into) blocks at
            // once instead of spinning on a core it is unlikely to need.
            spin = thread < Volatile.Read(ref _threadLimit);
        }
    }

    /// <summary>Spins (if <paramref name="spin"/>), then blocks, until a launch newer than <paramref name="seen"/> is
    /// published or the pool is disposed.</summary>
    private void WaitForLaunchAfter(uint seen, bool spin)
    {
        long start = Stopwatch.GetTimestamp(), until = spin ? start + SpinTicks : start, nextYield = start + YieldTicks;
        for (long now = start; now < until; now = Stopwatch.GetTimestamp())
        {
            if ((uint)(Volatile.Read(ref _claim) >> 32) != seen || _disposed) return;
            Thread.SpinWait(8);
            if (now < nextYield) continue;
            // Let other runnable threads of this core (another process) go first: a spinning worker must not starve them.
            Thread.Yield();
            nextYield = now + YieldTicks;
        }
        lock (_gate)
        {
            // Announce the sleep before the last check: a launcher that publishes after this check sees the sleeper
            // (both sides use full fences) and pulses, which cannot happen before Wait since it needs the lock.
            Interlocked.Increment(ref _sleepers);
            while ((uint)(Volatile.Read(ref _claim) >> 32) == seen && !_disposed) Monitor.Wait(_gate);
            Interlocked.Decrement(ref _sleepers);
        }
    }

    /// <summary>This pool's reusable job for bodies of type <typeparamref name="TBody"/> (allocated on first use only).</summary>
    private ChunkJob<TBody> JobFor<TBody>() where TBody : struct, IChunkBody
    {
        int kind = JobKind<TBody>.Index;
        if (kind >= _jobs.Length) Array.Resize(ref _jobs, kind + 8);
        if (_jobs[kind] is not ChunkJob<TBody> job) _jobs[kind] = job = new ChunkJob<TBody>();
        return job;
    }

    /// <summary>Stops the workers (they exit once they see the flag); launches after this throw.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate) Monitor.PulseAll(_gate);
    }

    /// <summary>A launch's body behind a class, so workers can call it without knowing its type.</summary>
    private abstract class ChunkJob
    {
        public abstract void Run(int start, int end);
    }

    private sealed class ChunkJob<TBody> : ChunkJob where TBody : struct, IChunkBody
    {
        public TBody Body;

        public override void Run(int start, int end) => Body.Run(start, end);
    }

    /// <summary>A small dense index per body type, for the per-pool job table.</summary>
    private static class JobKind<TBody> where TBody : struct, IChunkBody
    {
        public static readonly int Index = Interlocked.Increment(ref s_jobKinds) - 1;
    }
}
