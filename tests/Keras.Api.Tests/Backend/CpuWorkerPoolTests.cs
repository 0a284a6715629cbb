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
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(1000, 2)]
    [InlineData(1001, 3)]
    [InlineData(5, 4)]
    public void Run_CoversEveryIndexExactlyOnce(int count, int threads)
    {
        using var pool = new CpuWorkerPool(threads);
        for (int launch = 0; launch < 200; launch++)
        {
            var hits = new int[count];
            var body = new CountBody(hits);
            pool.Run(count, threads, ref body);
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
            pool.Run(2, 2, ref body);
            Assert.NotEqual(ids[0], ids[1]);
            Thread.Sleep(50); // past the spin window: the next launch has to wake a blocked worker
        }
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
            var error = Assert.Throws<InvalidOperationException>(() => pool.Run(100, 2, ref failing));
            Assert.Equal($"chunk at {failingIndex}", error.Message);
        }
        var hits = new int[100];
        var body = new CountBody(hits);
        pool.Run(100, 2, ref body);
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
                pool.Run(hits.Length, 2, ref body);
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
        pool.Run(10, 2, ref body);
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(10, 2, ref body));
    }
}
