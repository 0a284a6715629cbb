using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class FScoreMetricTests : MetricTestBase
{
    private static readonly double[] s_true = [1, 1, 1, 1, 0, 0, 1, 1, 0], s_pred = [0.2, 0.6, 0.7, 0.2, 0.6, 0.6, 0.6, 0.8, 0.0];

    [Fact]
    public void DocstringExamples()
    {
        using var fbeta = new FBetaScore(beta: 2f, threshold: 0.5f);
        fbeta.UpdateState(T(s_true, 3, 3), T(s_pred, 3, 3));
        double[] expected = [0.3846154, 0.90909094, 0.8333334];
        var got = fbeta.ResultPerClass();
        for (int i = 0; i < 3; i++) Near(expected[i], got[i], 1e-6);
        using var f1 = new F1Score(threshold: 0.5f);
        f1.UpdateState(T(s_true, 3, 3), T(s_pred, 3, 3));
        expected = [0.5, 0.8, 0.6666667];
        got = f1.ResultPerClass();
        for (int i = 0; i < 3; i++) Near(expected[i], got[i], 1e-6);
        Assert.Equal("f1_score", f1.Name);
        Assert.Equal("fbeta_score", fbeta.Name);
        Assert.Throws<InvalidOperationException>(() => f1.Result());
    }

    /// <summary>Keras' F-beta from weighted tp/fp/fn per class (or pooled for micro), in float64.</summary>
    private static double Reference(List<Batch> batches, int cols, string average, double beta, double? threshold)
    {
        bool micro = average == "micro";
        int n = micro ? 1 : cols;
        double[] tp = new double[n], fp = new double[n], fn = new double[n], support = new double[n];
        foreach (var b in batches)
            for (int r = 0; r < b.PredShape[0]; r++)
            {
                double w = b.Weights?[r] ?? 1;
                var row = Row(b.Pred, r, cols);
                double max = row.Max();
                for (int j = 0; j < cols; j++)
                {
                    double p = threshold is { } t ? (row[j] > t ? 1 : 0) : (row[j] >= max && Math.Abs(row[j]) > 1e-9 ? 1 : 0);
                    double y = b.True[r * cols + j];
                    int k = micro ? 0 : j;
                    tp[k] += w * p * y; fp[k] += w * p * (1 - y); fn[k] += w * (1 - p) * y; support[k] += w * y;
                }
            }
        const double eps = 1e-7;
        double b2 = beta * beta;
        var scores = Enumerable.Range(0, n).Select(i =>
        {
            double precision = tp[i] / (tp[i] + fp[i] + eps), recall = tp[i] / (tp[i] + fn[i] + eps);
            return precision * recall / (b2 * precision + recall + eps) * (1 + b2);
        }).ToArray();
        if (average == "weighted")
        {
            double total = support.Sum() + eps;
            return scores.Select((s, i) => s * support[i] / total).Sum();
        }
        return scores.Average();
    }

    [Theory]
    [InlineData("micro", 1.0, 0.5)]
    [InlineData("macro", 1.0, null)]
    [InlineData("weighted", 2.0, 0.4)]
    [InlineData("macro", 0.5, 0.6)]
    public void Averages_MatchFloat64(string average, double beta, double? threshold)
    {
        const int cols = 4;
        var batches = Batches(21, (rng, n) => (Bits(rng, n * cols), [n, cols], Uniform(rng, n * cols, 0, 1), [n, cols])).ToList();
        using FBetaScore m = beta == 1.0 ? new F1Score(average, (float?)threshold) : new FBetaScore(average, (float)beta, (float?)threshold);
        Feed(m, batches);
        Near(Reference(batches, cols, average, beta, threshold), m.Result(), 1e-5);
        m.ResetState();
        Assert.Equal(0, m.Result());
    }

    [Fact]
    public void BadArgumentsAndShapes_AreRejected()
    {
        Assert.Contains("Invalid `average` argument value", Assert.Throws<ArgumentException>(() => new F1Score("mean")).Message);
        Assert.Contains("beta=0", Assert.Throws<ArgumentException>(() => new FBetaScore(beta: 0f)).Message);
        Assert.Contains("0 < threshold <= 1", Assert.Throws<ArgumentException>(() => new F1Score(threshold: 0f)).Message);
        using var m = new F1Score("macro");
        m.UpdateState(T([1, 0], 1, 2), T([0.9, 0.1], 1, 2));
        double before = m.Result();
        Assert.Contains("expects 2D inputs", Assert.Throws<ArgumentException>(() => m.UpdateState(T([1, 0], 2), T([0.9, 0.1], 2))).Message);
        Assert.Contains("built for 2 classes", Assert.Throws<ArgumentException>(() => m.UpdateState(T([1, 0, 0], 1, 3), T([0.9, 0.1, 0], 1, 3))).Message);
        Assert.Equal(before, m.Result());
    }
}
