using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Backend;

/// <summary>The CPU backend's persistent worker pool: coverage of the range, real concurrency, exceptions, reentrancy.</summary>
public class CpuWorkerPoolTests
{
    /// <summary>Adds one to every index it is given, so double or missed coverage shows.</summary>
    private readonly struct CountBody(int[] hits) : IChunkBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++) Interlocked.Increment(ref hits[i]);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 2, 2)]
    [InlineData(1000, 2, 2)]
    [InlineData(1000, 8, 2)]
    [InlineData(1001, 12, 3)]
    [InlineData(5, 4, 4)]
    [InlineData(5, 70000, 2)]
    public void Run_CoversEveryIndexExactlyOnce(int count, int chunks, int threads)
    {
        using var pool = new CpuWorkerPool(threads);
        for (int launch = 0; launch < 200; launch++)
        {
            var hits = new int[count];
            var body = new CountBody(hits);
            pool.Run(count, chunks, threads, ref body);
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    /// <summary>Chunk 0 waits until chunk 1 has started on another thread, which only a real worker can do.</summary>
    private readonly struct RendezvousBody(int[] started, int[] threadIds) : IChunkBody
    {
        public void Run(int start, int end)
        {
            threadIds[start] = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref started[start]);
            if (start != 0) return;
            var until = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref started[1]) == 0)
            {
                if (DateTime.UtcNow > until) throw new TimeoutException("No worker picked up chunk 1.");
                Thread.Yield();
            }
        }
    }

    [Fact]
    public void Run_UsesAWorkerThreadConcurrently_EvenAfterItWentToSleep()
    {
        using var pool = new CpuWorkerPool(2);
        for (int launch = 0; launch < 3; launch++)
        {
            int[] started = new int[2], ids = new int[2];
            var body = new RendezvousBody(started, ids);
            pool.Run(2, 2, 2, ref body);
            Assert.NotEqual(ids[0], ids[1]);
            Thread.Sleep(50); // past the spin window: the next launch has to wake a blocked worker
        }
    }

    /// <summary>Chunk 0 (the caller's) waits until a worker has started chunk 1, which then takes
    /// <paramref name="sleepMs"/>: the caller runs out of chunks first and has to wait for the worker's.</summary>
    private readonly struct SlowWorkerBody(int[] started, int[] finished, int sleepMs) : IChunkBody
    {
        public void Run(int start, int end)
        {
            Volatile.Write(ref started[start], 1);
            if (start == 0)
            {
                var until = DateTime.UtcNow.AddSeconds(30);
                while (Volatile.Read(ref started[1]) == 0)
                {
                    if (DateTime.UtcNow > until) throw new TimeoutException("No worker picked up chunk 1.");
                    Thread.Yield();
                }
            }
            else if (sleepMs > 0) Thread.Sleep(sleepMs);
            Volatile.Write(ref finished[start], 1);
        }
    }

    /// <summary>The caller spins for a short while, then blocks until the worker finishing the last chunk wakes it;
    /// both ways it returns only once every chunk is done (0 ms stays within the spin, 1 and 5 ms block).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Run_ReturnsOnlyAfterAWorkersSlowChunk(int sleepMs)
    {
        using var pool = new CpuWorkerPool(2);
        for (int launch = 0; launch < 30; launch++)
        {
            int[] started = new int[2], finished = new int[2];
            var body = new SlowWorkerBody(started, finished, sleepMs);
            pool.Run(2, 2, 2, ref body);
            Assert.Equal([1, 1], finished);
        }
    }

    /// <summary>Records the start of every chunk it runs (at its own start index).</summary>
    private readonly struct StartBody(bool[] starts) : IChunkBody
    {
        public void Run(int start, int end) => starts[start] = true;
    }

    [Theory]
    [InlineData(1000, 8, 16)]
    [InlineData(100003, 8, 16)]
    [InlineData(40, 8, 16)]
    public void Run_AlignsInnerChunkBoundaries(int count, int chunks, int align)
    {
        using var pool = new CpuWorkerPool(2);
        var starts = new bool[count];
        var body = new StartBody(starts);
        pool.Run(count, chunks, 2, ref body, align);
        int found = 0;
        for (int i = 0; i < count; i++)
            if (starts[i]) { Assert.Equal(0, i % align); found++; }
        Assert.InRange(found, 1, Math.Min(chunks, (count + align - 1) / align));
    }

    /// <summary>Records which thread ran each index.</summary>
    private readonly struct ThreadIdBody(int[] ids) : IChunkBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++) ids[i] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(2000); // long enough for idle workers to try to join
        }
    }

    [Fact]
    public void Run_UsesAtMostTheLaunchsThreadCount()
    {
        using var pool = new CpuWorkerPool(4);
        var seen = new HashSet<int>();
        for (int launch = 0; launch < 200; launch++)
        {
            var ids = new int[64];
            var body = new ThreadIdBody(ids);
            pool.Run(64, 64, 2, ref body);
            int distinct = ids.Distinct().Count();
            Assert.InRange(distinct, 1, 2);
            seen.UnionWith(ids);
        }
        // The caller plus worker 1 only, across every launch.
        Assert.InRange(seen.Count, 1, 2);
    }

    private readonly struct ThrowingBody(int failingIndex) : IChunkBody
    {
        public void Run(int start, int end)
        {
            if (start <= failingIndex && failingIndex < end) throw new InvalidOperationException($"chunk at {failingIndex}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    public void Run_RethrowsAChunksException_OnTheCaller_AndStaysUsable(int failingIndex)
    {
        using var pool = new CpuWorkerPool(2);
        for (int launch = 0; launch < 20; launch++)
        {
            var failing = new ThrowingBody(failingIndex);
            var error = Assert.Throws<InvalidOperationException>(() => pool.Run(100, 2, 2, ref failing));
            Assert.Equal($"chunk at {failingIndex}", error.Message);
        }
        var hits = new int[100];
        var body = new CountBody(hits);
        pool.Run(100, 2, 2, ref body);
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void Run_FromManyThreadsAtOnce_CoversEachLaunch()
    {
        using var pool = new CpuWorkerPool(2);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int launch = 0; launch < 100; launch++)
            {
                var hits = new int[257];
                var body = new CountBody(hits);
                pool.Run(hits.Length, 2, 2, ref body);
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        });
    }

    [Fact]
    public void Run_AfterDispose_Throws()
    {
        var pool = new CpuWorkerPool(2);
        var hits = new int[10];
        var body = new CountBody(hits);
        pool.Run(10, 2, 2, ref body);
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(10, 2, 2, ref body));
    }
}
