using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Callbacks;

[Collection("GlobalState")] // the runs seed Keras' process-wide random state
public class EarlyStoppingTests
{
    private static float[,] Uniform(int rows, int cols, Random rng, double lo, double hi)
    {
        var a = new float[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) a[i, j] = (float)(lo + (hi - lo) * rng.NextDouble());
        return a;
    }

    [Fact]
    public void RestoreBestWeights_OnAnOverfittingRun_StopsEarly_AndRestoresTheBestEpochsWeights()
    {
        // 12 training samples with random targets and a wide network: it memorises them, and the loss on validation data
        // drawn from another distribution soon rises.
        Keras.Utils.SetRandomSeed(21);
        var rng = new Random(8);
        var x = Uniform(12, 6, rng, -1, 1);
        var y = Uniform(12, 1, rng, -1, 1);
        var xVal = Uniform(40, 6, rng, 0, 2);
        var yVal = Uniform(40, 1, rng, 0.5, 1);
        using var model = new Sequential();
        model.Add(Keras.Input(shape: [6]));
        model.Add(new Dense(128, activation: "relu"));
        model.Add(new Dense(128, activation: "relu"));
        model.Add(new Dense(1));
        model.Compile(loss: "mse", optimizer: new Adam(learningRate: 0.003f));

        var weightsPerEpoch = new List<IReadOnlyList<NDArray>>();
        var record = new LambdaCallback(onEpochEnd: (_, _) => weightsPerEpoch.Add(model.GetWeights()));
        var stopping = new EarlyStopping(patience: 4, restoreBestWeights: true);
        const int epochs = 300;
        var history = model.Fit(x, y, batchSize: 4, epochs: epochs, verbose: 0, validationData: (xVal, yVal), shuffle: false,
            callbacks: [record, stopping]);

        var valLoss = history["val_loss"];
        Assert.True(valLoss.Count < epochs, $"did not stop early: {valLoss.Count} epochs");
        int best = Enumerable.Range(0, valLoss.Count).MinBy(i => valLoss[i]);
        Assert.Equal(best, stopping.BestEpoch);
        Assert.Equal(valLoss[best], stopping.Best);
        Assert.Equal(best + 4, stopping.StoppedEpoch); // patience 4, counted from the best epoch
        Assert.Equal(valLoss.Count - 1, stopping.StoppedEpoch);
        Assert.True(history["loss"][^1] < history["loss"][best], "training loss kept falling after the best validation epoch");

        var restored = model.GetWeights();
        Assert.Equal(weightsPerEpoch[best].Count, restored.Count);
        for (int w = 0; w < restored.Count; w++)
            Assert.Equal(weightsPerEpoch[best][w].ToArray<float>(), restored[w].ToArray<float>());
        Assert.NotEqual(weightsPerEpoch[^1][0].ToArray<float>(), restored[0].ToArray<float>());
        // The restored model scores the best epoch's validation loss again.
        Assert.Equal(valLoss[best], model.Evaluate(xVal, yVal, batchSize: 32, verbose: 0)[0], 1e-6);
    }

    [Fact]
    public void KerasDocExample_StopsAfterFourEpochs()
    {
        // keras.callbacks.EarlyStopping's docstring: monitor='loss', patience=3, SGD on arange(100) inputs -> 4 epochs.
        Keras.Utils.SetRandomSeed(1);
        var x = new float[5, 20];
        for (int i = 0; i < 100; i++) x[i / 20, i % 20] = i;
        using var model = new Sequential();
        model.Add(Keras.Input(shape: [20]));
        model.Add(new Dense(1));
        model.Compile(optimizer: new SGD(), loss: "mse");
        var history = model.Fit(x, new float[5], epochs: 10, batchSize: 1, verbose: 0, callbacks: [new EarlyStopping(monitor: "loss", patience: 3)]);
        Assert.Equal(4, history["loss"].Count);
    }

    /// <summary>Drives the callback with scripted logs and returns the epoch at which it stopped training, or null.</summary>
    private static (int? Stopped, EarlyStopping Callback) Drive(EarlyStopping callback, string key, params double[] values) =>
        Drive(new Sequential(), callback, key, values);

    private static (int? Stopped, EarlyStopping Callback) Drive(Model model, EarlyStopping callback, string key, params double[] values)
    {
        model.StopTraining = false;
        callback.Model = model;
        callback.OnTrainBegin(Logs.Empty);
        for (int epoch = 0; epoch < values.Length; epoch++)
        {
            callback.OnEpochEnd(epoch, new Logs([KeyValuePair.Create(key, values[epoch])]));
            if (model.StopTraining) return (epoch, callback);
        }
        return (null, callback);
    }

    /// <summary>A model compiled with an accuracy and an error metric, so mode "auto" can ask them their direction.</summary>
    private static Sequential CompiledWithMetrics()
    {
        var model = new Sequential();
        model.Add(Keras.Input(shape: [2]));
        model.Add(new Dense(2));
        model.Compile(loss: "mse", optimizer: new SGD(), metrics: ["categorical_accuracy", "mae", "auc"]);
        return model;
    }

    [Fact]
    public void Patience_MinDelta_Mode_Baseline_StartFromEpoch_FollowKeras()
    {
        // Patience 0 stops at the first epoch (after the first) that does not improve.
        Assert.Equal(2, Drive(new EarlyStopping(), "val_loss", 1.0, 0.9, 0.95, 0.5).Stopped);
        // Patience 2: two epochs without improvement after the best.
        Assert.Equal(3, Drive(new EarlyStopping(patience: 2), "val_loss", 1.0, 0.8, 0.9, 0.85, 0.81, 0.1).Stopped);
        // min_delta: 0.79 is not better than 0.8 by more than 0.05.
        Assert.Equal(2, Drive(new EarlyStopping(minDelta: -0.05), "val_loss", 1.0, 0.8, 0.79).Stopped);
        // max mode goes up, min mode down, whatever the name.
        Assert.Equal(2, Drive(new EarlyStopping(monitor: "val_score", mode: "max"), "val_score", 0.5, 0.6, 0.6).Stopped);
        Assert.Equal(1, Drive(new EarlyStopping(monitor: "val_score", mode: "min"), "val_score", 0.5, 0.6).Stopped);
        // Baseline: improvements that do not beat it leave the patience count running (without one it stops at 3).
        Assert.Equal(3, Drive(new EarlyStopping(patience: 2), "val_loss", 1.0, 0.9, 0.95, 0.93).Stopped);
        var (stopped, cb) = Drive(new EarlyStopping(patience: 2, baseline: 0.5), "val_loss", 1.0, 0.9, 0.95, 0.93);
        Assert.Equal(2, stopped);
        Assert.Equal(0.9, cb.Best);
        Assert.Null(Drive(new EarlyStopping(patience: 1, baseline: 0.95), "val_loss", 1.0, 0.9, 0.8, 0.7).Stopped);
        // start_from_epoch: nothing is monitored before it (a rising loss there does not count).
        Assert.Equal(4, Drive(new EarlyStopping(startFromEpoch: 3), "val_loss", 0.1, 0.5, 0.9, 1.0, 1.1).Stopped);
    }

    [Fact]
    public void AutoMode_AsksTheCompiledMetricsForTheirDirection()
    {
        using var model = CompiledWithMetrics();
        Assert.Null(Drive(model, new EarlyStopping(monitor: "val_categorical_accuracy"), "val_categorical_accuracy", 0.5, 0.6, 0.7).Stopped);
        Assert.Equal(1, Drive(model, new EarlyStopping(monitor: "categorical_accuracy"), "categorical_accuracy", 0.5, 0.4).Stopped);
        Assert.Equal(1, Drive(model, new EarlyStopping(monitor: "val_auc"), "val_auc", 0.5, 0.4).Stopped);
        Assert.Equal(1, Drive(model, new EarlyStopping(monitor: "val_mae"), "val_mae", 0.5, 0.6).Stopped);
        Assert.Null(Drive(model, new EarlyStopping(monitor: "loss"), "loss", 0.5, 0.4, 0.3).Stopped);
        var e = Assert.Throws<ArgumentException>(() => Drive(model, new EarlyStopping(monitor: "val_accuracy"), "val_accuracy", 0.5));
        Assert.Contains("EarlyStopping callback received monitor=val_accuracy", e.Message);
    }

    [Fact]
    public void MissingMonitor_Warns_AndDoesNothing()
    {
        var output = new StringWriter();
        var (stopped, cb) = Drive(new EarlyStopping(output: output), "loss", 1.0, 2.0, 3.0);
        Assert.Null(stopped);
        Assert.Null(cb.Best);
        Assert.Contains("Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss", output.ToString());
    }

    [Fact]
    public void BadArguments_And_UndecidableDirection_Throw()
    {
        Assert.Throws<ArgumentException>(() => new EarlyStopping(mode: "lowest"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(startFromEpoch: -2));
        var e = Assert.Throws<ArgumentException>(() => Drive(new EarlyStopping(monitor: "val_score"), "val_score", 1.0));
        Assert.Contains("isn't able to automatically determine whether that metric should be maximized or minimized", e.Message);
    }

    [Fact]
    public void Verbose_PrintsKerasMessages()
    {
        Keras.Utils.SetRandomSeed(2);
        var output = new StringWriter();
        var x = new float[8, 2];
        using var model = new Sequential();
        model.Add(Keras.Input(shape: [2]));
        model.Add(new Dense(1));
        model.Compile(optimizer: new SGD(), loss: "mse");
        var stopping = new EarlyStopping(monitor: "loss", verbose: 1, restoreBestWeights: true, output: output);
        // Zero inputs and targets with a zero-initialised bias: the loss is 0 from the start and never improves, so with
        // patience 0 training stops at the second epoch and restores the first epoch's weights.
        model.Fit(x, new float[8], epochs: 50, verbose: 0, callbacks: [stopping]);
        Assert.Equal((1, 0), (stopping.StoppedEpoch, stopping.BestEpoch));
        Assert.Contains($"Epoch {stopping.StoppedEpoch + 1}: early stopping", output.ToString());
        Assert.Contains($"Restoring model weights from the end of the best epoch: {stopping.BestEpoch + 1}.", output.ToString());
    }
}
