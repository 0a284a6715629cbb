using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>
/// Job of the kernel benchmarks. Quick: in-process (no generated project, no process per case), 3 warm-ups and 5
/// iterations of ~100 ms (the CPU GEMM code is brought to the JIT's optimised tier first: <see cref="JitWarmup"/>). Full: BenchmarkDotNet's out-of-process toolchain (in-process with --in-process), 3 warm-ups and
/// 10 iterations.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class KernelJobConfigAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty()
        .AddJob(BenchEnvironment.Quick
            ? Job.Default.WithId("Quick").WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1)
                .WithWarmupCount(3).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(100))
                .WithEvaluateOverhead(false)
            : InProcessIfAsked(Job.Default.WithId("Full").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)))
        .AddColumn(Columns.Rate, Columns.DeviceTimeColumn)
        .AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(QuickCaseFilter.Keep));

    /// <summary>The in-process toolchain when <see cref="BenchEnvironment.InProcess"/> (no SDK to build a child project).</summary>
    public static Job InProcessIfAsked(Job job) => BenchEnvironment.InProcess ? job.WithToolchain(InProcessEmitToolchain.Instance) : job;
}

/// <summary>
/// Job of the end-to-end epochs: always one process per case (one backend per process, and the process's peak working
/// set is the benchmark's own: BenchmarkDotNet's child process, or with --in-process a child the host starts), one epoch per iteration without pilot or overhead stages (Monitoring), 2 warm-up epochs,
/// 3 measured epochs (quick) or 5 (full), plus MemoryDiagnoser's allocation count.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class TrainingJobConfigAttribute : Attribute, IConfigSource
{
    public IConfig Config { get; } = ManualConfig.CreateEmpty()
        .AddJob(KernelJobConfigAttribute.InProcessIfAsked(Job.Default.WithId("Epoch").WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1)
            .WithWarmupCount(BenchEnvironment.Quick ? 1 : 2).WithIterationCount(BenchEnvironment.Quick ? 2 : 5).WithInvocationCount(1).WithUnrollFactor(1)))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(QuickCaseFilter.Keep))
        .AddColumn(Columns.StepsPerSecond, Columns.PeakManaged, Columns.PeakWorkingSet);
}

/// <summary>
/// Quick mode on an emulated GPU backend (see <see cref="BackendProbe.Emulated"/>) keeps the small cases only: MatMul up
/// to 2·256³ flops, memory-bound kernels up to 2^16 elements, and the 784-64-10 epoch. Everything runs in full mode.
/// </summary>
public static class QuickCaseFilter
{
    public static bool Keep(BenchmarkDotNet.Running.BenchmarkCase c)
    {
        if (!BenchEnvironment.Quick || c.Parameters["Backend"] is not string backend || !BackendCatalog.IsEmulated(backend)) return true;
        if (c.Descriptor.WorkloadMethod.Name == "Mlp784x512x512x10") return false;
        foreach (var p in c.Parameters.Items)
        {
            if (p.Value is Primitives.MatMulCase m && m.Shape.Flops > 2.0 * 256 * 256 * 256) return false;
            if (p.Name == "Length" && p.Value is int n && n > 1 << 16) return false;
        }
        return true;
    }
}
