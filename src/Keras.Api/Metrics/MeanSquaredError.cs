namespace KerasGpu.Metrics;

/// <summary>Mean of <c>(y_true − y_pred)²</c> over the last axis, averaged over samples (Keras' <c>MeanSquaredError</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanSquaredError(string name = "mean_squared_error") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        return Ops.Mean(Ops.Square(Ops.Subtract(t, p)), [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new MeanSquaredError(name);
}
