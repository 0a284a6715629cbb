namespace KerasGpu.Bench.Infrastructure;

/// <summary>
/// Settings the host process decides and every benchmark process reads. BenchmarkDotNet runs benchmarks in child
/// processes (and evaluates <c>[ParamsSource]</c> there again), so the settings travel as environment variables,
/// which child processes inherit.
/// </summary>
public static class BenchEnvironment
{
    public const string ModeVariable = "KERASGPU_BENCH_MODE";
    public const string BackendsVariable = "KERASGPU_BENCH_BACKENDS";
    public const string SidecarVariable = "KERASGPU_BENCH_SIDECAR";
    public const string CommandVariable = "KERASGPU_BENCH_COMMAND";
    public const string InProcessVariable = "KERASGPU_BENCH_INPROCESS";

    /// <summary>Quick mode: few iterations, the small sizes and the MLP shapes (a 2-core CPU machine in minutes).</summary>
    public static bool Quick => Environment.GetEnvironmentVariable(ModeVariable) == "quick";

    /// <summary>
    /// Everything runs inside the bench process (BenchmarkDotNet's in-process toolchain): no SDK needed, as on a
    /// machine that has only a self-contained publish. Training epochs then run in one child process per case.
    /// </summary>
    public static bool InProcess => Environment.GetEnvironmentVariable(InProcessVariable) == "1";

    /// <summary>Backends the user asked for with <c>--backends</c> (null: every present one).</summary>
    public static IReadOnlyList<string>? RequestedBackends =>
        Environment.GetEnvironmentVariable(BackendsVariable) is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;

    /// <summary>A JSON-lines file where benchmark processes leave measurements the host reads back (peak memory).</summary>
    public static string? SidecarPath => Environment.GetEnvironmentVariable(SidecarVariable);
}
