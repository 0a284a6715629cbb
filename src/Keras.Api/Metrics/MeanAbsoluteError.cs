namespace KerasGpu.Metrics;

/// <summary>Mean of <c>|y_true − y_pred|</c> over the last axis, averaged over samples (Keras' <c>MeanAbsoluteError</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanAbsoluteError(string name = "mean_absolute_error") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        return Ops.Mean(Ops.Abs(Ops.Subtract(t, p)), [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new MeanAbsoluteError(name);
}
