using KerasGpu.Backend;
using KerasGpu.Callbacks;
using KerasGpu.Losses;
using KerasGpu.Metrics;
using KerasGpu.Optimizers;
using CategoricalCrossentropy = KerasGpu.Losses.CategoricalCrossentropy;
using SparseCategoricalCrossentropy = KerasGpu.Losses.SparseCategoricalCrossentropy;
using MeanSquaredError = KerasGpu.Losses.MeanSquaredError;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Training;

/// <summary>Fit/Evaluate/Predict semantics that Keras users rely on (tests that touch no global state).</summary>
public class TrainerBehaviourTests
{
    private const int Features = 20, Hidden = 16, Classes = 4;

    private static Sequential Compiled(int seed = 5, Loss? loss = null, Optimizer? optimizer = null, string? outputActivation = null,
        int outputs = Classes, Metric[]? metrics = null)
    {
        var model = Mlp(Features, Hidden, outputs, outputActivation);
        model.SetWeights(Weights(Features, Hidden, outputs, seed));
        model.Compile(loss: loss ?? new SparseCategoricalCrossentropy(fromLogits: true), optimizer: optimizer ?? new RMSprop(),
            metrics: metrics ?? ["accuracy"]);
        return model;
    }

    /// <summary>Mean sparse softmax cross-entropy of logits, in double.</summary>
    private static double SparseCrossEntropy(NDArray logits, int[] labels, int start = 0)
    {
        var z = logits.ToArray<float>();
        int cols = logits.Shape[1];
        double total = 0;
        for (int r = 0; r < logits.Shape[0]; r++)
        {
            var row = z.AsSpan(r * cols, cols).ToArray().Select(v => (double)v).ToArray();
            double max = row.Max();
            total += max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[labels[start + r]];
        }
        return total / logits.Shape[0];
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }

    [Fact]
    public void ValidationSplit_HoldsOutTheLastFraction_BeforeShuffling()
    {
        const int n = 100;
        var x = Features(n, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        // The last 20 rows are unlike the rest: shifted features and all class 3.
        for (int r = 80; r < n; r++)
        {
            y[r] = 3;
            for (int c = 0; c < Features; c++) x[r, c] += 2f;
        }
        using var model = Compiled();
        var history = model.Fit(x, y, batchSize: 16, epochs: 1, validationSplit: 0.2, shuffle: true, verbose: 0);
        Assert.Equal(5, model.Optimizer!.Iterations); // ceil(80 / 16): only the first 80 rows were trained on

        // The validation metrics are exactly those of the last 20 rows under the final weights...
        var last = model.Evaluate(Rows(x, 80, 20), y[80..], verbose: 0);
        Assert.Equal(last[0], history["val_loss"][0], 1e-6);
        Assert.Equal(last[1], history["val_accuracy"][0], 1e-9);
        // ...and not those of any other 20 rows.
        var first = model.Evaluate(Rows(x, 0, 20), y[..20], verbose: 0);
        Assert.NotEqual(first[0], history["val_loss"][0], 1e-3);

        // The same rows passed as validationData give the same val_* from the same start.
        using var twin = Compiled();
        var explicitHistory = twin.Fit(Rows(x, 0, 80), y[..80], batchSize: 16, epochs: 1, shuffle: false, verbose: 0,
            validationData: (Rows(x, 80, 20), y[80..]));
        using var splitTwin = Compiled();
        var splitHistory = splitTwin.Fit(x, y, batchSize: 16, epochs: 1, validationSplit: 0.2, shuffle: false, verbose: 0);
        Assert.Equal(explicitHistory["val_loss"][0], splitHistory["val_loss"][0]);
        Assert.Equal(explicitHistory["val_accuracy"][0], splitHistory["val_accuracy"][0]);
        Assert.Equal(explicitHistory["loss"][0], splitHistory["loss"][0]);
        Assert.Equal(["accuracy", "loss", "val_accuracy", "val_loss"], splitHistory.Keys);
    }

    [Fact]
    public void ShuffleFalse_IsDeterministic()
    {
        var x = Features(90, Features, seed: 3);
        var y = Labels(x, Classes, seed: 4);
        History Run(out float[][] weights)
        {
            using var model = Compiled(optimizer: new Adam());
            var h = model.Fit(x, y, batchSize: 16, epochs: 3, shuffle: false, verbose: 0);
            weights = Snapshot(model);
            return h;
        }
        var a = Run(out var wa);
        var b = Run(out var wb);
        Assert.Equal(a["loss"], b["loss"]);
        Assert.Equal(a["accuracy"], b["accuracy"]);
        for (int i = 0; i < wa.Length; i++) Assert.Equal(wa[i], wb[i]);
    }

    [Theory]
    [InlineData(50, 16, 4)]
    [InlineData(48, 16, 3)]
    [InlineData(10, 32, 1)] // batch larger than the data: one partial batch
    public void Steps_AreCeilOfSamplesOverBatch_LastPartialBatchUsed(int n, int batch, int steps)
    {
        var x = Features(n, Features, seed: 5);
        var y = Labels(x, Classes, seed: 6);
        using var model = Compiled();
        var counter = new BatchCounter();
        model.Fit(x, y, batchSize: batch, epochs: 2, verbose: 0, callbacks: [counter]);
        Assert.Equal(steps, counter.Params["steps"]);
        Assert.Equal(2 * steps, counter.TrainBatches);
        Assert.Equal(2 * steps, model.Optimizer!.Iterations);
        model.Evaluate(x, y, batchSize: batch, verbose: 0, callbacks: [counter]);
        Assert.Equal(steps, counter.TestBatches);
    }

    private sealed class BatchCounter : Callback
    {
        public int TrainBatches, TestBatches;
        public override void OnTrainBatchEnd(int batch, Logs logs) => TrainBatches++;
        public override void OnTestBegin(Logs logs) => TestBatches = 0;
        public override void OnTestBatchEnd(int batch, Logs logs) => TestBatches++;
    }

    [Fact]
    public void Evaluate_LossIsTheMeanOverAllSamples_IncludingThePartialBatch()
    {
        const int n = 50; // batches of 16, 16, 16 and 2: a batch-mean of batch means would weigh the last 2 rows 8× too much
        var x = Features(n, Features, seed: 7);
        var y = Labels(x, Classes, seed: 8);
        using var model = Compiled();
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        var scores = model.Evaluate(x, y, batchSize: 16, verbose: 0);
        var logits = model.Predict(x, batchSize: 7, verbose: 0);
        double expectedLoss = SparseCrossEntropy(logits, y);
        Assert.True(RelativeError(scores[0], expectedLoss) <= 1e-5, $"evaluate loss {scores[0]:R} vs direct {expectedLoss:R}");
        var z = logits.ToArray<float>();
        double expectedAccuracy = Enumerable.Range(0, n).Count(r => ArgMax(z.AsSpan(r * Classes, Classes)) == y[r]) / (double)n;
        Assert.Equal(expectedAccuracy, scores[1], 1e-6);
        Assert.Equal(["loss", "accuracy"], model.MetricsNames);
    }

    [Fact]
    public void Predict_ShapeAndValues_MatchAManualFloat64Forward()
    {
        const int n = 37;
        var x = Features(n, Features, seed: 9);
        var y = Labels(x, Classes, seed: 10);
        using var model = Compiled();
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0); // predict from trained, not initial, weights
        var predicted = model.Predict(x, batchSize: 10, verbose: 0);
        Assert.Equal(new[] { n, Classes }, predicted.Shape);
        var reference = new ReferenceMlp(Features, Hidden, Classes, ToDoubles(model.GetWeights()), ReferenceHead.SparseCrossEntropyFromLogits);
        var expected = reference.Predict(ToDouble2D(x));
        var got = predicted.ToArray<float>();
        for (int r = 0; r < n; r++)
            for (int k = 0; k < Classes; k++)
                Assert.True(Math.Abs(got[r * Classes + k] - expected[r, k]) <= 1e-5 * Math.Max(1, Math.Abs(expected[r, k])),
                    $"[{r},{k}]: {got[r * Classes + k]} vs {expected[r, k]}");
    }

    // ---- accuracy resolution ------------------------------------------------------------------------------------

    [Fact]
    public void Accuracy_WithSparseLabels_ResolvesToSparseCategorical()
    {
        var accuracy = (AccuracyMetric)Metric.Get("accuracy");
        var x = Features(40, Features, seed: 11);
        var y = Labels(x, Classes, seed: 12);
        using var model = Compiled(metrics: [accuracy]);
        var scores = model.Evaluate(x, y, verbose: 0);
        Assert.Equal(AccuracyKind.SparseCategorical, accuracy.Kind);
        var z = model.Predict(x, verbose: 0).ToArray<float>();
        Assert.Equal(Enumerable.Range(0, 40).Count(r => ArgMax(z.AsSpan(r * Classes, Classes)) == y[r]) / 40.0, scores[1], 1e-6);
    }

    [Fact]
    public void Accuracy_WithOneHotTargetsAndCategoricalCrossentropy_ResolvesToCategorical()
    {
        var accuracy = (AccuracyMetric)Metric.Get("accuracy");
        var x = Features(40, Features, seed: 13);
        var labels = Labels(x, Classes, seed: 14);
        using var model = Compiled(loss: new CategoricalCrossentropy(fromLogits: true), metrics: [accuracy]);
        var scores = model.Evaluate(x, OneHot(labels, Classes), verbose: 0);
        Assert.Equal(AccuracyKind.Categorical, accuracy.Kind);
        var z = model.Predict(x, verbose: 0).ToArray<float>();
        Assert.Equal(Enumerable.Range(0, 40).Count(r => ArgMax(z.AsSpan(r * Classes, Classes)) == labels[r]) / 40.0, scores[1], 1e-6);
    }

    [Fact]
    public void Accuracy_WithSingleSigmoidOutputAndMse_ResolvesToBinary()
    {
        var accuracy = (AccuracyMetric)Metric.Get("accuracy");
        const int n = 60;
        var x = Features(n, Features, seed: 15);
        var targets = Enumerable.Range(0, n).Select(r => x[r, 0] + x[r, 1] > 0 ? 1f : 0f).ToArray();
        using var model = Compiled(loss: new MeanSquaredError(), outputActivation: "sigmoid", outputs: 1, metrics: [accuracy]);
        var history = model.Fit(x, targets, batchSize: 16, epochs: 2, verbose: 0);
        Assert.Equal(AccuracyKind.Binary, accuracy.Kind);
        var scores = model.Evaluate(x, targets, verbose: 0);
        var p = model.Predict(x, verbose: 0).ToArray<float>();
        double expected = Enumerable.Range(0, n).Count(r => (p[r] > 0.5f ? 1f : 0f) == targets[r]) / (double)n;
        Assert.Equal(expected, scores[1], 1e-6);
        Assert.InRange(scores[1], 0.01, 0.99); // a real mix of hits and misses, so a wrong kind would show
        Assert.Equal(2, history["accuracy"].Count);
    }

    // ---- plain .NET arrays --------------------------------------------------------------------------------------

    [Fact]
    public void PlainArrays_IntByteFloatLabelsAndOneHot_TrainIdentically()
    {
        const int n = 48;
        var x = Features(n, Features, seed: 17);
        var labels = Labels(x, Classes, seed: 18);
        History Run(Func<Sequential, History> fit, Loss loss)
        {
            using var model = Compiled(loss: loss, optimizer: new SGD(learningRate: 0.1f));
            return fit(model);
        }
        var sparse = new SparseCategoricalCrossentropy(fromLogits: true);
        var fromInts = Run(m => m.Fit(x, labels, batchSize: 16, epochs: 2, shuffle: false, verbose: 0), sparse);
        var fromBytes = Run(m => m.Fit(x, labels.Select(v => (byte)v).ToArray(), batchSize: 16, epochs: 2, shuffle: false, verbose: 0),
            new SparseCategoricalCrossentropy(fromLogits: true));
        var fromFloats = Run(m => m.Fit(x, labels.Select(v => (float)v).ToArray(), batchSize: 16, epochs: 2, shuffle: false, verbose: 0),
            new SparseCategoricalCrossentropy(fromLogits: true));
        var fromOneHot = Run(m => m.Fit(x, OneHot(labels, Classes), batchSize: 16, epochs: 2, shuffle: false, verbose: 0),
            new CategoricalCrossentropy(fromLogits: true));
        Assert.Equal(fromInts["loss"], fromBytes["loss"]);
        Assert.Equal(fromInts["loss"], fromFloats["loss"]);
        Assert.Equal(fromInts["accuracy"], fromOneHot["accuracy"]);
        for (int e = 0; e < 2; e++) Assert.Equal(fromInts["loss"][e], fromOneHot["loss"][e], 1e-5);
    }

    [Fact]
    public void Evaluate_ReturnsLossThenMetrics()
    {
        var x = Features(30, Features, seed: 19);
        var y = Labels(x, Classes, seed: 20);
        using var model = Compiled(metrics: ["accuracy", "sparse_categorical_accuracy"]);
        var scores = model.Evaluate(x, y, verbose: 0);
        Assert.Equal(["loss", "accuracy", "sparse_categorical_accuracy"], model.MetricsNames);
        Assert.Equal(3, scores.Length);
        Assert.True(scores[0] > 0.5, "a cross-entropy over 4 classes from small logits is about log 4");
        Assert.Equal(scores[1], scores[2]);
        var onBatch = model.TrainOnBatch(x, y);
        Assert.Equal(3, onBatch.Length);
        Assert.Equal(scores[0], onBatch[0], 1e-6); // TrainOnBatch reports the loss before its update
    }
}
