using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class MetricRegistryTests : MetricTestBase
{
    [Theory]
    [InlineData("mse", typeof(MeanSquaredError))]
    [InlineData("MSE", typeof(MeanSquaredError))]
    [InlineData("mean_squared_error", typeof(MeanSquaredError))]
    [InlineData("MeanSquaredError", typeof(MeanSquaredError))]
    [InlineData("mae", typeof(MeanAbsoluteError))]
    [InlineData("mape", typeof(MeanAbsolutePercentageError))]
    [InlineData("msle", typeof(MeanSquaredLogarithmicError))]
    [InlineData("bce", typeof(BinaryCrossentropy))]
    [InlineData("root_mean_squared_error", typeof(RootMeanSquaredError))]
    [InlineData("log_cosh_error", typeof(LogCoshError))]
    [InlineData("cosine_similarity", typeof(CosineSimilarity))]
    [InlineData("r2_score", typeof(R2Score))]
    [InlineData("pearson_correlation", typeof(PearsonCorrelation))]
    [InlineData("ConcordanceCorrelation", typeof(ConcordanceCorrelation))]
    [InlineData("auc", typeof(AUC))]
    [InlineData("AUC", typeof(AUC))]
    [InlineData("precision", typeof(Precision))]
    [InlineData("recall", typeof(Recall))]
    [InlineData("true_positives", typeof(TruePositives))]
    [InlineData("FalsePositives", typeof(FalsePositives))]
    [InlineData("true_negatives", typeof(TrueNegatives))]
    [InlineData("false_negatives", typeof(FalseNegatives))]
    [InlineData("f1_score", typeof(F1Score))]
    [InlineData("f_beta_score", typeof(FBetaScore))]
    [InlineData("top_k_categorical_accuracy", typeof(TopKCategoricalAccuracy))]
    [InlineData("sparse_top_k_categorical_accuracy", typeof(SparseTopKCategoricalAccuracy))]
    [InlineData("binary_accuracy", typeof(BinaryAccuracy))]
    [InlineData("categorical_accuracy", typeof(CategoricalAccuracy))]
    [InlineData("sparse_categorical_accuracy", typeof(SparseCategoricalAccuracy))]
    [InlineData("binary_crossentropy", typeof(BinaryCrossentropy))]
    [InlineData("categorical_crossentropy", typeof(CategoricalCrossentropy))]
    [InlineData("sparse_categorical_crossentropy", typeof(SparseCategoricalCrossentropy))]
    [InlineData("kl_divergence", typeof(KLDivergence))]
    [InlineData("poisson", typeof(Poisson))]
    [InlineData("hinge", typeof(Hinge))]
    [InlineData("squared_hinge", typeof(SquaredHinge))]
    [InlineData("categorical_hinge", typeof(CategoricalHinge))]
    [InlineData("binary_io_u", typeof(BinaryIoU))]
    [InlineData("mean", typeof(Mean))]
    [InlineData("sum", typeof(Sum))]
    public void Get_ResolvesKerasNamesAndAliases_NamedAfterTheIdentifier(string identifier, Type type)
    {
        using var m = Metric.Get(identifier);
        Assert.IsType(type, m);
        Assert.Equal(identifier, m.Name);
    }

    [Fact]
    public void Get_Accuracy_IsTheShapeResolvedAccuracy_AndKerasDefaultsApply()
    {
        using var acc = Metric.Get("ACC");
        Assert.IsAssignableFrom<AccuracyMetric>(acc);
        using var topK = (TopKCategoricalAccuracy)Metric.Get("top_k_categorical_accuracy");
        Assert.Equal(5, topK.K);
        using var auc = (AUC)Metric.Get("auc");
        Assert.Equal(200, auc.NumThresholds);
        Assert.Equal("ROC", auc.Curve);
        Assert.Equal("interpolation", auc.SummationMethod);
        using var precision = (Precision)Metric.Get("precision");
        Assert.Equal([0.5f], precision.Thresholds);
        using var r2 = (R2Score)Metric.Get("r2_score");
        Assert.Equal("uniform_average", r2.ClassAggregation);
        Assert.Equal(0, r2.NumRegressors);
        Assert.Equal("logcosh", new LogCoshError().Name);
        Assert.Equal(0.5f, new BinaryAccuracy().Threshold);
    }

    [Fact]
    public void Get_UnknownName_SaysWhatWasReceivedAndWhatIsKnown()
    {
        var e = Assert.Throws<ArgumentException>(() => Metric.Get("acuracy"));
        Assert.Contains("Could not interpret metric identifier: acuracy", e.Message);
        Assert.Contains("top_k_categorical_accuracy", e.Message);
        var needs = Assert.Throws<ArgumentException>(() => Metric.Get("mean_io_u"));
        Assert.Contains("needs the argument(s) num_classes", needs.Message);
        Assert.Contains("new MeanIoU(...)", needs.Message);
    }

    [Fact]
    public void StateLivesOnTheDevice_AndDisposeFreesIt()
    {
        var m = new AUC();
        m.UpdateState(T([0, 1], 2), T([0.2, 0.7], 2));
        Assert.True(Backend.LiveBufferCount >= 4); // tp, fp, tn, fn stay after the update's scope
        Near(1.0, m.Result());
        m.Dispose();
    }

    [Fact]
    public void CloneWithName_KeepsTheConfiguration()
    {
        using var original = new TopKCategoricalAccuracy(k: 2);
        using var clone = (TopKCategoricalAccuracy)original.CloneWithName("out_top");
        Assert.Equal(2, clone.K);
        Assert.Equal("out_top", clone.Name);
        using var auc = new AUC(numThresholds: 7, curve: "PR", summationMethod: "minoring", fromLogits: true);
        using var aucClone = (AUC)auc.CloneWithName("x");
        Assert.Equal((7, "PR", "minoring", true), (aucClone.NumThresholds, aucClone.Curve, aucClone.SummationMethod, aucClone.FromLogits));
        using var top = new Precision(topK: 2, classId: 1);
        using var topClone = (Precision)top.CloneWithName("y");
        Assert.Equal((2, 1), (topClone.TopK!.Value, topClone.ClassId!.Value));
    }
}
