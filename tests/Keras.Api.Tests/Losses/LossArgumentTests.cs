using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Losses;

namespace KerasGpu.Tests.Losses;

/// <summary>Names, arguments, bad shapes (with Keras' messages), <c>ignore_class</c> and non-default axes.</summary>
public class LossArgumentTests : LossTestContext
{
    [Theory]
    [InlineData("binary_crossentropy", typeof(BinaryCrossentropy), "binary_crossentropy")]
    [InlineData("BinaryCrossentropy", typeof(BinaryCrossentropy), "binary_crossentropy")]
    [InlineData("bce", typeof(BinaryCrossentropy), "binary_crossentropy")]
    [InlineData("BCE", typeof(BinaryCrossentropy), "binary_crossentropy")]
    [InlineData("binary_focal_crossentropy", typeof(BinaryFocalCrossentropy), "binary_focal_crossentropy")]
    [InlineData("categorical_crossentropy", typeof(CategoricalCrossentropy), "categorical_crossentropy")]
    [InlineData("CategoricalFocalCrossentropy", typeof(CategoricalFocalCrossentropy), "categorical_focal_crossentropy")]
    [InlineData("sparse_categorical_crossentropy", typeof(SparseCategoricalCrossentropy), "sparse_categorical_crossentropy")]
    [InlineData("mse", typeof(MeanSquaredError), "mean_squared_error")]
    [InlineData("MSE", typeof(MeanSquaredError), "mean_squared_error")]
    [InlineData("mae", typeof(MeanAbsoluteError), "mean_absolute_error")]
    [InlineData("MeanAbsoluteError", typeof(MeanAbsoluteError), "mean_absolute_error")]
    [InlineData("mape", typeof(MeanAbsolutePercentageError), "mean_absolute_percentage_error")]
    [InlineData("msle", typeof(MeanSquaredLogarithmicError), "mean_squared_logarithmic_error")]
    [InlineData("huber", typeof(Huber), "huber")]
    [InlineData("Huber", typeof(Huber), "huber_loss")]
    [InlineData("log_cosh", typeof(LogCosh), "log_cosh")]
    [InlineData("logcosh", typeof(LogCosh), "log_cosh")]
    [InlineData("hinge", typeof(Hinge), "hinge")]
    [InlineData("squared_hinge", typeof(SquaredHinge), "squared_hinge")]
    [InlineData("categorical_hinge", typeof(CategoricalHinge), "categorical_hinge")]
    [InlineData("kl_divergence", typeof(KLDivergence), "kl_divergence")]
    [InlineData("kld", typeof(KLDivergence), "kl_divergence")]
    [InlineData("KLD", typeof(KLDivergence), "kl_divergence")]
    [InlineData("poisson", typeof(Poisson), "poisson")]
    [InlineData("cosine_similarity", typeof(CosineSimilarity), "cosine_similarity")]
    [InlineData("dice", typeof(Dice), "dice")]
    [InlineData("Tversky", typeof(Tversky), "tversky")]
    [InlineData("categorical_generalized_cross_entropy", typeof(CategoricalGeneralizedCrossEntropy), "categorical_generalized_cross_entropy")]
    public void Get_ResolvesKerasNames_WithKerasDefaults(string identifier, Type type, string name)
    {
        var loss = Loss.Get(identifier);
        Assert.IsType(type, loss);
        Assert.Equal(name, loss.Name);
        Assert.Equal("sum_over_batch_size", loss.Reduction);
    }

    [Fact]
    public void Defaults_AreKeras()
    {
        var bfce = new BinaryFocalCrossentropy();
        Assert.Equal((false, 0.25f, 2f, false, 0f, -1), (bfce.ApplyClassBalancing, bfce.Alpha, bfce.Gamma, bfce.FromLogits, bfce.LabelSmoothing, bfce.Axis));
        var cfce = new CategoricalFocalCrossentropy();
        Assert.Equal([0.25f], cfce.Alpha);
        Assert.Equal(2f, cfce.Gamma);
        Assert.Equal(1f, new Huber().Delta);
        Assert.Equal(-1, new CosineSimilarity().Axis);
        Assert.Null(new SparseCategoricalCrossentropy().IgnoreClass);
    }

    [Fact]
    public void UnknownName_And_BadArguments_Throw()
    {
        var e = Assert.Throws<ArgumentException>(() => Loss.Get("mean_squard_error"));
        Assert.StartsWith("Could not interpret loss identifier: mean_squard_error.", e.Message);
        Assert.Contains("mean_squared_error", e.Message);
        var r = Assert.Throws<ArgumentException>(() => new Hinge(reduction: "average"));
        Assert.Contains("Invalid value for argument `reduction`", r.Message);
        Assert.Contains("Received: reduction=average", r.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoricalCrossentropy(labelSmoothing: 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryCrossentropy(labelSmoothing: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Huber(delta: -1f));
        Assert.Throws<ArgumentException>(() => new CategoricalFocalCrossentropy(Array.Empty<float>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CategoricalGeneralizedCrossEntropy(q: 1f));
    }

    [Fact]
    public void MismatchedShapes_ThrowKerasMessages()
    {
        var t23 = Upload(new double[6], [2, 3]);
        var p24 = Upload(new double[8], [2, 4]);
        var cce = Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy().Call(t23, p24));
        Assert.Equal("Arguments `target` and `output` must have the same shape. Received: target.shape=(2, 3), output.shape=(2, 4)", cce.Message);
        var bce = Assert.Throws<ArgumentException>(() => new BinaryCrossentropy().Call(t23, p24));
        Assert.Equal("Arguments `target` and `output` must have the same shape. Received: target.shape=(2, 3), output.shape=(2, 4)", bce.Message);
        var scce = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Call(Upload([0, 1, 2], [3], DType.Int32), p24));
        Assert.Equal("Arguments `target` and `output` must have the same shape up until the last dimension: target.shape=(3,), output.shape=(2, 4)", scce.Message);
        var scalar = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Call(Upload([0], [], DType.Int32), Upload([1], [])));
        Assert.Equal("Argument `output` must be at least rank 1. Received: output.shape=()", scalar.Message);
        var weights = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Call(t23, Upload(new double[6], [2, 3]), Upload([1, 2, 3], [3])));
        Assert.Contains("sample_weight of shape (3,) does not fit the per-sample loss of shape (2,)", weights.Message);
        var alpha = Assert.Throws<ArgumentException>(() => new CategoricalFocalCrossentropy([0.5f, 0.5f]).Call(t23, Upload(new double[6], [2, 3])));
        Assert.Contains("`alpha` has 2 factors, but the output has 3 classes", alpha.Message);
    }

    [Fact]
    public void SparseCategoricalCrossentropy_IgnoreClass_LeavesThoseSamplesOut()
    {
        const int rows = 5, cols = 3;
        double[] labels = [2, -1, 0, -1, 1];
        var rng = new Random(11);
        var logits = Enumerable.Range(0, rows * cols).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var valid = Enumerable.Range(0, rows).Where(i => labels[i] != -1).ToArray();
        double Row(int i) => LossReference.Scce([labels[i]], logits[(i * cols)..((i + 1) * cols)], fromLogits: true);

        var none = Download(new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1, reduction: "none")
            .Call(Upload(labels, [rows], DType.Int32), Upload(logits, [rows, cols])));
        AssertClose([.. Enumerable.Range(0, rows).Select(i => labels[i] == -1 ? 0 : Row(i))], none, 2e-5, 2e-6, "none");

        var sum = Download(new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1, reduction: "sum")
            .Call(Upload(labels, [rows], DType.Int32), Upload(logits, [rows, cols])));
        AssertClose([valid.Sum(Row)], sum, 2e-5, 2e-6, "sum");

        // sum_over_batch_size divides by the number of samples that count, as Keras' mask does.
        double[] w = [1, 3, 0.5, 2, 1.5];
        var prediction = Upload(logits, [rows, cols]);
        using var tape = new GradientTape();
        tape.Watch(prediction);
        var mean = new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: -1)
            .Call(Upload(labels, [rows], DType.Int32), prediction, Upload(w, [rows]));
        AssertClose([valid.Sum(i => w[i] * Row(i)) / valid.Length], Download(mean), 2e-5, 2e-6, "sum_over_batch_size");
        var grad = Download(tape.Gradient(mean, [prediction])[0]!);
        foreach (int ignored in new[] { 1, 3 })
            Assert.All(grad[(ignored * cols)..((ignored + 1) * cols)], g => Assert.Equal(0.0, g));
        Assert.Contains(grad[..cols], g => g != 0);
    }

    [Fact]
    public void ClassAxisOtherThanLast_MatchesTheTransposedComputation()
    {
        // (batch=2, classes=3, steps=4) with axis=1 equals (batch, steps, classes) with the default axis.
        const int b = 2, c = 3, s = 4;
        var rng = new Random(5);
        var logits = Enumerable.Range(0, b * c * s).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var labels = Enumerable.Range(0, b * s).Select(_ => (double)rng.Next(c)).ToArray();
        var oneHot = new double[b * c * s];
        for (int i = 0; i < b; i++)
            for (int k = 0; k < s; k++) oneHot[(i * c + (int)labels[i * s + k]) * s + k] = 1;
        double[] Row(int i, int k, double[] x) => [.. Enumerable.Range(0, c).Select(j => x[(i * c + j) * s + k])];
        var expected = Enumerable.Range(0, b).SelectMany(i => Enumerable.Range(0, s).Select(k => LossReference.Cce(Row(i, k, oneHot), Row(i, k, logits), true))).ToArray();

        var cce = Download(new CategoricalCrossentropy(fromLogits: true, axis: 1, reduction: "none").Call(Upload(oneHot, [b, c, s]), Upload(logits, [b, c, s])));
        AssertClose(expected, cce, 2e-5, 2e-6, "categorical axis=1");
        var scce = Download(new SparseCategoricalCrossentropy(fromLogits: true, axis: 1, reduction: "none").Call(Upload(labels, [b, s], DType.Int32), Upload(logits, [b, c, s])));
        AssertClose(expected, scce, 2e-5, 2e-6, "sparse axis=1");
        var bce = Download(new BinaryCrossentropy(fromLogits: true, axis: 1, reduction: "none").Call(Upload(oneHot, [b, c, s]), Upload(logits, [b, c, s])));
        var bceExpected = Enumerable.Range(0, b).SelectMany(i => Enumerable.Range(0, s).Select(k => LossReference.Bce(Row(i, k, oneHot), Row(i, k, logits), true))).ToArray();
        AssertClose(bceExpected, bce, 2e-5, 2e-6, "binary axis=1");
        var cos = Download(new CosineSimilarity(axis: 1, reduction: "none").Call(Upload(oneHot, [b, c, s]), Upload(logits, [b, c, s])));
        var cosExpected = Enumerable.Range(0, b).SelectMany(i => Enumerable.Range(0, s).Select(k => LossReference.CosineSimilarity(Row(i, k, oneHot), Row(i, k, logits)))).ToArray();
        AssertClose(cosExpected, cos, 2e-5, 2e-6, "cosine axis=1");
    }

    [Fact]
    public void FloatLabels_AreAcceptedBySparseLosses_AndIntTargetsByDenseOnes()
    {
        double[] p = [0.2, 0.5, 0.3, 0.6, 0.1, 0.3];
        var fromFloat = Download(new SparseCategoricalCrossentropy().Call(Upload([1, 0], [2]), Upload(p, [2, 3])));
        var fromInt = Download(new SparseCategoricalCrossentropy().Call(Upload([1, 0], [2], DType.Int32), Upload(p, [2, 3])));
        Assert.Equal(fromInt, fromFloat);
        var dense = Download(new CategoricalCrossentropy().Call(Upload([0, 1, 0, 1, 0, 0], [2, 3], DType.Int32), Upload(p, [2, 3])));
        Assert.Equal(fromInt, dense);
    }
}
