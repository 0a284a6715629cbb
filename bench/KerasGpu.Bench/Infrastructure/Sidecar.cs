using System.Text.Json;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>What a benchmark process measured beside BenchmarkDotNet's times: memory of a training case (keyed by
/// method and backend) or the device time of a kernel case (keyed by class, method and parameters).</summary>
public sealed record SidecarRecord(string Key, string Device, long PeakManagedBytes, long PeakWorkingSetBytes)
{
    /// <summary>Median device time of one launch, from the backend's queue timestamps.</summary>
    public double? DeviceNanoseconds { get; init; }

    /// <summary>Managed bytes the training thread allocated per steady-state training step (from the 10th step of an
    /// epoch to its last full batch).</summary>
    public double? AllocatedBytesPerStep { get; init; }
}

/// <summary>Keys of device-time records, computed the same way in the benchmark process and in the column.</summary>
public static class DeviceTime
{
    public static string Key(string type, string method, string parameters) => $"{type}.{method}/{parameters}";

    /// <summary>"Name=Value" of the instance's [Params]/[ParamsSource] properties, by name.</summary>
    public static string ParameterText(object benchmark) => string.Join(",", benchmark.GetType().GetProperties()
        .Where(p => p.IsDefined(typeof(BenchmarkDotNet.Attributes.ParamsAttribute), true) || p.IsDefined(typeof(BenchmarkDotNet.Attributes.ParamsSourceAttribute), true))
        .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.GetValue(benchmark)}"));

    /// <summary>The same text from a BenchmarkDotNet case.</summary>
    public static string ParameterText(BenchmarkDotNet.Running.BenchmarkCase c) => string.Join(",",
        c.Parameters.Items.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));
}

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
