using BenchmarkDotNet.Attributes;
using KerasGpu.Backend;

namespace KerasGpu.Bench.Primitives;

/// <summary>Fused optimizer updates with Keras' defaults (RMSprop without momentum, Adam without AMSGrad); reports GB/s.</summary>
public class OptimizerBenchmarks : KernelBenchmark
{
    private IDeviceBuffer _w = null!, _g = null!, _m = null!, _v = null!;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    /// <summary>Bytes read + written: RMSprop reads w, g, v and writes w, v; Adam reads w, g, m, v and writes w, m, v.</summary>
    public static double Traffic(string method, int length) => 4.0 * length * (method == nameof(RmsProp) ? 5 : 7);

    [GlobalSetup]
    public void Setup()
    {
        CreateBackend();
        _w = Floats(Length);
        _g = Floats(Length, -1e-2f, 1e-2f);
        _m = Floats(Length, -1e-3f, 1e-3f);
        _v = Floats(Length, 0f, 1e-4f);
    }

    [Benchmark]
    public void RmsProp()
    {
        Run(() => Device.RmsPropUpdate(_w, _g, _v, null, null, Length, 1e-3f, 0.9f, 0f, 1e-7f));
    }

    [Benchmark]
    public void Adam()
    {
        Run(() => Device.AdamUpdate(_w, _g, _m, _v, null, Length, 1e-3f, 0.9f, 0.999f, 1e-7f));
    }
}
