using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Losses;

namespace KerasGpu.Tests.Losses;

/// <summary>Circle loss (pairwise within the batch) against Keras' formula in float64, its mask, and its gradient.</summary>
public class CircleLossTests : LossTestContext
{
    private const int Batch = 6, Dims = 4;
    private static readonly double[] s_labels = [0, 1, 0, 2, 1, 3]; // class 3 appears once: no positive pair, loss 0

    /// <summary>Keras' circle(): per-sample softplus(lse over positives + lse over negatives); −∞ where a side is empty.</summary>
    private static double[] Reference(double[] e, double[] labels, double gamma, double margin, bool removeDiagonal)
    {
        int n = labels.Length, d = e.Length / n;
        var loss = new double[n];
        for (int i = 0; i < n; i++)
        {
            var pos = new List<double>();
            var neg = new List<double>();
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += e[i * d + k] * e[j * d + k];
                double dist = Math.Max(1 - dot, 0);
                if (labels[i] == labels[j])
                {
                    if (removeDiagonal && i == j) continue;
                    pos.Add(-gamma * Math.Max(margin + dist, 0) * (margin - dist));
                }
                else neg.Add(gamma * Math.Max(1 + margin - dist, 0) * (1 - margin - dist));
            }
            static double Lse(List<double> v) => v.Count == 0 ? double.NegativeInfinity : v.Max() + Math.Log(v.Sum(x => Math.Exp(x - v.Max())));
            double z = Lse(pos) + Lse(neg);
            loss[i] = double.IsNegativeInfinity(z) ? 0 : Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return loss;
    }

    private static double[] UnitEmbeddings(int seed)
    {
        var rng = new Random(seed);
        var e = new double[Batch * Dims];
        for (int i = 0; i < Batch; i++)
        {
            double norm = 0;
            for (int k = 0; k < Dims; k++) { e[i * Dims + k] = rng.NextDouble() * 2 - 1; norm += e[i * Dims + k] * e[i * Dims + k]; }
            for (int k = 0; k < Dims; k++) e[i * Dims + k] /= Math.Sqrt(norm);
        }
        return e;
    }

    /// <summary>Keras' reduction with the mask "loss &gt; 0": mean reductions divide by the samples that count.</summary>
    private static double Reduce(double[] rows, double[]? w, string reduction)
    {
        var weighted = rows.Select((v, i) => v * (w?[i] ?? 1)).ToArray();
        int valid = rows.Count(v => v > 0);
        return reduction == "sum" ? weighted.Sum() : weighted.Sum() / valid;
    }

    [Theory]
    [InlineData(80f, 0.4f, true)]
    [InlineData(4f, 0.25f, true)]
    [InlineData(8f, 0.4f, false)]
    public void MatchesFloat64Formula_WithMaskedSamplesLeftOut(float gamma, float margin, bool removeDiagonal)
    {
        var e = UnitEmbeddings(3);
        var expectedRows = Reference(e, s_labels, gamma, margin, removeDiagonal);
        if (removeDiagonal) Assert.Equal(0, expectedRows[5]);
        Tensor Labels() => Upload(s_labels, [Batch], DType.Int32);

        var none = new Circle(gamma, margin, removeDiagonal, reduction: "none").Call(Labels(), Upload(e, [Batch, Dims]));
        AssertClose(expectedRows, Download(none), 1e-4, 1e-4, "none");
        double[] w = [1, 0.5, 2, 1.5, 1, 3];
        foreach (var reduction in new[] { "sum", "sum_over_batch_size" })
            foreach (var weights in new[] { null, w })
            {
                var got = new Circle(gamma, margin, removeDiagonal, reduction: reduction)
                    .Call(Labels(), Upload(e, [Batch, Dims]), weights is null ? null : Upload(weights, [Batch]));
                AssertClose([Reduce(expectedRows, weights, reduction)], Download(got), 1e-4, 1e-4, $"{reduction} weighted={weights is not null}");
            }
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var e = UnitEmbeddings(9);
        const float gamma = 6f, margin = 0.3f;
        var embeddings = Upload(e, [Batch, Dims]);
        double[] got;
        using (var tape = new GradientTape())
        {
            tape.Watch(embeddings);
            var loss = new Circle(gamma, margin).Call(Upload(s_labels, [Batch], DType.Int32), embeddings);
            got = Download(tape.Gradient(loss, [embeddings])[0]!);
        }
        var expected = new double[e.Length];
        for (int i = 0; i < e.Length; i++)
        {
            const double h = 1e-6;
            var up = (double[])e.Clone(); up[i] += h;
            var down = (double[])e.Clone(); down[i] -= h;
            expected[i] = (Reduce(Reference(up, s_labels, gamma, margin, true), null, "sum_over_batch_size")
                - Reduce(Reference(down, s_labels, gamma, margin, true), null, "sum_over_batch_size")) / (2 * h);
        }
        AssertClose(expected, got, 2e-3, 2e-4 * expected.Max(Math.Abs), "dcircle/de");
    }

    [Fact]
    public void BadShapes_Throw()
    {
        var e = Assert.Throws<ArgumentException>(() => new Circle().Call(Upload([0, 1, 2], [3], DType.Int32), Upload(new double[8], [2, 4])));
        Assert.Contains("one integer label per embedding", e.Message);
        Assert.Throws<ArgumentException>(() => new Circle().Call(Upload([0, 1], [2], DType.Int32), Upload(new double[8], [2, 2, 2])));
        Assert.IsType<Circle>(Loss.Get("circle"));
    }
}
