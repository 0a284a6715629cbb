using KerasGpu.Layers;
using KerasGpu.Metrics;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Metrics;

/// <summary>Metrics given to Compile, through Fit and Evaluate on the default (cpu) backend.</summary>
public class CompileMetricsTests
{
    private const int Features = 8, Hidden = 12, Classes = 4, Rows = 50;

    [Fact]
    public void Classification_LogsEveryMetricByItsKerasName_AndEvaluateMatchesFloat64()
    {
        var x = Features(Rows, Features, seed: 31);
        var labels = Labels(x, Classes, seed: 32);
        var y = OneHot(labels, Classes);
        using var model = Mlp(Features, Hidden, Classes, outputActivation: "softmax");
        model.SetWeights(Weights(Features, Hidden, Classes, seed: 33));
        model.Compile(loss: "categorical_crossentropy", optimizer: "adam",
            metrics: ["acc", new TopKCategoricalAccuracy(k: 2), "precision", "recall", "auc", new F1Score("macro"), "categorical_crossentropy"]);
        string[] names = ["acc", "top_k_categorical_accuracy", "precision", "recall", "auc", "f1_score", "categorical_crossentropy"];
        Assert.Equal(["loss", .. names], model.MetricsNames);
        var history = model.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0);
        foreach (var name in names.Append("loss")) Assert.Equal(2, history[name].Count);

        var scores = model.Evaluate(x, y, batchSize: 16, verbose: 0);
        Assert.Equal(names.Length + 1, scores.Length);
        var p = model.Predict(x, verbose: 0).ToArray<float>();
        double[] Row(int r) => [.. p.AsSpan(r * Classes, Classes).ToArray().Select(v => (double)v)];
        int ArgMax(double[] row) => Array.IndexOf(row, row.Max());
        double accuracy = Enumerable.Range(0, Rows).Average(r => ArgMax(Row(r)) == labels[r] ? 1.0 : 0.0);
        double top2 = Enumerable.Range(0, Rows).Average(r => Row(r).Count(v => v > Row(r)[labels[r]]) < 2 ? 1.0 : 0.0);
        double tp = 0, fp = 0, fn = 0;
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Classes; c++)
            {
                bool positive = Row(r)[c] > 0.5, label = labels[r] == c;
                if (positive && label) tp++;
                else if (positive) fp++;
                else if (label) fn++;
            }
        double crossEntropy = Enumerable.Range(0, Rows).Average(r => -Math.Log(Math.Clamp(Row(r)[labels[r]] / Row(r).Sum(), 1e-7, 1 - 1e-7)));
        Assert.Equal(accuracy, scores[1], 1e-6);
        Assert.Equal(top2, scores[2], 1e-6);
        Assert.Equal(tp / Math.Max(tp + fp, 1e-300), scores[3], 1e-5);
        Assert.Equal(tp / (tp + fn), scores[4], 1e-5);
        Assert.Equal(RocAuc(p, y), scores[5], 1e-4);
        Assert.Equal(MacroF1(p, labels), scores[6], 1e-4);
        Assert.Equal(crossEntropy, scores[7], 1e-4);
        Assert.Equal(scores[0], scores[7], 4); // the metric and the loss are the same cross-entropy
    }

    /// <summary>Keras' ROC AUC with 200 thresholds over every (prediction, one-hot label) pair, in float64.</summary>
    private static double RocAuc(float[] p, float[,] y)
    {
        const int n = 200;
        double[] thresholds = [-1e-7, .. Enumerable.Range(1, n - 2).Select(i => i / (n - 1.0)), 1 + 1e-7];
        double[] tpr = new double[n], fpr = new double[n];
        double positives = y.Cast<float>().Count(v => v != 0), negatives = y.Length - positives;
        for (int i = 0; i < n; i++)
        {
            double tp = 0, fp = 0;
            for (int k = 0; k < p.Length; k++)
                if (p[k] > thresholds[i]) { if (y[k / Classes, k % Classes] != 0) tp++; else fp++; }
            tpr[i] = tp / positives;
            fpr[i] = fp / negatives;
        }
        return Enumerable.Range(0, n - 1).Sum(i => (fpr[i] - fpr[i + 1]) * (tpr[i] + tpr[i + 1]) / 2);
    }

    /// <summary>Keras' macro F1 with the row maximum as the positive class, in float64.</summary>
    private static double MacroF1(float[] p, int[] labels)
    {
        const double eps = 1e-7;
        double total = 0;
        for (int c = 0; c < Classes; c++)
        {
            double tp = 0, fp = 0, fn = 0;
            for (int r = 0; r < labels.Length; r++)
            {
                var row = p.AsSpan(r * Classes, Classes).ToArray();
                bool predicted = row[c] >= row.Max() && Math.Abs(row[c]) > 1e-9, label = labels[r] == c;
                if (predicted && label) tp++;
                else if (predicted) fp++;
                else if (label) fn++;
            }
            double precision = tp / (tp + fp + eps), recall = tp / (tp + fn + eps);
            total += precision * recall / (precision + recall + eps) * 2;
        }
        return total / Classes;
    }

    [Fact]
    public void Regression_LogsErrorMetrics_WithTheirValues()
    {
        const int outputs = 2;
        var x = Features(Rows, Features, seed: 41);
        var y = new float[Rows, outputs];
        for (int r = 0; r < Rows; r++) { y[r, 0] = x[r, 0] + x[r, 1]; y[r, 1] = x[r, 2] - x[r, 3]; }
        using var model = Mlp(Features, Hidden, outputs);
        model.SetWeights(Weights(Features, Hidden, outputs, seed: 42));
        model.Compile(loss: "mse", optimizer: "sgd", metrics: ["mae", "mse", "RootMeanSquaredError", new R2Score(), "cosine_similarity"]);
        var history = model.Fit(x, y, batchSize: 10, epochs: 2, verbose: 0);
        // Keras 3 logs are keyed in sorted order (Python's ordinal sort: upper case first).
        Assert.Equal(["RootMeanSquaredError", "cosine_similarity", "loss", "mae", "mse", "r2_score"], history.Keys);
        var scores = model.Evaluate(x, y, batchSize: 10, verbose: 0);
        var p = model.Predict(x, verbose: 0).ToArray<float>();
        double mae = 0, mse = 0;
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < outputs; c++)
            {
                double d = p[r * outputs + c] - y[r, c];
                mae += Math.Abs(d) / (Rows * outputs);
                mse += d * d / (Rows * outputs);
            }
        double r2 = Enumerable.Range(0, outputs).Average(c =>
        {
            double mean = Enumerable.Range(0, Rows).Average(r => (double)y[r, c]);
            double total = Enumerable.Range(0, Rows).Sum(r => Math.Pow(y[r, c] - mean, 2));
            double residual = Enumerable.Range(0, Rows).Sum(r => Math.Pow(y[r, c] - p[r * outputs + c], 2));
            return 1 - residual / total;
        });
        Assert.Equal(mse, scores[0], 1e-4);
        Assert.Equal(mae, scores[1], 1e-4);
        Assert.Equal(mse, scores[2], 1e-4);
        Assert.Equal(Math.Sqrt(mse), scores[3], 1e-4);
        Assert.Equal(r2, scores[4], 1e-3);
    }

    [Fact]
    public void MultiOutput_CopiesEachConfiguredMetricPerOutput()
    {
        var input = Keras.Input(shape: [Features], name: "in");
        var outA = new Dense(Classes, activation: "softmax", name: "a").Apply(input);
        var outB = new Dense(Classes, activation: "softmax", name: "b").Apply(input);
        using var model = new Model([input], [outA, outB]);
        // A flat list whose length is not the output count applies to every output (a list of exactly one entry per
        // output would be per-output, as in Keras 3).
        model.Compile(loss: "categorical_crossentropy", optimizer: "sgd", metrics: [new TopKCategoricalAccuracy(k: 2), new AUC(numThresholds: 50), "categorical_accuracy"]);
        // Keras 3: the total loss, each output's loss, then the output-prefixed metrics sorted by name.
        Assert.Equal(["loss", "a_loss", "b_loss", "a_auc", "a_categorical_accuracy", "a_top_k_categorical_accuracy",
            "b_auc", "b_categorical_accuracy", "b_top_k_categorical_accuracy"], model.MetricsNames);
        var x = Features(Rows, Features, seed: 51);
        var labels = Labels(x, Classes, seed: 52);
        var y = OneHot(labels, Classes);
        var scores = model.Evaluate([x], [y, y], verbose: 0);
        var predictions = model.Predict([x], verbose: 0);
        for (int o = 0; o < 2; o++)
        {
            var p = predictions[o].ToArray<float>();
            double top2 = Enumerable.Range(0, Rows).Average(r =>
            {
                var row = p.AsSpan(r * Classes, Classes).ToArray();
                return row.Count(v => v > row[labels[r]]) < 2 ? 1.0 : 0.0;
            });
            Assert.Equal(top2, scores[5 + 3 * o], 1e-6);
        }
    }

    [Fact]
    public void PerClassScores_CannotGoIntoTrainingLogs()
    {
        var x = Features(20, Features, seed: 61);
        var y = OneHot(Labels(x, Classes, seed: 62), Classes);
        using var model = Mlp(Features, Hidden, Classes, outputActivation: "softmax");
        model.Compile(loss: "categorical_crossentropy", metrics: [new F1Score()]);
        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0));
        Assert.Contains("average=None", e.Message);
        model.Compile(loss: "categorical_crossentropy", metrics: [new Precision([0.3f, 0.6f])]);
        Assert.Contains("one value per threshold", Assert.Throws<ArgumentException>(() => model.Evaluate(x, y, verbose: 0)).Message);
    }
}
