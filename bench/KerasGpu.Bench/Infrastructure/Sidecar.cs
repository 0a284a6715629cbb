using System.Text.Json;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>Memory a training benchmark process measured, keyed by method and backend.</summary>
public sealed record SidecarRecord(string Key, string Device, long PeakManagedBytes, long PeakWorkingSetBytes);

/// <summary>
/// Measurements a benchmark process hands back to the host: one JSON line per benchmark case appended to
/// <see cref="BenchEnvironment.SidecarPath"/> (BenchmarkDotNet's own results carry only times and allocations).
/// </summary>
public static class Sidecar
{
    public static string Key(string method, string backend) => $"{method}/{backend}";

    public static void Write(SidecarRecord record)
    {
        if (BenchEnvironment.SidecarPath is not { } path) return;
        File.AppendAllText(path, JsonSerializer.Serialize(record) + "\n");
    }

    /// <summary>The last record for each key (a later run of the same case wins).</summary>
    public static IReadOnlyDictionary<string, SidecarRecord> Read()
    {
        var records = new Dictionary<string, SidecarRecord>();
        if (BenchEnvironment.SidecarPath is not { } path || !File.Exists(path)) return records;
        foreach (string line in File.ReadLines(path))
            if (line.Length > 0 && JsonSerializer.Deserialize<SidecarRecord>(line) is { } r)
                records[r.Key] = r;
        return records;
    }
}
