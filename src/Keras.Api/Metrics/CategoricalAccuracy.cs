using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>How often <c>argmax(y_pred) == argmax(y_true)</c> for one-hot targets (Keras' <c>CategoricalAccuracy</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class CategoricalAccuracy(string name = "categorical_accuracy") : AccuracyMetric(name)
{
    /// <inheritdoc />
    public override AccuracyKind Kind => AccuracyKind.Categorical;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred) => Matches(yTrue, yPred);

    internal static Tensor Matches(Tensor yTrue, Tensor yPred)
    {
        if (yTrue.Size != yPred.Size)
            throw new ArgumentException($"CategoricalAccuracy expects one-hot targets shaped like the predictions; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        var labels = MetricOps.ArgMax(Ops.Reshape(MetricOps.AsFloat(yTrue), yPred.Shape));
        return Ops.Equal(labels, MetricOps.ArgMax(MetricOps.AsFloat(yPred)));
    }

    internal override PredictionMetric CloneWithName(string name) => new CategoricalAccuracy(name);
}
