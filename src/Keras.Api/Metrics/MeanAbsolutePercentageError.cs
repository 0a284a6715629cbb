namespace KerasGpu.Metrics;

/// <summary><c>100 · mean(|(y_true − y_pred) / max(|y_true|, ε)|)</c> over the last axis (Keras' <c>MeanAbsolutePercentageError</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanAbsolutePercentageError(string name = "mean_absolute_percentage_error") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        var diff = Ops.Abs(Ops.Divide(Ops.Subtract(t, p), Ops.Maximum(Ops.Abs(t), Ops.Scalar(t.Backend, MetricOps.Epsilon))));
        return Ops.Scale(Ops.Mean(diff, [-1]), 100f);
    }

    internal override PredictionMetric CloneWithName(string name) => new MeanAbsolutePercentageError(name);
}
