using KerasGpu.Callbacks;
using KerasGpu.Optimizers;
using KerasGpu.Optimizers.Schedules;
using static KerasGpu.Tests.Callbacks.LearningRateCallbackTestUtil;

namespace KerasGpu.Tests.Callbacks;

/// <summary>Keras' LearningRateScheduler: the rate each epoch trains with, History's record, its message and its errors.</summary>
public class LearningRateSchedulerTests
{
    [Fact]
    public void EachEpochTrainsWithTheScheduledRate()
    {
        using var model = Compiled(new SGD(0.1f, momentum: 0.9f));
        var (x, y) = Data();
        var probe = new LearningRateProbe();
        var epochsSeen = new List<(int, double)>();
        var scheduler = new LearningRateScheduler((epoch, lr) =>
        {
            epochsSeen.Add((epoch, lr));
            return epoch < 1 ? lr : lr * 0.5;
        });
        var history = model.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0, callbacks: [scheduler, probe]);
        // schedule(epoch, lr) receives the float32 rate as a float64, as Keras' float(optimizer.learning_rate).
        Assert.Equal([(0, (double)0.1f), (1, (double)0.1f), (2, (double)0.1f * 0.5)], epochsSeen);
        Assert.Equal([0.1f, 0.05f, 0.025f], history["learning_rate"].Select(v => (float)v));
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f, 0.025f, 0.025f], probe.Seen.Select(s => s.LearningRate));
        Assert.Equal(0.025f, model.Optimizer!.LearningRate);
    }

    [Fact]
    public void ScheduledRate_GivesTheSameWeightsAsSettingItByHand()
    {
        var (x, y) = Data();
        using var scheduled = Compiled(new Adagrad(0.3f));
        using var byHand = Compiled(new Adagrad(0.3f));
        byHand.SetWeights(scheduled.GetWeights());
        double[] rates = [0.2, 0.05, 0.01];
        scheduled.Fit(x, y, epochs: 3, batchSize: 16, shuffle: false, verbose: 0, callbacks: [new LearningRateScheduler(epoch => rates[epoch])]);
        for (int e = 0; e < 3; e++)
        {
            byHand.Optimizer!.LearningRate = (float)rates[e];
            byHand.Fit(x, y, epochs: 1, batchSize: 16, shuffle: false, verbose: 0);
        }
        var a = scheduled.GetWeights();
        var b = byHand.GetWeights();
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i].ToArray<float>(), b[i].ToArray<float>());
    }

    [Fact]
    public void Verbose_PrintsKerasLine_WithPythonFloatRepr()
    {
        using var model = Compiled(new SGD(0.1f));
        var output = new StringWriter();
        var scheduler = new LearningRateScheduler((epoch, lr) => epoch == 0 ? 0.1 : lr * 0.5, verbose: 1, output: output) { Model = model };
        scheduler.OnEpochBegin(0, Logs.Empty);
        scheduler.OnEpochBegin(1, Logs.Empty);
        Assert.Equal("\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n" +
                     "\nEpoch 2: LearningRateScheduler setting learning rate to 0.05000000074505806.\n", output.ToString());
    }

    [Fact]
    public void ScheduleDrivenOptimizer_IsRejectedAsInKeras()
    {
        using var model = Compiled(new SGD(new CosineDecay(0.1, 100)));
        var scheduler = new LearningRateScheduler(epoch => 0.01) { Model = model };
        var e = Assert.Throws<InvalidOperationException>(() => scheduler.OnEpochBegin(0, Logs.Empty));
        Assert.Contains("hence its learning rate is not settable", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(double.PositiveInfinity)]
    public void BadScheduleOutput_IsRejectedBeforeTheRateChanges(double bad)
    {
        using var model = Compiled(new SGD(0.1f));
        var scheduler = new LearningRateScheduler(epoch => bad) { Model = model };
        var e = Assert.Throws<InvalidOperationException>(() => scheduler.OnEpochBegin(0, Logs.Empty));
        Assert.Contains("The output of the `schedule` function should be", e.Message);
        Assert.Equal(0.1f, model.Optimizer!.LearningRate);
    }

    [Fact]
    public void NullSchedule_IsRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new LearningRateScheduler((Func<int, double, double>)null!));
        Assert.Throws<ArgumentNullException>(() => new LearningRateScheduler((Func<int, double>)null!));
    }
}
