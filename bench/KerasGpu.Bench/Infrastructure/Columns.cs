using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>A custom column computed from the summary and the benchmark case.</summary>
public sealed class FuncColumn(string name, string legend, Func<Summary, BenchmarkCase, string> value) : IColumn
{
    public string Id => "KerasGpu." + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => value(summary, benchmarkCase);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => value(summary, benchmarkCase);
    public override string ToString() => ColumnName;
}

/// <summary>The suite's custom columns.</summary>
public static class Columns
{
    public static readonly IColumn Rate = new FuncColumn("Rate", "Throughput: GFLOP/s (MatMul, 2·M·N·K per call), GB/s (bytes read + written per call)",
        (s, c) => Throughput.MeanNanoseconds(s, c) is { } ns && Throughput.Of(c, ns) is { } r ? $"{r.Value:0.00} {r.Unit}" : "-");

    public static readonly IColumn DeviceTimeColumn = new FuncColumn("Device time", "Device time of one launch from the backend's queue timestamps (Vulkan timestamp queries), median of 5; '-' where the backend cannot time its queue",
        (s, c) => Sidecar.Read().TryGetValue(DeviceTime.Key(c.Descriptor.Type.Name, c.Descriptor.WorkloadMethod.Name, DeviceTime.ParameterText(c)), out var r)
            && r.DeviceNanoseconds is { } ns ? FormatTime(ns) : "-");

    public static string FormatTime(double ns) => ns >= 1e6 ? $"{ns / 1e6:0.000} ms" : ns >= 1e3 ? $"{ns / 1e3:0.000} us" : $"{ns:0} ns";

    public static readonly IColumn StepsPerSecond = new FuncColumn("Steps/s", "Training steps per second (48,000 samples / batch per epoch; the validation pass is in the time)",
        (s, c) => Throughput.MeanNanoseconds(s, c) is { } ns && Throughput.Of(c, ns) is { } r ? $"{r.Value:0.0}" : "-");

    public static readonly IColumn PeakManaged = new FuncColumn("Peak managed", "Largest managed heap seen after any step of the benchmark process (GC.GetTotalMemory), dataset included",
        (s, c) => Memory(c) is { } r ? Format(r.PeakManagedBytes) : "-");

    public static readonly IColumn PeakWorkingSet = new FuncColumn("Peak WS", "Peak working set of the benchmark process (VmHWM)",
        (s, c) => Memory(c) is { } r ? Format(r.PeakWorkingSetBytes) : "-");

    public static SidecarRecord? Memory(BenchmarkCase c) =>
        Throughput.Parameter(c, "Backend") is string backend
        && Sidecar.Read().TryGetValue(Sidecar.Key(Throughput.MethodName(c), backend), out var r) ? r : null;

    public static string Format(long bytes) => bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.00} GiB"
        : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0} MiB" : $"{bytes / 1024.0:0.0} KiB";
}
