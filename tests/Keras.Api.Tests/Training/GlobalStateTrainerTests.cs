using System.Text.RegularExpressions;
using KerasGpu.Callbacks;
using KerasGpu.Losses;
using KerasGpu.Optimizers;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Training;

/// <summary>Tests that change or observe process-wide state (the global seed, Console.Out, the backend's live buffer
/// count) run in this collection, alone.</summary>
[CollectionDefinition("GlobalState", DisableParallelization = true)]
public sealed class GlobalStateCollection;

[Collection("GlobalState")]
public partial class GlobalStateTrainerTests
{
    private const int Features = 20, Classes = 4;

    private static Sequential Compiled()
    {
        var model = Mlp(Features, 16, Classes);
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new Adam(), metrics: ["accuracy"]);
        return model;
    }

    // ---- seeding ------------------------------------------------------------------------------------------------

    [Fact]
    public void SetRandomSeed_TwoFreshModels_HaveIdenticalWeightsAndHistories()
    {
        var x = Features(100, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        (float[][] Initial, History History, float[][] Final) Run(int seed)
        {
            Keras.Utils.SetRandomSeed(seed);
            using var model = Compiled();
            var initial = Snapshot(model);
            var history = model.Fit(x, y, batchSize: 16, epochs: 2, shuffle: true, validationSplit: 0.2, verbose: 0);
            return (initial, history, Snapshot(model));
        }
        var a = Run(42);
        var b = Run(42);
        for (int i = 0; i < a.Initial.Length; i++) Assert.Equal(a.Initial[i], b.Initial[i]);
        foreach (var key in a.History.Keys) Assert.Equal(a.History[key], b.History[key]);
        for (int i = 0; i < a.Final.Length; i++) Assert.Equal(a.Final[i], b.Final[i]);

        var c = Run(43);
        Assert.NotEqual(a.Initial[0], c.Initial[0]);
        Assert.Equal(a.Initial[1], c.Initial[1]); // zeros bias either way
    }

    [Fact]
    public void SetRandomSeed_ShuffleOrderDependsOnTheSeed()
    {
        var x = Features(64, Features, seed: 3);
        var y = Labels(x, Classes, seed: 4);
        var weights = Weights(Features, 16, Classes, seed: 5);
        double[] Run(int seed)
        {
            using var model = Compiled();
            model.SetWeights(weights);
            Keras.Utils.SetRandomSeed(seed);
            return [.. model.Fit(x, y, batchSize: 8, epochs: 2, shuffle: true, verbose: 0)["loss"]];
        }
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    // ---- console output -----------------------------------------------------------------------------------------

    /// <summary>Runs <paramref name="act"/> with Console.Out redirected and returns the lines as a terminal would
    /// finally show them (ANSI styling removed, in-place redraws collapsed to their last state).</summary>
    private static string[] CaptureConsole(Action act)
    {
        var original = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try { act(); }
        finally { Console.SetOut(original); }
        string text = AnsiRegex().Replace(writer.ToString(), "").Replace("\b", "");
        return [.. text.Split('\n').Select(line => line.Split('\r')[^1]).Where(line => line.Length > 0)];
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiRegex();

    private const string Number = @"\d\.\d{4}";
    private const string StepTime = @"\d+(?:s|ms|us)/step";

    [Fact]
    public void Verbose1_PrintsEpochHeadersAndOneFinalBarPerEpoch()
    {
        var x = Features(100, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        using var model = Compiled();
        var lines = CaptureConsole(() => model.Fit(x, y, batchSize: 4, epochs: 2, validationSplit: 0.2, verbose: 1));
        var bar = new Regex($@"^20/20 ━{{20}} \d+s {StepTime} - accuracy: {Number} - loss: {Number} - val_accuracy: {Number} - val_loss: {Number}$");
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Matches(bar, lines[1]);
        Assert.Equal("Epoch 2/2", lines[2]);
        Assert.Matches(bar, lines[3]);
    }

    [Fact]
    public void OneEpoch_HasNoEpochHeader()
    {
        var x = Features(50, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        using var model = Compiled();
        var lines = CaptureConsole(() => model.Fit(x, y, batchSize: 2, epochs: 1, verbose: 1));
        Assert.DoesNotContain(lines, l => l.StartsWith("Epoch", StringComparison.Ordinal));
        Assert.Single(lines);
        Assert.Matches($@"^25/25 ━{{20}} \d+s {StepTime} - accuracy: {Number} - loss: {Number}$", lines[0]);
    }

    [Fact]
    public void Verbose2_FitAndEvaluate_PrintOneLinePerEpochWithoutABar()
    {
        var x = Features(100, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        using var model = Compiled();
        var fitLines = CaptureConsole(() => model.Fit(x, y, batchSize: 4, epochs: 2, validationSplit: 0.2, verbose: 2));
        var epochLine = new Regex($@"^20/20 - \d+s - {StepTime} - accuracy: {Number} - loss: {Number} - val_accuracy: {Number} - val_loss: {Number}$");
        Assert.Equal(["Epoch 1/2", "Epoch 2/2"], [fitLines[0], fitLines[2]]);
        Assert.Matches(epochLine, fitLines[1]);
        Assert.Matches(epochLine, fitLines[3]);
        Assert.Equal(4, fitLines.Length);

        double[] scores = [];
        var evalLines = CaptureConsole(() => scores = model.Evaluate(x, y, batchSize: 32, verbose: 2));
        var evalLine = Assert.Single(evalLines);
        var m = Regex.Match(evalLine, $@"^4/4 - \d+s - {StepTime} - accuracy: ({Number}) - loss: ({Number})$");
        Assert.True(m.Success, evalLine);
        // the printed values are the returned ones, rounded
        Assert.Equal(scores[1].ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), m.Groups[1].Value);
        Assert.Equal(scores[0].ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value);
    }

    [Fact]
    public void Verbose0_PrintsNothing()
    {
        var x = Features(40, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        using var model = Compiled();
        Assert.Empty(CaptureConsole(() =>
        {
            model.Fit(x, y, epochs: 2, validationSplit: 0.2, verbose: 0);
            model.Evaluate(x, y, verbose: 0);
            model.Predict(x, verbose: 0);
        }));
    }

    // ---- device memory ------------------------------------------------------------------------------------------

    [Fact]
    public void FitEvaluatePredict_ThenDispose_ReleaseEveryBuffer()
    {
        var backend = Keras.Config.CurrentBackend;
        var x = Features(70, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        long before = backend.LiveBufferCount;
        var model = Compiled();
        model.Fit(x, y, batchSize: 16, epochs: 2, validationSplit: 0.2, verbose: 0);
        model.Fit(x, y, batchSize: 16, epochs: 1, validationData: (x, y), verbose: 0);
        model.Evaluate(x, y, batchSize: 16, verbose: 0);
        model.Predict(x, batchSize: 16, verbose: 0);
        model.TrainOnBatch(Rows(x, 0, 16), y[..16]);
        Assert.True(backend.LiveBufferCount > before, "weights, optimizer slots and metric totals are live while the model is");
        model.Dispose();
        Assert.Equal(before, backend.LiveBufferCount);
    }

    [Fact]
    public void LazilyBuiltModel_Recompiled_AndFailedCalls_ReleaseEveryBuffer()
    {
        var backend = Keras.Config.CurrentBackend;
        var x = Features(40, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        long before = backend.LiveBufferCount;
        var model = Mlp(Features, 16, Classes, withInput: false);
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new RMSprop(momentum: 0.9f, centered: true), metrics: ["accuracy"]);
        model.Fit(x, y, batchSize: 16, verbose: 0);
        model.Compile(loss: new CategoricalCrossentropy(fromLogits: true), optimizer: new SGD(momentum: 0.9f), metrics: ["accuracy", "categorical_accuracy"]);
        model.Fit(x, OneHot(y, Classes), batchSize: 16, verbose: 0);
        Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0)); // sparse labels for a categorical loss
        Assert.Throws<InvalidOperationException>(() => model.Fit(x, OneHot(y, Classes), verbose: 0, callbacks: [new ThrowingCallback()]));
        model.Dispose();
        Assert.Equal(before, backend.LiveBufferCount);
    }

    private sealed class ThrowingCallback : Callback
    {
        public override void OnTrainBatchEnd(int batch, Logs logs)
        {
            if (batch == 1) throw new InvalidOperationException("stop");
        }
    }
}
