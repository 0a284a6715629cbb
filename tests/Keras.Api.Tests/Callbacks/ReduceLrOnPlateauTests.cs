using KerasGpu.Callbacks;
using KerasGpu.Optimizers;
using KerasGpu.Optimizers.Schedules;
using static KerasGpu.Tests.Callbacks.LearningRateCallbackTestUtil;

namespace KerasGpu.Tests.Callbacks;

/// <summary>Keras' ReduceLROnPlateau: patience, cooldown, min_delta, min_lr, modes, its message, and a real Fit.</summary>
public class ReduceLrOnPlateauTests
{
    /// <summary>Feeds monitored values epoch by epoch; returns the learning rate after each epoch and the logged rates.</summary>
    private static (float[] After, double[] Logged) Drive(Model model, ReduceLROnPlateau callback, string monitor, double[] values)
    {
        callback.Model = model;
        callback.OnTrainBegin(Logs.Empty);
        var after = new float[values.Length];
        var logged = new double[values.Length];
        for (int e = 0; e < values.Length; e++)
        {
            var logs = LogsOf((monitor, values[e]));
            callback.OnEpochEnd(e, logs);
            after[e] = model.Optimizer!.LearningRate;
            logged[e] = logs["learning_rate"];
        }
        return (after, logged);
    }

    [Fact]
    public void PatienceCooldownAndMinDelta_FollowKerasCounting()
    {
        // Worked by hand from keras/src/callbacks/reduce_lr_on_plateau.py: a reduction after 2 epochs without an improvement
        // of more than 0.1, then one cooldown epoch (which still counts towards the next wait once it reaches 0).
        using var model = Compiled(new SGD(1f));
        var callback = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, mode: "min", minDelta: 0.1, cooldown: 1);
        var (after, logged) = Drive(model, callback, "val_loss", [1.0, 0.95, 0.92, 0.5, 0.45, 0.44, 0.43, 0.42, 0.41]);
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 0.125f, 0.125f], after);
        Assert.Equal([1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.125], logged); // the rate used during each epoch
        Assert.Equal(0.5, callback.Best);
        Assert.Equal(1, callback.Wait);
    }

    [Fact]
    public void MinLr_BoundsTheRate_AndStopsFurtherReductions()
    {
        using var model = Compiled(new SGD(1f));
        var callback = new ReduceLROnPlateau(monitor: "loss", factor: 0.1, patience: 1, minLr: 0.05);
        var (after, _) = Drive(model, callback, "loss", [1.0, 1.0, 1.0, 1.0]);
        Assert.Equal([1f, 0.1f, 0.05f, 0.05f], after);
        Assert.Equal(1, callback.Wait); // Keras keeps counting when the rate can no longer go down
    }

    [Fact]
    public void AutoMode_MaximisesAccuracy_AndMinimisesLoss()
    {
        using var model = Compiled(new SGD(1f), accuracy: true);
        double[] rising = [0.5, 0.6, 0.6, 0.6];
        var (auto, _) = Drive(model, new ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.5, patience: 2), "val_accuracy", rising);
        Assert.Equal([1f, 1f, 1f, 0.5f], auto);
        model.Optimizer!.LearningRate = 1f;
        var (min, _) = Drive(model, new ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.5, patience: 2, mode: "min"), "val_accuracy", rising);
        Assert.Equal([1f, 1f, 0.5f, 0.5f], min);
        model.Optimizer!.LearningRate = 1f;
        var (loss, _) = Drive(model, new ReduceLROnPlateau(factor: 0.5, patience: 2), "val_loss", rising);
        Assert.Equal([1f, 1f, 0.5f, 0.5f], loss);
    }

    [Fact]
    public void AutoMode_OnAnUnknownDirection_RaisesKerasError()
    {
        using var model = Compiled(new SGD(1f));
        var callback = new ReduceLROnPlateau(monitor: "val_f1") { Model = model };
        var e = Assert.Throws<ArgumentException>(() => callback.OnEpochEnd(0, LogsOf(("val_f1", 0.5))));
        Assert.StartsWith("ReduceLROnPlateau callback received monitor=val_f1, but Keras isn't able to automatically determine whether that metric should be maximized or minimized.", e.Message);
    }

    [Fact]
    public void Verbose_PrintsKerasLine_WithPythonFloatRepr()
    {
        using var model = Compiled(new RMSprop()); // 0.001 as float32
        var output = new StringWriter();
        var callback = new ReduceLROnPlateau(monitor: "loss", patience: 1, verbose: 1, output: output);
        Drive(model, callback, "loss", [1.0, 1.0, 1.0]);
        Assert.Equal("\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.00010000000474974513.\n" +
                     "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 1.0000000474974514e-05.\n", output.ToString());
    }

    [Fact]
    public void MissingMonitor_WarnsWithKerasText_AndChangesNothing()
    {
        using var model = Compiled(new SGD(0.5f));
        var warnings = new StringWriter();
        var callback = new ReduceLROnPlateau(patience: 0, warnings: warnings) { Model = model };
        callback.OnEpochEnd(0, LogsOf(("loss", 1.0)));
        Assert.Equal("Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate.",
            warnings.ToString().TrimEnd());
        Assert.Equal(0.5f, model.Optimizer!.LearningRate);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        Assert.StartsWith("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: 1.0)).Message);
        Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(mode: "up"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(patience: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(minLr: -1));
        var defaults = new ReduceLROnPlateau();
        Assert.Equal(("val_loss", 0.1, 10, 0, "auto", 1e-4, 0, 0.0),
            (defaults.Monitor, defaults.Factor, defaults.Patience, defaults.Verbose, defaults.Mode, defaults.MinDelta, defaults.Cooldown, defaults.MinLr));
    }

    [Fact]
    public void OnAScheduleDrivenOptimizer_ReductionFailsAsInKeras()
    {
        using var model = Compiled(new SGD(new ExponentialDecay(0.1, 10, 0.5)));
        var callback = new ReduceLROnPlateau(monitor: "loss", patience: 1) { Model = model };
        callback.OnTrainBegin(Logs.Empty);
        callback.OnEpochEnd(0, LogsOf(("loss", 1.0)));
        Assert.Throws<InvalidOperationException>(() => callback.OnEpochEnd(1, LogsOf(("loss", 1.0))));
    }

    [Fact]
    public void InFit_ReducesTheRateUsedByLaterEpochs_AndHistoryRecordsIt()
    {
        using var model = Compiled(new SGD(0.1f));
        var (x, y) = Data();
        var probe = new LearningRateProbe();
        // An improvement must beat the best by 1e9: only the first epoch improves, so every later epoch reduces.
        var reduce = new ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, minDelta: 1e9);
        var history = model.Fit(x, y, epochs: 4, batchSize: 16, verbose: 0, callbacks: [reduce, probe]);
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.025f], history["learning_rate"].Select(v => (float)v));
        Assert.Equal(0.0125f, model.Optimizer!.LearningRate);
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f, 0.025f, 0.025f], probe.Seen.Select(s => s.LearningRate));
        Assert.Equal(["loss", "learning_rate"], history.Keys);
    }
}
