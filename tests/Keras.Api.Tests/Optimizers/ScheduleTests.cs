using KerasGpu.Layers;
using KerasGpu.Optimizers;
using KerasGpu.Optimizers.Schedules;

namespace KerasGpu.Tests.Optimizers;

/// <summary>Each schedule against its Keras formula in float64 over many steps, Keras' own test values, and bad arguments.</summary>
public class ScheduleTests
{
    private static readonly long[] Steps = [.. Enumerable.Range(0, 400).Select(i => (long)i), 999, 1000, 1001, 1499, 2500, 100_000, 1_000_000];

    private static void AssertSchedule(LearningRateSchedule schedule, Func<long, double> formula, IEnumerable<long>? steps = null)
    {
        foreach (long step in steps ?? Steps)
        {
            double expected = formula(step), actual = schedule.Call(step);
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Abs(expected) + 1e-12,
                $"{schedule.Name} at step {step}: got {actual:R}, Keras' formula gives {expected:R}.");
        }
    }

    [Theory]
    [InlineData(0.1, 7, 0.96, false)]
    [InlineData(0.1, 7, 0.96, true)]
    [InlineData(2.5, 100, 0.5, true)]
    [InlineData(1e-3, 1, 0.999, false)]
    public void ExponentialDecay_FollowsTheFormula(double initial, long decaySteps, double rate, bool staircase) =>
        AssertSchedule(new ExponentialDecay(initial, decaySteps, rate, staircase),
            s => initial * Math.Pow(rate, staircase ? Math.Floor((double)s / decaySteps) : (double)s / decaySteps),
            Steps.Where(s => s <= 5000));

    [Fact]
    public void ExponentialDecay_KerasTestValues()
    {
        Assert.Equal(0.05 * Math.Pow(0.96, 0.5), new ExponentialDecay(0.05, 10, 0.96).Call(5), 1e-6);
        var staircase = new ExponentialDecay(0.1, 3, 0.96, staircase: true);
        Assert.Equal(0.1, staircase.Call(1), 1e-6);
        Assert.Equal(0.1, staircase.Call(2), 1e-6);
        Assert.Equal(0.1 * Math.Pow(0.96, 100 / 3), staircase.Call(100), 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InverseTimeDecay_FollowsTheFormula(bool staircase) =>
        AssertSchedule(new InverseTimeDecay(0.1, 5, 0.5, staircase),
            s => 0.1 / (1 + 0.5 * (staircase ? Math.Floor(s / 5.0) : s / 5.0)));

    [Fact]
    public void PiecewiseConstantDecay_KerasTestValues()
    {
        var schedule = new PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001]);
        Assert.Equal([1f, 1f, 0.1f, 0.1f, 0.01f, 0.001f], new long[] { 0, 100, 105, 110, 120, 999 }.Select(schedule.Call));
        var boundaries = new PiecewiseConstantDecay([1, 2, 3], [0.4, 0.5, 0.6, 0.7]);
        Assert.Equal([0.4f, 0.4f, 0.5f, 0.6f, 0.7f], new long[] { 0, 1, 2, 3, 4 }.Select(boundaries.Call));
        AssertSchedule(schedule, s => s <= 100 ? 1.0 : s <= 110 ? 0.1 : s <= 120 ? 0.01 : 0.001);
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(0.5, false)]
    [InlineData(2.0, true)]
    [InlineData(1.0, true)]
    public void PolynomialDecay_FollowsTheFormula(double power, bool cycle)
    {
        const double initial = 0.1, end = 0.001;
        const long decaySteps = 60;
        AssertSchedule(new PolynomialDecay(initial, decaySteps, end, power, cycle), s =>
        {
            double steps = decaySteps, step = s;
            if (cycle) steps *= s == 0 ? 1 : Math.Ceiling((double)s / decaySteps);
            else step = Math.Min(step, steps);
            return (initial - end) * Math.Pow(1 - step / steps, power) + end;
        });
    }

    [Fact]
    public void PolynomialDecay_KerasTestValues()
    {
        const double lr = 0.05, end = 0.001;
        Assert.Equal(lr * 0.5, new PolynomialDecay(lr, 10, 0.0).Call(5), 1e-6);
        Assert.Equal(end, new PolynomialDecay(lr, 10, end).Call(10), 1e-6);
        Assert.Equal((lr + end) * 0.5, new PolynomialDecay(lr, 10, end).Call(5), 1e-6);
        Assert.Equal(end, new PolynomialDecay(lr, 10, end).Call(15), 1e-6);
        Assert.Equal((lr - end) * 0.25 + end, new PolynomialDecay(lr, 10, end, cycle: true).Call(15), 1e-6);
        Assert.Equal((lr - end) * Math.Pow(0.25, 0.5) + end, new PolynomialDecay(lr, 10, end, power: 0.5, cycle: true).Call(15), 1e-6);
        Assert.Equal(lr, new PolynomialDecay(lr, 10, cycle: true).Call(0), 1e-6);
        Assert.Equal(0.0001, new PolynomialDecay(lr, 10).EndLearningRate); // Keras' default end_learning_rate
    }

    private static double KerasCosine(double step, double decaySteps, double alpha)
    {
        step = Math.Min(step, decaySteps);
        return (1 - alpha) * 0.5 * (1 + Math.Cos(Math.PI * step / decaySteps)) + alpha;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void CosineDecay_FollowsTheFormula(double alpha) =>
        AssertSchedule(new CosineDecay(1.0, 1000, alpha), s => KerasCosine(s, 1000, alpha));

    [Fact]
    public void CosineDecay_WithWarmup_RisesLinearlyThenDecaysFromTheTarget()
    {
        const double initial = 0.01, target = 0.5, alpha = 0.05;
        const long warmup = 40, decay = 120;
        AssertSchedule(new CosineDecay(initial, decay, alpha, warmupTarget: target, warmupSteps: warmup), s => s < warmup
            ? (target - initial) * s / warmup + initial
            : target * KerasCosine(Math.Min(s, warmup + decay) - warmup, decay, alpha));
        // Keras' test: warmup from 0 to 10 over 2000 steps, then decay over 1000.
        var keras = new CosineDecay(0.0, 1000, warmupTarget: 10.0, warmupSteps: 2000);
        for (long step = 0; step < 3000; step += 250)
        {
            double expected = step < 2001 ? step / 2000.0 * 10.0 : 10.0 * KerasCosine(step - 2000, 1000, 0);
            Assert.Equal(expected, keras.Call(step), 1e-5);
        }
    }

    /// <summary>Keras' test reference for SGDR: walk the periods one by one.</summary>
    private static double KerasRestarts(long step, double decaySteps, double tMul, double mMul, double alpha)
    {
        double s = step, factor = 1.0;
        while (s >= decaySteps)
        {
            s -= decaySteps;
            decaySteps *= tMul;
            factor *= mMul;
        }
        return (1 - alpha) * factor * 0.5 * (1 + Math.Cos(Math.PI * s / decaySteps)) + alpha;
    }

    [Theory]
    [InlineData(2.0, 1.0, 0.0)]
    [InlineData(2.0, 0.9, 0.1)]
    [InlineData(1.0, 1.0, 0.0)]
    [InlineData(1.0, 0.5, 0.2)]
    [InlineData(3.0, 4.0, 0.1)]
    [InlineData(1.5, 0.8, 0.0)]
    public void CosineDecayRestarts_MatchesKerasPeriodWalk(double tMul, double mMul, double alpha)
    {
        const double initial = 0.3;
        // Steps strictly inside periods: at an exact restart, float rounding of log() may pick either side.
        var steps = Enumerable.Range(0, 2000).Select(i => (long)i).Where(s => !IsRestart(s, 17, tMul)).ToArray();
        AssertSchedule(new CosineDecayRestarts(initial, 17, tMul, mMul, alpha), s => initial * KerasRestarts(s, 17, tMul, mMul, alpha), steps);
    }

    private static bool IsRestart(long step, double first, double tMul)
    {
        double boundary = 0, length = first;
        while (boundary <= step + 1)
        {
            if (Math.Abs(step - boundary) < 1e-6) return step != 0;
            boundary += length;
            length *= tMul;
        }
        return false;
    }

    [Fact]
    public void CosineDecayRestarts_KerasTestValues()
    {
        foreach (var (tMul, mMul, alpha) in new[] { (2.0, 1.0, 0.0), (2.0, 1.0, 0.1), (2.0, 0.9, 0.0), (1.0, 1.0, 0.0) })
            for (long step = 0; step < 1500; step += 250)
                Assert.Equal(KerasRestarts(step, 1000, tMul, mMul, alpha), new CosineDecayRestarts(1.0, 1000, tMul, mMul, alpha).Call(step), 1e-6);
    }

    [Fact]
    public void BadArguments_AreRejectedWithKerasMessages()
    {
        Assert.Contains("Argument `decay_steps` must be > 0. Received: decay_steps=0",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 0, 0.9)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InverseTimeDecay(0.1, -1, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialDecay(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, 10, warmupTarget: 1, warmupSteps: -1));
        Assert.Contains("Argument `first_decay_steps` must be > 0. Received: first_decay_steps=0",
            Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecayRestarts(0.1, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecayRestarts(0.1, 10, tMul: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(double.NaN, 10, 0.9));
        Assert.StartsWith("The length of boundaries should be 1 less than the length of values. Received: boundaries=[10, 20] of length 2, and values=[1.0, 2.0] of length 2.",
            Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([10, 20], [1.0, 2.0])).Message);
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([20, 10], [1.0, 2.0, 3.0]));
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([], [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 10, 0.9).Call(-1));
    }

    [Fact]
    public void GetConfig_UsesKerasNames()
    {
        var config = new CosineDecay(0.05, 10, 0.1, name: "my_cd", warmupTarget: 0.2, warmupSteps: 2).GetConfig();
        Assert.Equal(["initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps"], config.Keys);
        Assert.Equal("my_cd", config["name"]);
        Assert.Equal(0.2, config["warmup_target"]);
        Assert.Equal("SGDRDecay", new CosineDecayRestarts(0.1, 10).Name);
        Assert.Equal("PiecewiseConstant", new PiecewiseConstantDecay([1], [1.0, 2.0]).Name);
    }

    /// <summary>
    /// Keras' learning_rate_schedule_test.py <c>test_fit_lr_correctness</c>: Dense(2) with ones, Adam driven by
    /// ExponentialDecay(0.05, 1, 0.9), mse, x = y = arange(32).reshape(16, 2), 3 epochs of batch 4 without shuffling.
    /// </summary>
    [Fact]
    public void FitWithAScheduledAdam_ReproducesKerasLosses()
    {
        var model = new Sequential();
        model.Add(Keras.Input(shape: [2]));
        var dense = new Dense(2);
        model.Add(dense);
        using (model)
        {
            dense.SetWeights([NDArray.FromArray([1f, 1f, 1f, 1f], 2, 2), NDArray.FromArray([1f, 1f], 2)]);
            var optimizer = new Adam(new ExponentialDecay(0.05, 1, 0.9));
            model.Compile(optimizer: optimizer, loss: "mse");
            var data = NDArray.FromArray([.. Enumerable.Range(0, 32).Select(i => (float)i)], 16, 2);
            var history = model.Fit(data, data, epochs: 3, batchSize: 4, shuffle: false, verbose: 0);
            Assert.Equal(12, optimizer.Iterations);
            double[] keras = [230.79457092285156, 128.30319213867188, 79.33648681640625];
            for (int e = 0; e < 3; e++)
                Assert.True(Math.Abs(history["loss"][e] - keras[e]) <= 5e-5 * keras[e], $"epoch {e + 1}: loss {history["loss"][e]:R}, Keras {keras[e]:R}");
        }
    }
}
