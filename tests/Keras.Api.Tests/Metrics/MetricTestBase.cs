using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;
using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

/// <summary>
/// A private CPU backend per test class instance, tensors from host arrays, seeded data, and the float64 reference
/// of a running weighted mean over several batches. Every device buffer must be freed by the end of a test.
/// </summary>
public abstract class MetricTestBase : IDisposable
{
    private readonly TensorScope _scope = new();

    /// <summary>The backend the tests' tensors live on.</summary>
    protected CpuBackend Backend { get; } = new();

    public void Dispose()
    {
        _scope.Dispose();
        Assert.Equal(0, Backend.LiveBufferCount);
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Tensor T(double[] values, params int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray(values.Select(v => (float)v).ToArray(), shape), Backend);

    protected Tensor I(int[] values, params int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray(values, shape), Backend, DType.Int32);

    protected static double[] Uniform(Random rng, int n, double low, double high) =>
        [.. Enumerable.Range(0, n).Select(_ => (double)(float)(low + (high - low) * rng.NextDouble()))];

    protected static double[] Bits(Random rng, int n) => [.. Enumerable.Range(0, n).Select(_ => rng.Next(2) * 1.0)];

    protected static double[] OneHot(int[] labels, int classes)
    {
        var t = new double[labels.Length * classes];
        for (int r = 0; r < labels.Length; r++) t[r * classes + labels[r]] = 1;
        return t;
    }

    protected static double[] Row(double[] x, int r, int cols) => x[(r * cols)..((r + 1) * cols)];

    /// <summary><c>|got − expected| ≤ atol + rtol·|expected|</c>, naming both.</summary>
    protected static void Near(double expected, double got, double rtol = 2e-5, double atol = 1e-6, string what = "")
    {
        Assert.True(Math.Abs(got - expected) <= atol + rtol * Math.Abs(expected), $"{what} expected {expected:R}, got {got:R}");
    }

    /// <summary>One batch: targets and predictions (host values and shapes), and optional per-sample weights.</summary>
    protected sealed record Batch(double[] True, int[] TrueShape, double[] Pred, int[] PredShape, double[]? Weights, bool IntTargets = false);

    /// <summary>Three batches of 5, 3 and 7 rows: weighted (including a zero weight), unweighted, weighted.</summary>
    protected static IEnumerable<Batch> Batches(int seed, Func<Random, int, (double[] T, int[] TShape, double[] P, int[] PShape)> make, bool intTargets = false)
    {
        var rng = new Random(seed);
        int[] sizes = [5, 3, 7];
        for (int b = 0; b < sizes.Length; b++)
        {
            var (t, ts, p, ps) = make(rng, sizes[b]);
            double[]? w = b == 1 ? null : Uniform(rng, sizes[b], 0, 2);
            if (w is not null) w[0] = 0;
            yield return new Batch(t, ts, p, ps, w, intTargets);
        }
    }

    /// <summary>Feeds the batches to <paramref name="metric"/> (with their weights).</summary>
    protected void Feed(PredictionMetric metric, IEnumerable<Batch> batches)
    {
        foreach (var b in batches)
        {
            using var scope = new TensorScope();
            var yTrue = b.IntTargets ? I([.. b.True.Select(v => (int)v)], b.TrueShape) : T(b.True, b.TrueShape);
            metric.UpdateState(yTrue, T(b.Pred, b.PredShape), b.Weights is null ? null : T(b.Weights, b.Weights.Length));
        }
    }

    /// <summary>
    /// The float64 Keras mean of per-sample values over all batches: <c>Σ w·f / Σ w</c> (w = 1 when unweighted), with
    /// <paramref name="perSample"/> giving the values of one batch's rows.
    /// </summary>
    protected static double WeightedMean(IEnumerable<Batch> batches, Func<Batch, int, double> perSample)
    {
        double total = 0, count = 0;
        foreach (var b in batches)
        {
            int rows = b.PredShape[0];
            for (int r = 0; r < rows; r++)
            {
                double w = b.Weights?[r] ?? 1;
                total += w * perSample(b, r);
                count += w;
            }
        }
        return count == 0 ? 0 : total / count;
    }

    /// <summary>Runs <paramref name="metric"/> over seeded batches and compares with the float64 reference; then checks
    /// that ResetState returns it to its initial value and that it accumulates the same again.</summary>
    protected void CheckAgainstReference(PredictionMetric metric, Func<Random, int, (double[] T, int[] TShape, double[] P, int[] PShape)> make,
        Func<Batch, int, double> perSample, bool intTargets = false, double rtol = 2e-5, int seed = 1)
    {
        var batches = Batches(seed, make, intTargets).ToList();
        double expected = WeightedMean(batches, perSample);
        Feed(metric, batches);
        Near(expected, metric.Result(), rtol, what: metric.Name);
        metric.ResetState();
        Assert.Equal(0, metric.Result());
        Feed(metric, batches);
        Near(expected, metric.Result(), rtol, what: metric.Name + " after reset");
    }

    /// <summary>Random (rows, classes) probabilities whose rows sum to 1.</summary>
    protected static double[] Probabilities(Random rng, int rows, int classes)
    {
        var p = Uniform(rng, rows * classes, 0.05, 1);
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < classes; c++) s += p[r * classes + c];
            for (int c = 0; c < classes; c++) p[r * classes + c] = (float)(p[r * classes + c] / s);
        }
        return p;
    }
}
