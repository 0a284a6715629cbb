using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>
/// Brings the CPU backend's GEMM paths (packed and direct, every transpose) to the JIT's optimised tier before the
/// in-process kernel benchmarks start. Without it the first MatMul case in the process measured tier-0 and
/// on-stack-replacement code (256^3 at ~7-12 GFLOP/s where a warm loop gives ~60-90), however many warm-up
/// iterations BenchmarkDotNet ran, because tier-up waits for call counts and a background compile.
/// </summary>
internal static class JitWarmup
{
    public static void CpuGemm()
    {
        // Every CPU vector width the backend may run, one and all threads, until a second has passed: tier-up waits
        // for call counts and then for a quiet 100 ms, and a first 2-thread case measured ~10 ms per 256^3 product
        // (against ~0.3 ms warm) when only 60 calls per shape had run.
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        using var all = new CpuBackend();
        using var one = new CpuBackend(1);
        (int M, int N, int K)[] shapes = [(256, 256, 256), (128, 128, 128), (64, 64, 784), (128, 10, 512), (784, 64, 64), (64, 10, 64)];
        while (stopwatch.ElapsedMilliseconds < 1000)
            foreach (var backend in new[] { all, one })
                foreach (var (m, n, k) in shapes)
                {
                    using var a = backend.Allocate(DType.Float32, (long)m * k);
                    using var b = backend.Allocate(DType.Float32, (long)k * n);
                    using var y = backend.Allocate(DType.Float32, (long)m * n);
                    backend.Fill(a, 0.5f);
                    backend.Fill(b, 0.25f);
                    foreach (bool ta in new[] { false, true })
                        foreach (bool tb in new[] { false, true })
                            for (int i = 0; i < 20; i++) backend.MatMul(a, b, y, new MatMulShape(m, n, k, ta, tb));
                }
        Thread.Sleep(500); // the tier-1 compiles run on a background thread
    }
}
