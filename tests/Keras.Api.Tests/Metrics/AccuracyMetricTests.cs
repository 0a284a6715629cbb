using KerasGpu.Backend;
using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class AccuracyMetricTests : MetricTestBase
{
    private static int ArgMax(double[] row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }

    [Fact]
    public void Accuracy_DocstringExamples()
    {
        using var m = new Accuracy();
        m.UpdateState(T([1, 2, 3, 4], 4, 1), T([0, 2, 3, 4], 4, 1));
        Assert.Equal(0.75, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T([1, 2, 3, 4], 4, 1), T([0, 2, 3, 4], 4, 1), T([1, 1, 0, 0], 4));
        Assert.Equal(0.5, m.Result(), 1e-6);
    }

    [Fact]
    public void BinaryAccuracy_DocstringExamples()
    {
        using var m = new BinaryAccuracy();
        m.UpdateState(T([1, 1, 0, 0], 4, 1), T([0.98, 1, 0, 0.6], 4, 1));
        Assert.Equal(0.75, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T([1, 1, 0, 0], 4, 1), T([0.98, 1, 0, 0.6], 4, 1), T([1, 0, 0, 1], 4));
        Assert.Equal(0.5, m.Result(), 1e-6);
    }

    [Fact]
    public void CategoricalAccuracy_DocstringExamples()
    {
        using var m = new CategoricalAccuracy();
        m.UpdateState(T([0, 0, 1, 0, 1, 0], 2, 3), T([0.1, 0.9, 0.8, 0.05, 0.95, 0], 2, 3));
        Assert.Equal(0.5, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T([0, 0, 1, 0, 1, 0], 2, 3), T([0.1, 0.9, 0.8, 0.05, 0.95, 0], 2, 3), T([0.7, 0.3], 2));
        Assert.Equal(0.3, m.Result(), 1e-6);
    }

    [Fact]
    public void SparseCategoricalAccuracy_DocstringExamples()
    {
        using var m = new SparseCategoricalAccuracy();
        m.UpdateState(T([2, 1], 2, 1), T([0.1, 0.6, 0.3, 0.05, 0.95, 0], 2, 3));
        Assert.Equal(0.5, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T([2, 1], 2, 1), T([0.1, 0.6, 0.3, 0.05, 0.95, 0], 2, 3), T([0.7, 0.3], 2));
        Assert.Equal(0.3, m.Result(), 1e-6);
    }

    [Fact]
    public void TopKCategoricalAccuracy_DocstringExamples()
    {
        using var m = new TopKCategoricalAccuracy(k: 1);
        m.UpdateState(T([0, 0, 1, 0, 1, 0], 2, 3), T([0.1, 0.9, 0.8, 0.05, 0.95, 0], 2, 3));
        Assert.Equal(0.5, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T([0, 0, 1, 0, 1, 0], 2, 3), T([0.1, 0.9, 0.8, 0.05, 0.95, 0], 2, 3), T([0.7, 0.3], 2));
        Assert.Equal(0.3, m.Result(), 1e-6);
        Assert.Equal(5, new TopKCategoricalAccuracy().K);
    }

    [Fact]
    public void SparseTopKCategoricalAccuracy_DocstringExamples()
    {
        using var m = new SparseTopKCategoricalAccuracy(k: 1);
        m.UpdateState(T([2, 1], 2), T([0.1, 0.9, 0.8, 0.05, 0.95, 0], 2, 3));
        Assert.Equal(0.5, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T([2, 1], 2), T([0.1, 0.9, 0.8, 0.05, 0.95, 0], 2, 3), T([0.7, 0.3], 2));
        Assert.Equal(0.3, m.Result(), 1e-6);
        using var sorted = new SparseTopKCategoricalAccuracy(k: 1, fromSortedIds: true);
        sorted.UpdateState(T([2, 1], 2), T([1, 0, 3, 1, 2, 3], 2, 3));
        Assert.Equal(0.5, sorted.Result(), 1e-6);
    }

    [Fact]
    public void BinaryAccuracy_WithThreshold_MatchesFloat64()
    {
        const int cols = 3;
        using var m = new BinaryAccuracy(threshold: 0.3f);
        CheckAgainstReference(m, (rng, n) => (Bits(rng, n * cols), [n, cols], Uniform(rng, n * cols, 0, 1), [n, cols]),
            (b, r) => Enumerable.Range(0, cols).Average(c => (b.Pred[r * cols + c] > 0.3 ? 1.0 : 0.0) == b.True[r * cols + c] ? 1.0 : 0.0));
    }

    [Fact]
    public void CategoricalAndSparseAccuracy_MatchFloat64_WithAndWithoutWeights()
    {
        const int classes = 5;
        (double[], int[], double[], int[]) Make(Random rng, int n, bool sparse)
        {
            var labels = Enumerable.Range(0, n).Select(_ => rng.Next(classes)).ToArray();
            return (sparse ? [.. labels.Select(l => (double)l)] : OneHot(labels, classes), sparse ? [n] : [n, classes],
                Uniform(rng, n * classes, 0, 1), [n, classes]);
        }
        double Correct(Batch b, int r, bool sparse) =>
            ArgMax(Row(b.Pred, r, classes)) == (sparse ? (int)b.True[r] : ArgMax(Row(b.True, r, classes))) ? 1 : 0;
        using (var m = new CategoricalAccuracy())
            CheckAgainstReference(m, (rng, n) => Make(rng, n, false), (b, r) => Correct(b, r, false));
        using (var m = new SparseCategoricalAccuracy())
            CheckAgainstReference(m, (rng, n) => Make(rng, n, true), (b, r) => Correct(b, r, true), intTargets: true);
        using (var m = new SparseCategoricalAccuracy())
            CheckAgainstReference(m, (rng, n) => Make(rng, n, true), (b, r) => Correct(b, r, true), intTargets: false);
    }

    [Fact]
    public void TopKAccuracies_MatchFloat64_IncludingTiesAtTheBoundary()
    {
        const int classes = 6, k = 3;
        // Scores from a few levels so ties happen; Keras counts a target as in the top k when fewer than k scores beat it.
        (double[], int[], double[], int[]) Make(Random rng, int n, bool sparse)
        {
            var labels = Enumerable.Range(0, n).Select(_ => rng.Next(classes)).ToArray();
            var p = Enumerable.Range(0, n * classes).Select(_ => rng.Next(4) / 4.0).ToArray();
            return (sparse ? [.. labels.Select(l => (double)l)] : OneHot(labels, classes), sparse ? [n] : [n, classes], p, [n, classes]);
        }
        double InTopK(Batch b, int r, bool sparse)
        {
            var row = Row(b.Pred, r, classes);
            int label = sparse ? (int)b.True[r] : ArgMax(Row(b.True, r, classes));
            return row.Count(v => v > row[label]) < k ? 1 : 0;
        }
        using (var m = new TopKCategoricalAccuracy(k))
            CheckAgainstReference(m, (rng, n) => Make(rng, n, false), (b, r) => InTopK(b, r, false), seed: 4);
        using (var m = new SparseTopKCategoricalAccuracy(k))
            CheckAgainstReference(m, (rng, n) => Make(rng, n, true), (b, r) => InTopK(b, r, true), intTargets: true, seed: 5);
    }

    [Fact]
    public void KernelPathAndComposedPath_Agree()
    {
        // Unweighted rank-2 batches take the fused counting kernel; all-ones weights take the composed ops.
        var rng = new Random(8);
        var labels = Enumerable.Range(0, 9).Select(_ => rng.Next(4)).ToArray();
        var p = Uniform(rng, 9 * 4, 0, 1);
        using var fused = new SparseCategoricalAccuracy();
        using var composed = new SparseCategoricalAccuracy();
        fused.UpdateState(I(labels, 9), T(p, 9, 4));
        composed.UpdateState(I(labels, 9), T(p, 9, 4), T(Enumerable.Repeat(1.0, 9).ToArray(), 9));
        Assert.Equal(fused.Result(), composed.Result(), 1e-6);
        using var binaryFused = new BinaryAccuracy();
        using var binaryComposed = new BinaryAccuracy();
        var bits = Bits(rng, 9 * 4);
        binaryFused.UpdateState(T(bits, 9, 4), T(p, 9, 4));
        binaryComposed.UpdateState(T(bits, 9, 4), T(p, 9, 4), T(Enumerable.Repeat(1.0, 9).ToArray(), 9));
        Assert.Equal(binaryFused.Result(), binaryComposed.Result(), 1e-6);
    }

    [Fact]
    public void Accuracy_ResolvesFromShapes_OnDirectUse()
    {
        using var binary = (AccuracyMetric)Metric.Get("accuracy");
        binary.UpdateState(T([1, 0], 2, 1), T([0.9, 0.8], 2, 1));
        Assert.Equal(AccuracyKind.Binary, binary.Kind);
        Assert.Equal(0.5, binary.Result(), 1e-6);
        using var sparse = (AccuracyMetric)Metric.Get("acc");
        sparse.UpdateState(T([2, 0], 2), T([0.1, 0.2, 0.7, 0.3, 0.6, 0.1], 2, 3));
        Assert.Equal(AccuracyKind.SparseCategorical, sparse.Kind);
        Assert.Equal(0.5, sparse.Result(), 1e-6);
        Assert.Equal("acc", sparse.Name);
    }

    [Fact]
    public void BadShapes_ThrowAndLeaveTheStateAlone()
    {
        using var m = new CategoricalAccuracy();
        m.UpdateState(T([0, 1], 1, 2), T([0.2, 0.8], 1, 2), T([1], 1));
        var e = Assert.Throws<ArgumentException>(() => m.UpdateState(T([0, 1, 0], 1, 3), T([0.2, 0.8], 1, 2), T([1], 1)));
        Assert.Contains("y_true.shape=(1, 3)", e.Message);
        Assert.Equal(1.0, m.Result(), 1e-6);
        using var sparse = new SparseCategoricalAccuracy();
        Assert.Throws<ArgumentException>(() => sparse.UpdateState(T([0, 1, 1], 3), T([0.2, 0.8, 0.1, 0.9], 2, 2), T([1, 1], 2)));
        Assert.Throws<ArgumentException>(() => new TopKCategoricalAccuracy(k: 0));
    }
}
