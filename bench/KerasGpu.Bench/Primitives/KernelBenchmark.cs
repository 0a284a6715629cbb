using BenchmarkDotNet.Attributes;
using KerasGpu.Backend;
using KerasGpu.Bench.Infrastructure;

namespace KerasGpu.Bench.Primitives;

/// <summary>
/// Base of the kernel benchmarks: one backend per benchmark case (created in <c>[GlobalSetup]</c>, disposed in
/// <c>[GlobalCleanup]</c>), buffers filled with seeded Philox data on the device. Every benchmark body is
/// <see cref="Run"/>: the launch, then <see cref="IBackend.Synchronize"/>, so the clock measures finished work, not
/// enqueued launches. On a backend that can time its queue (<see cref="IDeviceTimer"/>), the first call of each case
/// also records the device time of the launch (median of 5) for the "Device time" column.
/// </summary>
[KernelJobConfig]
public abstract class KernelBenchmark
{
    private readonly List<IDeviceBuffer> _buffers = [];
    private readonly HashSet<string> _timed = [];
    private ulong _seed = 1234;

    /// <summary>Backend name, from <see cref="BackendCatalog.Selected"/>.</summary>
    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "cpu";

    public static IEnumerable<string> Backends => BackendCatalog.Selected;

    /// <summary>Element counts of the memory-bound kernels: 2^10, 2^16, 2^20 (and 2^24 in full mode).</summary>
    public static IEnumerable<int> Lengths => BenchEnvironment.Quick ? [1 << 10, 1 << 16, 1 << 20] : [1 << 10, 1 << 16, 1 << 20, 1 << 24];

    protected IBackend Device { get; private set; } = null!;

    protected void CreateBackend() => Device = BackendRegistry.Create(Backend);

    /// <summary>A float32 buffer of uniform values in [low, high).</summary>
    protected IDeviceBuffer Floats(long length, float low = -1f, float high = 1f)
    {
        var b = Device.Allocate(DType.Float32, length);
        Device.RandomUniform(b, _seed++, 0, low, high);
        _buffers.Add(b);
        return b;
    }

    /// <summary>An int32 buffer of seeded values in [0, bound).</summary>
    protected IDeviceBuffer Ints(int length, int bound)
    {
        var rng = new Random((int)_seed++);
        var host = new int[length];
        for (int i = 0; i < length; i++) host[i] = rng.Next(bound);
        var b = Device.Allocate(DType.Int32, length);
        Device.Upload<int>(host, b);
        _buffers.Add(b);
        return b;
    }

    /// <summary>One benchmark invocation: <paramref name="launch"/>, then wait for the device.</summary>
    protected void Run(Action launch, [System.Runtime.CompilerServices.CallerMemberName] string method = "")
    {
        if (_timed.Add(method)) RecordDeviceTime(launch, method);
        launch();
        Device.Synchronize();
    }

    private void RecordDeviceTime(Action launch, string method)
    {
        if (Device is not IDeviceTimer timer) return;
        var samples = new List<double>();
        for (int i = 0; i < 5; i++)
            if (timer.MeasureDeviceTime(launch) is { } t) samples.Add(t.TotalNanoseconds);
        if (samples.Count == 0) return;
        samples.Sort();
        Sidecar.Write(new SidecarRecord(DeviceTime.Key(DeclaredType().Name, method, DeviceTime.ParameterText(this)), Device.DeviceName, 0, 0)
        {
            DeviceNanoseconds = samples[samples.Count / 2],
        });
    }

    /// <summary>The benchmark class as declared here (BenchmarkDotNet may run a generated subclass of it).</summary>
    private Type DeclaredType()
    {
        var type = GetType();
        while (type.Assembly != typeof(KernelBenchmark).Assembly && type.BaseType is { } b) type = b;
        return type;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var b in _buffers) b.Dispose();
        _buffers.Clear();
        Device?.Dispose();
    }
}
