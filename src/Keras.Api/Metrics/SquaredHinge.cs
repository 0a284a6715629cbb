namespace KerasGpu.Metrics;

/// <summary><c>mean(max(1 − y_true·y_pred, 0)²)</c> over the last axis; 0/1 labels are mapped to −1/1 first (Keras' <c>SquaredHinge</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class SquaredHinge(string name = "squared_hinge") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        Tensor t = MetricOps.AsFloat(yTrue), p = MetricOps.AsFloat(yPred);
        var margin = Ops.Subtract(1f, Ops.Multiply(MetricOps.BinaryLabelsToHinge(t), p));
        return Ops.Mean(Ops.Square(Ops.Relu(margin)), [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new SquaredHinge(name);
}
