using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class ProbabilisticMetricTests : MetricTestBase
{
    private const double Eps = 1e-7;
    private static readonly double[] s_true = [0, 1, 0, 0], s_pred = [0.6, 0.4, 0.4, 0.6];

    private void Docstring(PredictionMetric m, double[] yTrue, double[] yPred, int[] shape, double plain, double[] weights, double weighted, double rtol = 1e-6)
    {
        m.UpdateState(T(yTrue, shape), T(yPred, shape));
        Near(plain, m.Result(), rtol);
        m.ResetState();
        m.UpdateState(T(yTrue, shape), T(yPred, shape), T(weights, weights.Length));
        Near(weighted, m.Result(), rtol);
    }

    [Fact]
    public void DocstringExamples()
    {
        using (var m = new KLDivergence()) Docstring(m, s_true, s_pred, [2, 2], 0.45814306, [1, 0], 0.9162892);
        using (var m = new Poisson()) Docstring(m, s_true, [1, 1, 0, 0], [2, 2], 0.49999997, [1, 0], 0.99999994);
        using (var m = new BinaryCrossentropy()) Docstring(m, s_true, s_pred, [2, 2], 0.81492424, [1, 0], 0.9162905);
        using (var m = new CategoricalCrossentropy())
            Docstring(m, [0, 1, 0, 0, 0, 1], [0.05, 0.95, 0, 0.1, 0.8, 0.1], [2, 3], 1.1769392, [0.3, 0.7], 1.6271976);
        using (var m = new Hinge()) Docstring(m, s_true, s_pred, [2, 2], 1.3, [1, 0], 1.1);
        using (var m = new SquaredHinge()) Docstring(m, s_true, s_pred, [2, 2], 1.86, [1, 0], 1.46);
        using (var m = new CategoricalHinge()) Docstring(m, s_true, s_pred, [2, 2], 1.4000001, [1, 0], 1.2);
        using var sparse = new SparseCategoricalCrossentropy();
        sparse.UpdateState(I([1, 2], 2), T([0.05, 0.95, 0, 0.1, 0.8, 0.1], 2, 3));
        Near(1.1769392, sparse.Result(), 1e-6);
        sparse.ResetState();
        sparse.UpdateState(T([1, 2], 2), T([0.05, 0.95, 0, 0.1, 0.8, 0.1], 2, 3), T([0.3, 0.7], 2));
        Near(1.6271976, sparse.Result(), 1e-6);
    }

    private static double Clip(double v, double lo, double hi) => Math.Min(Math.Max(v, lo), hi);

    [Fact]
    public void Crossentropies_MatchFloat64_ForProbabilitiesAndLogits_WithLabelSmoothing()
    {
        const int c = 4;
        using (var m = new BinaryCrossentropy(labelSmoothing: 0.2f))
            CheckAgainstReference(m, (rng, n) => (Bits(rng, n * c), [n, c], Uniform(rng, n * c, 0, 1), [n, c]), (b, r) =>
                Enumerable.Range(0, c).Average(j =>
                {
                    double t = b.True[r * c + j] * 0.8 + 0.1, p = Clip(b.Pred[r * c + j], Eps, 1 - Eps);
                    return -(t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
                }), rtol: 1e-4);
        using (var m = new BinaryCrossentropy(fromLogits: true))
            CheckAgainstReference(m, (rng, n) => (Bits(rng, n * c), [n, c], Uniform(rng, n * c, -4, 4), [n, c]), (b, r) =>
                Enumerable.Range(0, c).Average(j =>
                {
                    double t = b.True[r * c + j], s = 1 / (1 + Math.Exp(-b.Pred[r * c + j]));
                    return -(t * Math.Log(s) + (1 - t) * Math.Log(1 - s));
                }), rtol: 1e-4);
        (double[], int[], double[], int[]) Soft(Random rng, int n, bool logits)
        {
            var t = Probabilities(rng, n, c);
            return (t, [n, c], logits ? Uniform(rng, n * c, -3, 3) : Uniform(rng, n * c, 0, 1), [n, c]);
        }
        using (var m = new CategoricalCrossentropy(labelSmoothing: 0.1f))
            CheckAgainstReference(m, (rng, n) => Soft(rng, n, false), (b, r) =>
            {
                double[] p = Row(b.Pred, r, c), t = Row(b.True, r, c);
                double s = p.Sum();
                return -Enumerable.Range(0, c).Sum(j => (t[j] * 0.9 + 0.1 / c) * Math.Log(Clip(p[j] / s, Eps, 1 - Eps)));
            }, rtol: 1e-4);
        using (var m = new CategoricalCrossentropy(fromLogits: true))
            CheckAgainstReference(m, (rng, n) => Soft(rng, n, true), (b, r) =>
            {
                double[] z = Row(b.Pred, r, c), t = Row(b.True, r, c);
                double lse = Math.Log(z.Sum(Math.Exp));
                return -Enumerable.Range(0, c).Sum(j => t[j] * (z[j] - lse));
            }, rtol: 1e-4);
        using (var m = new SparseCategoricalCrossentropy(fromLogits: true))
            CheckAgainstReference(m, (rng, n) => ([.. Enumerable.Range(0, n).Select(_ => (double)rng.Next(c))], [n], Uniform(rng, n * c, -3, 3), [n, c]),
                (b, r) =>
                {
                    double[] z = Row(b.Pred, r, c);
                    return Math.Log(z.Sum(Math.Exp)) - z[(int)b.True[r]];
                }, intTargets: true, rtol: 1e-4);
    }

    [Fact]
    public void SparseCrossentropy_IgnoreClass_ZeroesThoseSamples_AndTheirWeights()
    {
        // Keras: ignored samples give 0; with sample weights they also get weight 0, without they still count.
        const int c = 3, ignore = -1;
        var batches = Batches(23, (rng, n) =>
            ([.. Enumerable.Range(0, n).Select(_ => (double)(rng.Next(4) - 1))], [n], Probabilities(rng, n, c), [n, c]), intTargets: true).ToList();
        double total = 0, count = 0;
        foreach (var b in batches)
            for (int r = 0; r < b.PredShape[0]; r++)
            {
                bool valid = (int)b.True[r] != ignore;
                double w = b.Weights is null ? 1 : b.Weights[r] * (valid ? 1 : 0);
                var p = Row(b.Pred, r, c);
                total += w * (valid ? -Math.Log(Clip(p[(int)b.True[r]] / p.Sum(), Eps, 1 - Eps)) : 0);
                count += w;
            }
        using var m = new SparseCategoricalCrossentropy(ignoreClass: ignore);
        Feed(m, batches);
        Near(total / count, m.Result(), 1e-5);
    }

    [Fact]
    public void DivergenceAndHingeMetrics_MatchFloat64()
    {
        const int c = 3;
        using (var m = new KLDivergence())
            CheckAgainstReference(m, (rng, n) => (Probabilities(rng, n, c), [n, c], Probabilities(rng, n, c), [n, c]), (b, r) =>
                Enumerable.Range(0, c).Sum(j =>
                {
                    double t = Clip(b.True[r * c + j], Eps, 1), p = Clip(b.Pred[r * c + j], Eps, 1);
                    return t * Math.Log(t / p);
                }), rtol: 1e-4);
        using (var m = new Poisson())
            CheckAgainstReference(m, (rng, n) => (Uniform(rng, n * c, 0, 3), [n, c], Uniform(rng, n * c, 0.1, 3), [n, c]), (b, r) =>
                Enumerable.Range(0, c).Average(j => b.Pred[r * c + j] - b.True[r * c + j] * Math.Log(b.Pred[r * c + j] + Eps)), rtol: 1e-4);
        // 0/1 labels become −1/1; labels already in {−1, 1} stay as they are.
        foreach (bool binaryLabels in new[] { true, false })
        {
            (double[], int[], double[], int[]) Make(Random rng, int n) =>
                (binaryLabels ? Bits(rng, n * c) : [.. Bits(rng, n * c).Select(v => 2 * v - 1)], [n, c], Uniform(rng, n * c, -2, 2), [n, c]);
            double Margin(Batch b, int r, int j) => Math.Max(1 - (binaryLabels ? 2 * b.True[r * c + j] - 1 : b.True[r * c + j]) * b.Pred[r * c + j], 0);
            using (var m = new Hinge())
                CheckAgainstReference(m, Make, (b, r) => Enumerable.Range(0, c).Average(j => Margin(b, r, j)), rtol: 1e-4);
            using (var m = new SquaredHinge())
                CheckAgainstReference(m, Make, (b, r) => Enumerable.Range(0, c).Average(j => Margin(b, r, j) * Margin(b, r, j)), rtol: 1e-4);
        }
        using (var m = new CategoricalHinge())
            CheckAgainstReference(m, (rng, n) => (OneHot([.. Enumerable.Range(0, n).Select(_ => rng.Next(c))], c), [n, c], Uniform(rng, n * c, 0, 1), [n, c]),
                (b, r) =>
                {
                    double[] t = Row(b.True, r, c), p = Row(b.Pred, r, c);
                    double pos = t.Zip(p).Sum(z => z.First * z.Second), neg = t.Zip(p).Max(z => (1 - z.First) * z.Second);
                    return Math.Max(neg - pos + 1, 0);
                }, rtol: 1e-4);
    }

    [Fact]
    public void BadInputs_ThrowBeforeStateChanges()
    {
        using var m = new BinaryCrossentropy();
        m.UpdateState(T([1, 0], 1, 2), T([0.9, 0.2], 1, 2));
        double before = m.Result();
        var e = Assert.Throws<ArgumentException>(() => m.UpdateState(T([1, 0, 1], 1, 3), T([0.9, 0.2], 1, 2)));
        Assert.Contains("target.shape=(1, 3), output.shape=(1, 2)", e.Message);
        Assert.Equal(before, m.Result());
        Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy(labelSmoothing: 1.5f));
        using var sparse = new SparseCategoricalCrossentropy();
        Assert.Throws<ArgumentException>(() => sparse.UpdateState(I([1, 2, 0], 3), T([0.5, 0.5, 0.5, 0.5], 2, 2)));
    }
}
