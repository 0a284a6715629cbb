using BenchmarkDotNet.Attributes;
using KerasGpu.Backend;

namespace KerasGpu.Bench.Primitives;

/// <summary>
/// Row gather (batching on the device): <c>Length/256</c> rows of 256 float32 picked by random int32 indices from a
/// table twice that size; reports GB/s.
/// </summary>
public class GatherBenchmarks : KernelBenchmark
{
    public const int RowLength = 256;
    private IDeviceBuffer _table = null!, _indices = null!, _y = null!;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    private int Count => Math.Max(1, Length / RowLength);

    /// <summary>Bytes read + written: the picked rows in and out, plus the indices.</summary>
    public static double Traffic(string method, int length)
    {
        double count = Math.Max(1, length / RowLength);
        return 4.0 * (2 * count * RowLength + count);
    }

    [GlobalSetup]
    public void Setup()
    {
        CreateBackend();
        _table = Floats(2L * Count * RowLength);
        _indices = Ints(Count, 2 * Count);
        _y = Floats((long)Count * RowLength);
    }

    [Benchmark]
    public void GatherRows()
    {
        Run(() => Device.GatherRows(_table, RowLength, _indices, 0, Count, _y));
    }
}
