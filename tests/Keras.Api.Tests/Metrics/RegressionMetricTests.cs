using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class RegressionMetricTests : MetricTestBase
{
    private const double Eps = 1e-7;
    private static readonly double[] s_true = [0, 1, 0, 0], s_pred = [1, 1, 0, 0];

    /// <summary>Keras' docstring case: y_true [[0, 1], [0, 0]], y_pred [[1, 1], [0, 0]], then with sample_weight [1, 0].</summary>
    private void Docstring(PredictionMetric m, double plain, double weighted)
    {
        m.UpdateState(T(s_true, 2, 2), T(s_pred, 2, 2));
        Near(plain, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T(s_true, 2, 2), T(s_pred, 2, 2), T([1, 0], 2));
        Near(weighted, m.Result(), 1e-6);
    }

    [Fact]
    public void DocstringExamples()
    {
        using (var m = new MeanSquaredError()) Docstring(m, 0.25, 0.5);
        using (var m = new MeanAbsoluteError()) Docstring(m, 0.25, 0.5);
        using (var m = new MeanAbsolutePercentageError()) Docstring(m, 250000000.0, 500000000.0);
        using (var m = new MeanSquaredLogarithmicError()) Docstring(m, 0.12011322, 0.24022643);
        using (var m = new RootMeanSquaredError()) Docstring(m, 0.5, 0.70710677);
        using (var m = new LogCoshError()) Docstring(m, 0.10844523, 0.21689045);
        using var cosine = new CosineSimilarity(axis: 1);
        cosine.UpdateState(T([0, 1, 1, 1], 2, 2), T([1, 0, 1, 1], 2, 2));
        Near(0.49999997, cosine.Result(), 1e-6);
        cosine.ResetState();
        cosine.UpdateState(T([0, 1, 1, 1], 2, 2), T([1, 0, 1, 1], 2, 2), T([0.3, 0.7], 2));
        Near(0.6999999, cosine.Result(), 1e-6);
    }

    private static (double[], int[], double[], int[]) Regression(Random rng, int n, int cols, double low = -2, double high = 2) =>
        (Uniform(rng, n * cols, low, high), [n, cols], Uniform(rng, n * cols, low, high), [n, cols]);

    [Fact]
    public void MeanMetrics_MatchFloat64OverWeightedBatches()
    {
        const int c = 3;
        double RowMean(Batch b, int r, Func<double, double, double> f) =>
            Enumerable.Range(0, c).Average(j => f(b.True[r * c + j], b.Pred[r * c + j]));
        using (var m = new MeanSquaredError())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c), (b, r) => RowMean(b, r, (t, p) => (t - p) * (t - p)));
        using (var m = new MeanAbsoluteError())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c), (b, r) => RowMean(b, r, (t, p) => Math.Abs(t - p)));
        using (var m = new MeanAbsolutePercentageError())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c), (b, r) => 100 * RowMean(b, r, (t, p) => Math.Abs((t - p) / Math.Max(Math.Abs(t), Eps))), rtol: 1e-4);
        using (var m = new MeanSquaredLogarithmicError())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c, -0.5, 3),
                (b, r) => RowMean(b, r, (t, p) => Math.Pow(Math.Log(Math.Max(p, Eps) + 1) - Math.Log(Math.Max(t, Eps) + 1), 2)));
        using (var m = new LogCoshError())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c), (b, r) => RowMean(b, r, (t, p) => Math.Log(Math.Cosh(p - t))), rtol: 1e-4);
        using (var m = new CosineSimilarity())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c), (b, r) =>
            {
                double[] t = Row(b.True, r, c), p = Row(b.Pred, r, c);
                double nt = Math.Sqrt(t.Sum(v => v * v)), np = Math.Sqrt(p.Sum(v => v * v));
                return t.Zip(p).Sum(z => z.First * z.Second) / (nt * np);
            });
    }

    [Fact]
    public void Correlations_DocstringExamples_AndFloat64()
    {
        double[] t = [0, 1, 0.5, 1, 1, 0.2], p = [0.1, 0.9, 0.5, 1, 0.9, 0.2];
        using (var m = new PearsonCorrelation())
        {
            m.UpdateState(T(t, 2, 3), T(p, 2, 3));
            Near(0.9966996338993913, m.Result(), 1e-6);
        }
        using (var m = new ConcordanceCorrelation())
        {
            m.UpdateState(T(t, 2, 3), T(p, 2, 3));
            Near(0.9816320385426076, m.Result(), 2e-6);
        }
        const int c = 5;
        static double Mean(double[] a) => a.Average();
        static double Var(double[] a) => a.Average(v => (v - a.Average()) * (v - a.Average()));
        using (var m = new PearsonCorrelation())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c), (b, r) =>
            {
                double[] x = Row(b.True, r, c), y = Row(b.Pred, r, c);
                double sx = Math.Sqrt(Var(x)), sy = Math.Sqrt(Var(y));
                return Enumerable.Range(0, c).Average(j => (x[j] - Mean(x)) / sx * ((y[j] - Mean(y)) / sy));
            }, rtol: 1e-4);
        using (var m = new ConcordanceCorrelation())
            CheckAgainstReference(m, (rng, n) => Regression(rng, n, c), (b, r) =>
            {
                double[] x = Row(b.True, r, c), y = Row(b.Pred, r, c);
                double norm = Var(x) + Var(y) + Math.Pow(Mean(x) - Mean(y), 2);
                return Enumerable.Range(0, c).Average(j => 2 * (x[j] - Mean(y)) * (y[j] - Mean(y)) / (norm + 1e-7));
            }, rtol: 1e-4);
    }

    [Fact]
    public void RootMeanSquaredError_IsTheSquareRootOfTheWeightedMean()
    {
        const int c = 2;
        var batches = Batches(7, (rng, n) => Regression(rng, n, c)).ToList();
        double expected = Math.Sqrt(WeightedMean(batches, (b, r) => Enumerable.Range(0, c).Average(j => Math.Pow(b.True[r * c + j] - b.Pred[r * c + j], 2))));
        using var m = new RootMeanSquaredError();
        Feed(m, batches);
        Near(expected, m.Result());
    }

    [Fact]
    public void TargetsOfRankOne_AreAlignedWithAColumnOfPredictions()
    {
        using var m = new MeanSquaredError();
        m.UpdateState(T([1, 2, 3], 3), T([1.5, 2, 2], 3, 1));
        Near((0.25 + 0 + 1) / 3, m.Result());
    }

    [Fact]
    public void R2Score_DocstringExample()
    {
        using var m = new R2Score();
        m.UpdateState(T([1, 4, 3], 3, 1), T([2, 4, 4], 3, 1));
        Near(0.57142854, m.Result(), 1e-6);
    }

    /// <summary>R² per output from weighted sums in float64, then aggregated as Keras does.</summary>
    private static double[] R2Reference(IEnumerable<Batch> batches, int outputs, out double[] totals, out double samples)
    {
        var sum = new double[outputs]; var sq = new double[outputs]; var res = new double[outputs]; var count = new double[outputs];
        samples = 0;
        foreach (var b in batches)
            for (int r = 0; r < b.PredShape[0]; r++)
            {
                double w = b.Weights?[r] ?? 1;
                if (w != 0) samples++;
                for (int j = 0; j < outputs; j++)
                {
                    double t = b.True[r * outputs + j], p = b.Pred[r * outputs + j];
                    sum[j] += w * t; sq[j] += w * t * t; res[j] += w * (t - p) * (t - p); count[j] += w;
                }
            }
        totals = new double[outputs];
        var scores = new double[outputs];
        for (int j = 0; j < outputs; j++)
        {
            totals[j] = sq[j] - sum[j] * (sum[j] / count[j]);
            scores[j] = 1 - res[j] / totals[j];
        }
        return scores;
    }

    [Fact]
    public void R2Score_Aggregations_AndAdjusted_MatchFloat64()
    {
        const int outputs = 3;
        var batches = Batches(9, (rng, n) =>
        {
            var t = Uniform(rng, n * outputs, -2, 2);
            return (t, [n, outputs], t.Select(v => v + 0.5 * (rng.NextDouble() - 0.5)).Select(v => (double)(float)v).ToArray(), [n, outputs]);
        }).ToList();
        var raw = R2Reference(batches, outputs, out var totals, out double samples);
        using (var m = new R2Score())
        {
            Feed(m, batches);
            Near(raw.Average(), m.Result(), 1e-4);
            m.ResetState();
            Assert.True(double.IsNaN(m.Result()));
        }
        using (var m = new R2Score("variance_weighted_average"))
        {
            Feed(m, batches);
            Near(raw.Zip(totals).Sum(z => z.First * z.Second) / totals.Sum(), m.Result(), 1e-4);
        }
        using (var m = new R2Score(null))
        {
            Feed(m, batches);
            var got = m.ResultPerOutput();
            for (int j = 0; j < outputs; j++) Near(raw[j], got[j], 1e-4);
            Assert.Throws<InvalidOperationException>(() => m.Result());
        }
        using (var m = new R2Score(numRegressors: 2))
        {
            Feed(m, batches);
            double r2 = raw.Average();
            Near(1 - (1 - r2) * (samples - 1) / (samples - 2 - 1), m.Result(), 1e-4);
        }
        Assert.Throws<ArgumentException>(() => new R2Score("mean"));
        Assert.Throws<ArgumentException>(() => new R2Score(numRegressors: -1));
    }

    [Fact]
    public void R2Score_RejectsRank3_WithoutChangingState()
    {
        using var m = new R2Score();
        m.UpdateState(T([1, 4, 3], 3, 1), T([2, 4, 4], 3, 1));
        var e = Assert.Throws<ArgumentException>(() => m.UpdateState(T(new double[8], 2, 2, 2), T(new double[8], 2, 2, 2)));
        Assert.Contains("R2Score expects 2D inputs", e.Message);
        Near(0.57142854, m.Result(), 1e-6);
    }
}
