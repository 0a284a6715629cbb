using KerasGpu.Backend;

namespace KerasGpu.Tests.Losses;

/// <summary>Every loss against its float64 Keras formula on random inputs, for every reduction, with and without sample weights.</summary>
public class LossFormulaTests : LossTestContext
{
    public static TheoryData<string, string, bool> Combinations()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var c in LossReference.Cases)
            foreach (var reduction in new[] { "sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight" })
                foreach (bool weighted in new[] { false, true })
                    data.Add(c.Name, reduction, weighted);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Loss_MatchesFloat64Formula(string name, string reduction, bool weighted)
    {
        var c = LossReference.Cases.Single(k => k.Name == name);
        const int rows = 6, cols = 4;
        var rng = new Random(name.Length * 31 + reduction.Length);
        var (yTrue, yPred) = c.Inputs(rng, rows, cols);
        double[]? weights = weighted ? [.. Enumerable.Range(0, rows).Select(_ => rng.NextDouble() * 2)] : null;

        var loss = c.Make(reduction);
        var got = loss.Call(
            c.Sparse ? Upload(yTrue, [rows], DType.Int32) : Upload(yTrue, [rows, cols]),
            Upload(yPred, [rows, cols]),
            weights is null ? null : Upload(weights, [rows]));

        var expected = LossReference.Reduce(LossReference.Rows(c, yTrue, yPred, rows, cols), weights, reduction);
        Assert.Equal(reduction == "none" ? new[] { rows } : [], got.Shape);
        AssertClose(expected, Download(got), rtol: 2e-5, atol: 2e-6, $"{name} {reduction} weighted={weighted}");
    }

    [Theory]
    [InlineData("mean_squared_error")]
    [InlineData("huber")]
    [InlineData("binary_crossentropy")]
    [InlineData("categorical_crossentropy_logits")]
    [InlineData("sparse_categorical_crossentropy_logits")]
    [InlineData("kl_divergence")]
    public void RankThreeInputs_PerTimestepLosses_WeightedPerSample(string name)
    {
        // (batch, time, classes): the per-sample loss is (batch, time); a (batch,) weight applies to all of a sample's steps.
        var c = LossReference.Cases.Single(k => k.Name == name);
        const int batch = 3, time = 2, cols = 4, rows = batch * time;
        var rng = new Random(7);
        var (yTrue, yPred) = c.Inputs(rng, rows, cols);
        double[] weights = [0.5, 2.0, 1.25];

        foreach (var reduction in new[] { "none", "sum", "sum_over_batch_size" })
        {
            var got = c.Make(reduction).Call(
                c.Sparse ? Upload(yTrue, [batch, time], DType.Int32) : Upload(yTrue, [batch, time, cols]),
                Upload(yPred, [batch, time, cols]), Upload(weights, [batch]));
            var perStepWeights = weights.SelectMany(w => Enumerable.Repeat(w, time)).ToArray();
            var expected = LossReference.Reduce(LossReference.Rows(c, yTrue, yPred, rows, cols), perStepWeights, reduction);
            Assert.Equal(reduction == "none" ? new[] { batch, time } : [], got.Shape);
            AssertClose(expected, Download(got), 2e-5, 2e-6, $"{name} {reduction}");
        }
    }

    [Fact]
    public void SampleWeights_OfShapeBatchByOne_AndScalar_FollowKeras()
    {
        // Keras squeezes/expands a trailing axis of 1 to match ranks, and a scalar weight scales everything.
        var c = LossReference.Cases.Single(k => k.Name == "mean_absolute_error");
        var (yTrue, yPred) = c.Inputs(new Random(3), 5, 3);
        double[] w = [1, 0, 2, 0.5, 3];
        var rows = LossReference.Rows(c, yTrue, yPred, 5, 3);
        var column = c.Make("sum").Call(Upload(yTrue, [5, 3]), Upload(yPred, [5, 3]), Upload(w, [5, 1]));
        AssertClose(LossReference.Reduce(rows, w, "sum"), Download(column), 2e-5, 2e-6, "(5,1) weights");
        var scalar = c.Make("sum_over_batch_size").Call(Upload(yTrue, [5, 3]), Upload(yPred, [5, 3]), Upload([2.5], []));
        AssertClose(LossReference.Reduce(rows, [.. rows.Select(_ => 2.5)], "sum_over_batch_size"), Download(scalar), 2e-5, 2e-6, "scalar weight");
    }

    [Fact]
    public void MeanWithSampleWeight_AllWeightsZero_IsZeroNotNaN()
    {
        var c = LossReference.Cases.Single(k => k.Name == "mean_squared_error");
        var (yTrue, yPred) = c.Inputs(new Random(4), 3, 2);
        var got = c.Make("mean_with_sample_weight").Call(Upload(yTrue, [3, 2]), Upload(yPred, [3, 2]), Upload([0, 0, 0], [3]));
        Assert.Equal(0.0, Download(got)[0]);
    }

    [Fact]
    public void TargetsOfRankOne_AgainstPredictionsWithTrailingAxisOfOne_AreAligned()
    {
        // Keras' squeeze_or_expand_to_same_rank: y_true (n,) against y_pred (n, 1) is one value per sample, not (n, n).
        double[] t = [0, 1, 1, 0], p = [0.2, 0.7, 0.9, 0.4];
        var got = new KerasGpu.Losses.BinaryCrossentropy(reduction: "none").Call(Upload(t, [4]), Upload(p, [4, 1]));
        Assert.Equal(new[] { 4 }, got.Shape);
        var expected = t.Zip(p, (a, b) => LossReference.Bce([a], [b], false)).ToArray();
        AssertClose(expected, Download(got), 2e-5, 2e-6, "bce (4,) vs (4,1)");
    }
}
