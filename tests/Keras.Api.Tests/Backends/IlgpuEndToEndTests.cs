using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;
using KerasGpu.Backends.Ilgpu;
using KerasGpu.Losses;
using KerasGpu.Optimizers;
using KerasGpu.Tests.Training;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Backends;

/// <summary>One ilgpu:cpu backend for the class, so its kernels compile once.</summary>
public sealed class IlgpuCpuFixture : IDisposable
{
    public IlgpuBackend Backend { get; } = new("cpu");

    public void Dispose() => Backend.Dispose();
}

/// <summary>
/// The ILGPU backend under the whole library on ILGPU's CPU accelerator: discovery and device selection, buffer life
/// cycle, a fit/evaluate/predict cycle that leaves nothing allocated, and training that matches the cpu backend. The
/// models use the backend through <c>Keras.Config.UseBackend</c>; the class joins the non-parallel
/// <see cref="GlobalStateCollection"/> because it seeds Keras' global random state.
/// </summary>
[Collection("GlobalState")]
public sealed class IlgpuEndToEndTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>
{
    private readonly IlgpuBackend _backend = fixture.Backend;

    // ---- discovery and selection --------------------------------------------------------------------------------

    [Fact]
    public void Registry_FindsTheIlgpuProvider_BesideTheApplication()
    {
        Assert.Contains("ilgpu", BackendRegistry.Names);
        using var backend = BackendRegistry.Create("ilgpu:cpu");
        Assert.Equal("ilgpu:cpu", backend.Name);
        Assert.False(string.IsNullOrWhiteSpace(backend.DeviceName));
    }

    [Theory]
    [InlineData("cpu:3")]
    [InlineData("tpu")]
    [InlineData("cpu:x")]
    public void AbsentOrInvalidDevice_IsAnArgumentException_ListingWhatWasFound(string selector)
    {
        var e = Assert.Throws<ArgumentException>(() => new IlgpuBackend(selector));
        Assert.Contains(selector, e.Message);
        if (!selector.EndsWith('x')) Assert.Contains("cpu: [0]", e.Message);
    }

    // ---- buffers ------------------------------------------------------------------------------------------------

    [Fact]
    public void Buffers_ArePooledCounted_AndUnusableOnceDisposed()
    {
        long before = _backend.LiveBufferCount;
        var a = _backend.Allocate(DType.Float32, 5);
        var empty = _backend.Allocate(DType.Int32, 0);
        Assert.Equal(before + 2, _backend.LiveBufferCount);
        _backend.Upload<float>([1, 2, 3, 4, 5], a);
        var host = new float[3];
        _backend.Download<float>(a, host, sourceOffset: 2);
        Assert.Equal([3f, 4f, 5f], host);
        a.Dispose();
        a.Dispose(); // harmless
        empty.Dispose();
        Assert.Equal(before, _backend.LiveBufferCount);
        Assert.True(a.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => _backend.Fill(a, 1f));
        Assert.Throws<ObjectDisposedException>(() => _backend.Download<float>(a, host));
    }

    [Fact]
    public void Warmup_CompilesEveryKernel_AndLeavesNothingAllocated()
    {
        long before = _backend.LiveBufferCount;
        _backend.Warmup();
        Assert.Equal(before, _backend.LiveBufferCount);
        Assert.Equal(IlgpuMatMulKernel.Auto, _backend.MatMulKernel);
    }

    [Fact]
    public void Dispose_IsIdempotent_AndLaterUseThrows()
    {
        var backend = new IlgpuBackend("cpu");
        var buffer = backend.Allocate(DType.Float32, 4);
        backend.Dispose();
        backend.Dispose();
        buffer.Dispose(); // a buffer outliving its backend may still be disposed
        Assert.Throws<ObjectDisposedException>(() => backend.Allocate(DType.Float32, 4));
    }

    [Fact]
    public void OutOfMemory_NamesTheRequestAndTheFreeMemory()
    {
        // 256 TiB: beyond a 47-bit user address space, so even an overcommitting kernel refuses it.
        var e = Assert.Throws<OutOfMemoryException>(() => _backend.Allocate(DType.Float32, 1L << 46));
        Assert.Contains("281,474,976,710,656 bytes", e.Message);
        Assert.Contains("free device memory", e.Message);
    }

    // ---- training -----------------------------------------------------------------------------------------------

    [Fact]
    public void FitEvaluatePredict_ThenDispose_ReleaseEveryBuffer()
    {
        using var scope = Keras.Config.UseBackend(_backend);
        var x = Features(70, 20, seed: 1);
        var y = Labels(x, 4, seed: 2);
        long before = _backend.LiveBufferCount;
        var model = Mlp(20, 16, 4);
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new Adam(), metrics: ["accuracy"]);
        model.Fit(x, y, batchSize: 16, epochs: 2, validationSplit: 0.2, verbose: 0);
        model.Evaluate(x, y, batchSize: 16, verbose: 0);
        model.Predict(x, batchSize: 16, verbose: 0);
        Assert.True(_backend.LiveBufferCount > before, "weights, optimizer slots and metric totals are live while the model is");
        model.Dispose();
        Assert.Equal(before, _backend.LiveBufferCount);
    }

    /// <summary>The same seeded model and data on cpu and on ilgpu:cpu: initial weights are bit-identical (Philox), so
    /// only float rounding separates the runs, and test accuracy agrees within one point.</summary>
    [Fact]
    public void SmallFit_ReachesTheCpuBackendsAccuracy()
    {
        var x = Features(400, 32, seed: 11);
        var y = Labels(x, 4, seed: 12);
        var (xTest, yTest) = (Rows(x, 300, 100), y[300..]);
        var xTrain = Rows(x, 0, 300);
        (double Accuracy, float[] Initial) Run(IBackend backend)
        {
            using var scope = Keras.Config.UseBackend(backend);
            Keras.Utils.SetRandomSeed(1234);
            using var model = Mlp(32, 32, 4);
            model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new Adam(learningRate: 0.01f), metrics: ["accuracy"]);
            var initial = Snapshot(model)[0];
            model.Fit(xTrain, y[..300], batchSize: 32, epochs: 10, verbose: 0);
            return (model.Evaluate(xTest, yTest, verbose: 0)[1], initial);
        }
        using var cpu = new CpuBackend();
        var onCpu = Run(cpu);
        var onIlgpu = Run(_backend);
        Assert.Equal(onCpu.Initial, onIlgpu.Initial);
        Assert.True(onCpu.Accuracy > 0.6, $"the cpu run should learn (accuracy {onCpu.Accuracy})");
        TestContext.Current.TestOutputHelper?.WriteLine($"test accuracy: cpu {onCpu.Accuracy}, ilgpu:cpu {onIlgpu.Accuracy}");
        Assert.True(Math.Abs(onCpu.Accuracy - onIlgpu.Accuracy) <= 0.01, $"cpu {onCpu.Accuracy}, ilgpu:cpu {onIlgpu.Accuracy}");
    }
}
