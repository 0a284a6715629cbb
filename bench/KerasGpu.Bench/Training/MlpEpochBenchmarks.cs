using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using KerasGpu.Bench.Infrastructure;
using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;

namespace KerasGpu.Bench.Training;

/// <summary>
/// End to end: one training epoch (<c>Fit(epochs: 1, validationSplit: 0.2, verbose: 0)</c>, RMSprop, sparse
/// categorical cross-entropy from logits, accuracy) on 60,000 synthetic MNIST-shaped samples, so 48,000 train and
/// 12,000 validation samples. Each benchmark case runs in its own process (the Keras backend is chosen once per
/// process), one epoch per invocation; the time includes staging the arrays and the validation pass.
/// </summary>
[TrainingJobConfig]
public class MlpEpochBenchmarks
{
    public const int Samples = 60_000;
    public const double ValidationSplit = 0.2;
    private NDArray _x = null!, _y = null!;
    private Model _model = null!;
    private string _method = "";
    private readonly PeakManagedMemory _peak = new();

    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "cpu";

    public static IEnumerable<string> Backends => BackendCatalog.Selected;

    /// <summary>Training steps per epoch at a batch size (the 48,000 training samples, last batch partial).</summary>
    public static int StepsPerEpoch(int batch) => (int)Math.Ceiling(Samples * (1 - ValidationSplit) / batch);

    /// <summary>Batch size each benchmark method trains with.</summary>
    public static int BatchOf(string method) => method == nameof(Mlp784x512x512x10) ? 128 : 64;

    [GlobalSetup(Target = nameof(Mlp784x64x10))]
    public void SetupSmall() => Setup(nameof(Mlp784x64x10), [64]);

    [GlobalSetup(Target = nameof(Mlp784x512x512x10))]
    public void SetupLarge() => Setup(nameof(Mlp784x512x512x10), [512, 512]);

    private void Setup(string method, int[] hidden)
    {
        _method = method;
        _peak.Method = method;
        Keras.Config.SetBackend(Backend);
        Keras.Utils.SetRandomSeed(42);
        var rng = new Random(42);
        var pixels = new byte[Samples * 784];
        rng.NextBytes(pixels);
        var x = new float[pixels.Length];
        for (int i = 0; i < x.Length; i++) x[i] = pixels[i] / 255f;
        var y = new int[Samples];
        for (int i = 0; i < y.Length; i++) y[i] = rng.Next(10);
        _x = NDArray.FromArray(x, Samples, 784);
        _y = NDArray.FromArray(y, Samples);

        var model = new Sequential();
        model.Add(Keras.Input(shape: [784]));
        foreach (int units in hidden) model.Add(new Dense(units, activation: "relu"));
        model.Add(new Dense(10));
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new RMSprop(), metrics: ["accuracy"]);
        _model = model;
    }

    /// <summary>784-64-10, batch 64 (the seed's MNIST model).</summary>
    [Benchmark]
    public void Mlp784x64x10() => Epoch(64);

    /// <summary>784-512-512-10, batch 128.</summary>
    [Benchmark]
    public void Mlp784x512x512x10() => Epoch(128);

    private void Epoch(int batch)
    {
        _model.Fit(_x, _y, batchSize: batch, epochs: 1, verbose: 0, validationSplit: ValidationSplit, callbacks: [_peak]);
        Keras.Config.CurrentBackend.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        using var self = Process.GetCurrentProcess();
        Sidecar.Write(new SidecarRecord(Sidecar.Key(_method, Backend), Keras.Config.CurrentBackend.DeviceName,
            Math.Max(_peak.Bytes, GC.GetGCMemoryInfo().HeapSizeBytes), self.PeakWorkingSet64)
        { AllocatedBytesPerStep = _peak.BytesPerStep });
    }

    /// <summary>Samples the managed heap after every train and test step (the maximum is the peak managed memory),
    /// and counts the bytes this thread allocates from the end of the 10th training step to the end of the last full
    /// batch (the steady state: the first steps are eager or recorded, the last partial batch has its own plan).</summary>
    private sealed class PeakManagedMemory : Callback
    {
        private const int From = 10;
        private long _start;

        public long Bytes { get; private set; }

        public double? BytesPerStep { get; private set; }

        public override void OnTrainBatchEnd(int batch, Logs logs)
        {
            Sample();
            int lastFull = (int)(Samples * (1 - ValidationSplit)) / BatchOf(Method) - 1;
            if (batch == From) _start = GC.GetAllocatedBytesForCurrentThread();
            else if (batch == lastFull) BytesPerStep = (GC.GetAllocatedBytesForCurrentThread() - _start) / (double)(lastFull - From);
        }

        public override void OnTestBatchEnd(int batch, Logs logs) => Sample();

        public string Method { get; set; } = "";

        private void Sample() => Bytes = Math.Max(Bytes, GC.GetTotalMemory(false));
    }
}
