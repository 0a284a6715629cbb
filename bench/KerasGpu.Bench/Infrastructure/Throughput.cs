using System.Reflection;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using KerasGpu.Bench.Primitives;
using KerasGpu.Bench.Training;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>
/// The napkin math behind the custom columns: GFLOP/s for MatMul (2·M·N·K per call), GB/s for the memory-bound
/// kernels (bytes read + written per call, from each class's static <c>Traffic(method, length)</c>), steps/s for
/// the training epochs.
/// </summary>
public static class Throughput
{
    /// <summary>Mean time of one call in nanoseconds, or null when the case failed.</summary>
    public static double? MeanNanoseconds(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Mean;

    public static string MethodName(BenchmarkCase c) => c.Descriptor.WorkloadMethod.Name;

    public static object? Parameter(BenchmarkCase c, string name) =>
        c.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;

    /// <summary>Throughput of one case: value and unit ("GFLOP/s", "GB/s" or "steps/s"), or null.</summary>
    public static (double Value, string Unit)? Of(BenchmarkCase c, double meanNs)
    {
        var type = c.Descriptor.Type;
        if (Parameter(c, nameof(MatMulBenchmarks.Case)) is MatMulCase mm)
            return (mm.Shape.Flops / meanNs, "GFLOP/s");
        if (type == typeof(MlpEpochBenchmarks))
            return (MlpEpochBenchmarks.StepsPerEpoch(MlpEpochBenchmarks.BatchOf(MethodName(c))) / (meanNs * 1e-9), "steps/s");
        var traffic = type.GetMethod("Traffic", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(int)]);
        if (traffic is not null && Parameter(c, "Length") is int length)
            return ((double)traffic.Invoke(null, [MethodName(c), length])! / meanNs, "GB/s");
        return null;
    }
}
