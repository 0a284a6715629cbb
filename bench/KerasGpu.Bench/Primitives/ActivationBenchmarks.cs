using BenchmarkDotNet.Attributes;
using KerasGpu.Backend;

namespace KerasGpu.Bench.Primitives;

/// <summary>Activation forward (<c>y = act(x)</c>) and backward (<c>dx = dy·act'(y)</c>); reports GB/s.</summary>
public class ActivationBenchmarks : KernelBenchmark
{
    private IDeviceBuffer _x = null!, _y = null!, _dy = null!, _dx = null!;

    [Params(ActivationKind.Relu, ActivationKind.Sigmoid, ActivationKind.Tanh)]
    public ActivationKind Kind { get; set; }

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    /// <summary>Bytes read + written by one call (float32): forward reads x, writes y; backward reads y, dy, writes dx.</summary>
    public static double Traffic(string method, int length) => 4.0 * length * (method == nameof(Forward) ? 2 : 3);

    [GlobalSetup]
    public void Setup()
    {
        CreateBackend();
        _x = Floats(Length);
        _y = Floats(Length, 0f, 1f);
        _dy = Floats(Length);
        _dx = Floats(Length);
    }

    [Benchmark]
    public void Forward()
    {
        Run(() => Device.ActivationForward(Kind, _x, _y, Length));
    }

    [Benchmark]
    public void Backward()
    {
        Run(() => Device.ActivationBackward(Kind, _y, _dy, _dx, Length));
    }
}
