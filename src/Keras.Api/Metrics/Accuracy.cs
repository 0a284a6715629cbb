namespace KerasGpu.Metrics;

/// <summary>How often predictions equal labels exactly (Keras' <c>Accuracy</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class Accuracy(string name = "accuracy") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        return Ops.Equal(t, p);
    }

    internal override PredictionMetric CloneWithName(string name) => new Accuracy(name);
}
