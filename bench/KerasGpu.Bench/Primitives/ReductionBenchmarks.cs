using BenchmarkDotNet.Attributes;
using KerasGpu.Backend;

namespace KerasGpu.Bench.Primitives;

/// <summary>
/// Reductions: the bias gradient (sum over the rows of <c>[Length/512, 512]</c>), a full sum (<c>[1, Length, 1]</c>,
/// the loss mean) and a row max over <c>[Length/10, 10]</c>; reports GB/s.
/// </summary>
public class ReductionBenchmarks : KernelBenchmark
{
    public const int Width = 512;
    public const int Classes = 10;
    private IDeviceBuffer _x = null!, _columns = null!, _scalar = null!, _rows = null!;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    /// <summary>Bytes read + written by one call.</summary>
    public static double Traffic(string method, int length) => 4.0 * method switch
    {
        nameof(BiasGradient) => length / Width * Width + Width,
        nameof(SumAll) => length + 1,
        nameof(RowMax) => length / Classes * (Classes + 1),
        _ => double.NaN,
    };

    [GlobalSetup]
    public void Setup()
    {
        CreateBackend();
        _x = Floats(Length);
        _columns = Floats(Width);
        _scalar = Floats(1);
        _rows = Floats(Length / Classes);
    }

    [Benchmark]
    public void BiasGradient()
    {
        Run(() => Device.Reduce(ReduceOp.Sum, _x, 1, Length / Width, Width, _columns));
    }

    [Benchmark]
    public void SumAll()
    {
        Run(() => Device.Reduce(ReduceOp.Sum, _x, 1, Length, 1, _scalar));
    }

    [Benchmark]
    public void RowMax()
    {
        Run(() => Device.Reduce(ReduceOp.Max, _x, Length / Classes, Classes, 1, _rows));
    }
}
