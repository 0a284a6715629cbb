using KerasGpu.Activations;

namespace KerasGpu.Tests.Activations;

/// <summary>Sparsemax against Martins and Astudillo's sort-based algorithm in float64, and against Keras' examples.</summary>
public class SparsemaxTests
{
    /// <summary>Algorithm 1 of the paper on one slice: sort descending, find the support size k, τ = (Σ top-k − 1) / k.</summary>
    private static double[] SparsemaxSlice(double[] z)
    {
        var sorted = z.OrderByDescending(v => v).ToArray();
        double cumsum = 0, supportSum = 0;
        int k = 0;
        for (int j = 0; j < sorted.Length; j++)
        {
            cumsum += sorted[j];
            if (1 + (j + 1) * sorted[j] > cumsum) { k = j + 1; supportSum = cumsum; }
        }
        double tau = (supportSum - 1) / k;
        return [.. z.Select(v => Math.Max(v - tau, 0))];
    }

    /// <summary>Sparsemax over the last axis of a <c>[rows, cols]</c> view.</summary>
    private static double[] SparsemaxRows(double[] x, int cols) =>
        [.. Enumerable.Range(0, x.Length / cols).SelectMany(r => SparsemaxSlice(x[(r * cols)..((r + 1) * cols)]))];

    [Fact]
    public void KnownValues()
    {
        using var h = new Harness();
        // Keras' test: linspace(1, 12) gives a one-hot on the largest element.
        var linspace = Enumerable.Range(1, 12).Select(i => (double)i).ToArray();
        Harness.AssertClose([.. linspace.Select(v => v == 12 ? 1.0 : 0.0)], Harness.Download(Ops.Sparsemax(h.Upload(linspace))), 1e-6, 0, "sparsemax(linspace)");
        // Supports larger than one (keras-team/keras#23425 and #23469).
        Harness.AssertClose([0, 0.25, 0.75], Harness.Download(Ops.Sparsemax(h.Upload([0, 0.5, 1], [1, 3]))), 1e-6, 0, "sparsemax([0, .5, 1])");
        Harness.AssertClose([0, 0.1, 0.2, 0.3, 0.4], Harness.Download(ActivationFunction.Get("sparsemax").Call(h.Upload([0.1, 0.2, 0.3, 0.4, 0.5]))), 1e-6, 0, "sparsemax([.1 … .5])");
        // Ties share the mass.
        Harness.AssertClose([0, 0.5, 0.5], Harness.Download(Ops.Sparsemax(h.Upload([1, 3, 3]))), 1e-6, 0, "sparsemax ties");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2)]
    [InlineData(10)]
    public void RandomRows_MatchTheSortAlgorithm_AndSumToOne(double scale)
    {
        using var h = new Harness();
        var x = Harness.Random(6 * 7, 1, -scale, scale);
        var got = Harness.Download(Ops.Sparsemax(h.Upload(x, [6, 7])));
        Harness.AssertClose(SparsemaxRows(x, 7), got, 1e-6, 1e-5, "sparsemax");
        for (int r = 0; r < 6; r++) Assert.Equal(1.0, got.Skip(r * 7).Take(7).Sum(), 1e-5);
    }

    [Fact]
    public void AlongAnotherAxis_MatchesTransposedReference()
    {
        using var h = new Harness();
        var x = Harness.Random(4 * 5, 2, -1, 1); // shape (4, 5), sparsemax over axis 0 = over the columns
        var got = Harness.Download(Ops.Sparsemax(h.Upload(x, [4, 5]), axis: 0));
        var transposed = new double[20];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) transposed[j * 4 + i] = x[i * 5 + j];
        var expectedT = SparsemaxRows(transposed, 4);
        var expected = new double[20];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) expected[i * 5 + j] = expectedT[j * 4 + i];
        Harness.AssertClose(expected, got, 1e-6, 1e-5, "sparsemax(axis=0)");
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        using var h = new Harness();
        var x = Harness.Random(5 * 6, 3, -1.5, 1.5);
        var w = Harness.Random(30, 4);
        var expected = Harness.FiniteDifference(v => SparsemaxRows(v, 6), x, w);
        Assert.Contains(expected, g => Math.Abs(g) > 1e-3); // the probe is not degenerate
        Harness.AssertClose(expected, h.TapeGradient(t => Ops.Sparsemax(t), x, [5, 6], w), 2e-4, 2e-4, "d sparsemax");
    }
}
