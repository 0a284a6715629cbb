using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Reports;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>
/// Writes the one summary table docs/BENCHMARKS.md takes: machine, devices, date and command in the header, then
/// one row per benchmark case with its mean time, its throughput and (for training) its memory.
/// </summary>
public static class SummaryTable
{
    /// <summary>The table rows alone, for a parent process to merge (training children in in-process mode).</summary>
    public const string RowsFile = "kerasgpu-rows.md";

    public static string Write(IEnumerable<Summary> summaries, IEnumerable<string> extraRows, string directory, string command, bool quick, bool inProcess)
    {
        var rows = new List<string>();
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"# KerasGpu benchmarks ({(quick ? "quick" : "full")} mode{(inProcess ? ", in-process toolchain" : "")})");
        sb.AppendLine();
        sb.AppendLine(inv, $"- Machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        sb.AppendLine(inv, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine(inv, $"- Command: `{command}`");
        foreach (var p in BackendCatalog.All)
            sb.AppendLine(p.Present
                ? $"- Backend `{p.Name}`: {p.DeviceName}{(p.Selected ? "" : $" (skipped: {p.Reason})")}"
                : $"- Backend `{p.Name}`: absent ({p.Reason})");
        sb.AppendLine();
        sb.AppendLine("| Benchmark | Case | Backend | Mean | Throughput | Device time | Peak managed | Peak WS | Allocated/op | Allocated/step |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var summary in summaries)
            foreach (var report in summary.Reports)
            {
                var c = report.BenchmarkCase;
                string method = Throughput.MethodName(c);
                string bench = $"{c.Descriptor.Type.Name.Replace("Benchmarks", "", StringComparison.Ordinal)}.{method}";
                string caseText = c.Descriptor.Type == typeof(Training.MlpEpochBenchmarks)
                    ? $"batch {Training.MlpEpochBenchmarks.BatchOf(method)}, 1 epoch"
                    : string.Join(", ", c.Parameters.Items.Where(p => p.Name != "Backend").Select(p => p.Value?.ToString()));
                string backend = Throughput.Parameter(c, "Backend")?.ToString() ?? "?";
                double? ns = report.Success ? report.ResultStatistics?.Mean : null;
                string mean = ns is { } t ? FormatTime(t) : "failed";
                string rate = ns is { } t2 && Throughput.Of(c, t2) is { } r ? string.Create(inv, $"{r.Value:0.00} {r.Unit}") : "-";
                var memory = Columns.Memory(c);
                string deviceTime = Columns.DeviceTimeColumn.GetValue(summary, c);
                rows.Add(string.Create(inv, $"| {bench} | {caseText} | {backend} | {mean} | {rate} | {deviceTime} | {(memory is null ? "-" : Columns.Format(memory.PeakManagedBytes))} | {(memory is null ? "-" : Columns.Format(memory.PeakWorkingSetBytes))} | {Allocated(report)} | {(memory?.AllocatedBytesPerStep is { } perStep ? perStep.ToString("0", inv) + " B" : "-")} |"));
            }
        rows.AddRange(extraRows);
        foreach (string row in rows) sb.AppendLine(row);
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, RowsFile), rows);
        string path = Path.Combine(directory, "kerasgpu-summary.md");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static string Allocated(BenchmarkReport report) =>
        report.BenchmarkCase.Config.HasMemoryDiagnoser() && report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) is long bytes
            ? Columns.Format(bytes) : "-";

    public static string FormatTime(double ns) => ns switch
    {
        < 1e3 => string.Create(CultureInfo.InvariantCulture, $"{ns:0.0} ns"),
        < 1e6 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e3:0.00} µs"),
        < 1e9 => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e6:0.00} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e9:0.000} s"),
    };

    /// <summary>The CPU model from /proc/cpuinfo (Linux), else the architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                        return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
