using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;
using KerasGpu.Backends.Vulkan;
using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;
using KerasGpu.Optimizers.Schedules;
using KerasGpu.Regularizers;
using KerasGpu.Tracing;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Training;

/// <summary>
/// Recorded-and-replayed steps (<see cref="Model.RunEagerly"/> false, the default) against eager steps: the same
/// training, bit for bit, on every step kind (full and partial batches, validation), with a schedule, a regularizer and
/// Dropout; no managed allocation in a replayed step; and the steps that must stay eager do.
/// </summary>
[Collection("GlobalState")] // SetRandomSeed is process-wide
public class TracedStepTests
{
    private const int Inputs = 12, Classes = 4;

    private static Sequential Model(bool dropout)
    {
        var model = new Sequential();
        model.Add(Keras.Input(shape: [Inputs]));
        model.Add(new Dense(16, activation: "relu", kernelRegularizer: new L2(1e-3)));
        if (dropout) model.Add(new Dropout(0.25, seed: 7));
        model.Add(new Dense(Classes));
        return model;
    }

    private static (History History, NDArray[] Weights, long Replays, NDArray Predictions) Train(bool runEagerly, bool dropout, Func<Sequential>? build = null)
    {
        Keras.Utils.SetRandomSeed(3);
        using var model = build?.Invoke() ?? Model(dropout);
        model.Compile(
            optimizer: new Adam(learningRate: new ExponentialDecay(0.01, decaySteps: 5, decayRate: 0.8)),
            loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"], runEagerly: runEagerly);
        var x = Features(100, Inputs, seed: 4);
        var y = Labels(x, Classes, seed: 5);
        long before = TracedStep.ReplaysOnThisThread;
        // 80 training samples at batch 16 = 5 full batches; 20 validation samples = one full batch and a partial one.
        var history = model.Fit(NDArray.From2D(x), NDArray.FromArray(y, 100), batchSize: 16, epochs: 6, verbose: 0, validationSplit: 0.2);
        var predictions = model.Predict(NDArray.From2D(x), batchSize: 8, verbose: 0)[0];
        long replays = TracedStep.ReplaysOnThisThread - before;
        return (history, [.. model.Weights.Select(w => w.Numpy())], replays, predictions);
    }

    private static void AssertSameTraining((History History, NDArray[] Weights, long, NDArray Predictions) eager,
        (History History, NDArray[] Weights, long, NDArray Predictions) traced)
    {
        Assert.Equal(eager.Predictions.AsSpan<float>().ToArray(), traced.Predictions.AsSpan<float>().ToArray());
        Assert.Equal(eager.History.Keys, traced.History.Keys);
        foreach (var key in eager.History.Keys) Assert.Equal(eager.History[key], traced.History[key]);
        Assert.Equal(eager.Weights.Length, traced.Weights.Length);
        for (int i = 0; i < eager.Weights.Length; i++)
            Assert.Equal(eager.Weights[i].AsSpan<float>().ToArray(), traced.Weights[i].AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReplayedSteps_TrainExactlyAsEagerSteps(bool dropout)
    {
        var eager = Train(runEagerly: true, dropout);
        var traced = Train(runEagerly: false, dropout);
        Assert.Equal(0, eager.Replays);
        // Per epoch: 5 train steps (the first three of the run are eager or recorded) and 2 validation steps of two
        // sizes (each size recorded on its 2nd and 3rd use) — most steps of the six epochs are replays; then 12 full
        // predict batches (9 replays) and a partial one.
        Assert.True(traced.Replays >= 6 * 5 - 3 + 6 * 2 - 6 + 9, $"only {traced.Replays} replays");
        AssertSameTraining(eager, traced);
        // Training did something: the loss fell.
        Assert.True(traced.History["loss"][^1] < traced.History["loss"][0]);
    }

    [Theory]
    [InlineData("ilgpu:cpu")]
    [InlineData("vulkan")]
    public void ReplayedSteps_TrainExactlyAsEagerSteps_OnTheDeviceBackends(string name)
    {
        using var backend = name == "vulkan" ? new VulkanBackend(new VulkanBackendOptions { Validation = true }) : BackendRegistry.Create(name);
        using var scope = Keras.Config.UseBackend(backend);
        var eager = Train(runEagerly: true, dropout: true);
        var traced = Train(runEagerly: false, dropout: true);
        Assert.True(traced.Replays > 0, "no step was replayed");
        AssertSameTraining(eager, traced);
        if (backend is VulkanBackend vulkan) Assert.Empty(vulkan.ValidationMessages);
    }

    /// <summary>A layer whose output depends on a value read back to the host each call.</summary>
    private sealed class HostScaledLayer : Layer
    {
        public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

        protected internal override Tensor Call(Tensor inputs, bool training)
        {
            float mean = Ops.Mean(Ops.Abs(inputs)).Item();
            return Ops.Scale(inputs, 1f / (1f + mean));
        }
    }

    [Fact]
    public void StepReadingDeviceValuesOnTheHost_StaysEager_AndTrainsAsEager()
    {
        Sequential Build()
        {
            var m = Model(dropout: false);
            var withLayer = new Sequential();
            withLayer.Add(Keras.Input(shape: [Inputs]));
            withLayer.Add(new HostScaledLayer());
            foreach (var layer in m.Layers) withLayer.Add(layer);
            return withLayer;
        }
        var eager = Train(runEagerly: true, dropout: false, Build);
        var traced = Train(runEagerly: false, dropout: false, Build);
        Assert.Equal(0, traced.Replays);
        Assert.Contains("reads device values back to the host", TracedStep.LastEagerReasonOnThisThread);
        AssertSameTraining(eager, traced);
    }

    /// <summary>A layer that launches a kernel on the backend object itself instead of through its tensors.</summary>
    private sealed class DirectLaunchLayer : Layer
    {
        public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

        protected internal override Tensor Call(Tensor inputs, bool training)
        {
            var y = Ops.Scale(inputs, 0.5f);
            var raw = Keras.Config.CurrentBackend; // not the tensor's Backend: a recording cannot see this launch
            raw.ScaleAdd(y.Buffer, 2f, null, 0f, y.Buffer, y.Size);
            return y;
        }
    }

    [Fact]
    public void StepLaunchingAroundItsTensors_StaysEager()
    {
        Sequential Build()
        {
            var m = Model(dropout: false);
            var withLayer = new Sequential();
            withLayer.Add(Keras.Input(shape: [Inputs]));
            withLayer.Add(new DirectLaunchLayer());
            foreach (var layer in m.Layers) withLayer.Add(layer);
            return withLayer;
        }
        var eager = Train(runEagerly: true, dropout: false, Build);
        var traced = Train(runEagerly: false, dropout: false, Build);
        Assert.Equal(0, traced.Replays);
        Assert.Contains("launched on the backend directly", TracedStep.LastEagerReasonOnThisThread);
        AssertSameTraining(eager, traced);
    }

    [Fact]
    public void RunEagerly_IsKerasDefaultFalse_AndSetByCompile()
    {
        using var model = Model(dropout: false);
        Assert.False(model.RunEagerly);
        model.Compile(loss: "mse", runEagerly: true);
        Assert.True(model.RunEagerly);
        model.Compile(loss: "mse");
        Assert.False(model.RunEagerly);
    }

    /// <summary>Managed bytes this thread allocated between the ends of two given batches of an epoch.</summary>
    private sealed class AllocationProbe(int from, int to) : Callback
    {
        private long _start;

        public List<long> TrainBytes { get; } = [];
        public List<long> TestBytes { get; } = [];
        public List<long> PredictBytes { get; } = [];

        public override void OnTrainBatchEnd(int batch, Logs logs) => Sample(batch, TrainBytes);

        public override void OnPredictBatchEnd(int batch, Logs logs) => Sample(batch, PredictBytes);

        public override void OnTestBatchEnd(int batch, Logs logs) => Sample(batch, TestBytes);

        private void Sample(int batch, List<long> into)
        {
            if (batch == from) _start = GC.GetAllocatedBytesForCurrentThread();
            else if (batch == to) into.Add(GC.GetAllocatedBytesForCurrentThread() - _start);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ReplayedTrainTestAndPredictSteps_AllocateNothing(int threads)
    {
        using var backend = new CpuBackend(threads);
        using var scope = Keras.Config.UseBackend(backend);
        Keras.Utils.SetRandomSeed(3);
        // Wide enough that the 2-thread backend splits its GEMMs and updates across threads.
        var model = new Sequential();
        model.Add(Keras.Input(shape: [256]));
        model.Add(new Dense(512, activation: "relu"));
        model.Add(new Dense(Classes));
        model.Compile(optimizer: new RMSprop(), loss: new SparseCategoricalCrossentropy(fromLogits: true), metrics: ["accuracy"]);
        var x = Features(640, 256, seed: 4);
        var y = Labels(x, Classes, seed: 5);
        var probe = new AllocationProbe(from: 5, to: 15);
        // 512 training samples at batch 32 = 16 steps; 128 validation samples = 4 steps (measured over none: 4 < 15).
        model.Fit(NDArray.From2D(x), NDArray.FromArray(y, 640), batchSize: 32, epochs: 2, verbose: 0, validationSplit: 0.2, callbacks: [probe]);
        Assert.Equal([0L, 0L], probe.TrainBytes);
        var testProbe = new AllocationProbe(from: 5, to: 15);
        model.Evaluate(NDArray.From2D(x), NDArray.FromArray(y, 640), batchSize: 32, verbose: 0, callbacks: [testProbe]);
        Assert.Equal([0L], testProbe.TestBytes);
        var predictProbe = new AllocationProbe(from: 5, to: 15);
        model.Predict(NDArray.From2D(x), batchSize: 32, verbose: 0, callbacks: [predictProbe]);
        Assert.Equal([0L], predictProbe.PredictBytes);
    }
}
