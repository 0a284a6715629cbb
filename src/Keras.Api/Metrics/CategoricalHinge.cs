namespace KerasGpu.Metrics;

/// <summary><c>max(max((1 − y_true)·y_pred) − Σ y_true·y_pred + 1, 0)</c> over the last axis (Keras' <c>CategoricalHinge</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class CategoricalHinge(string name = "categorical_hinge") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        Tensor t = MetricOps.AsFloat(yTrue), p = MetricOps.AsFloat(yPred);
        var pos = Ops.Sum(Ops.Multiply(t, p), [-1]);
        var neg = Ops.Max(Ops.Multiply(Ops.Subtract(1f, t), p), [-1]);
        return Ops.Relu(Ops.Add(Ops.Subtract(neg, pos), 1f));
    }

    internal override PredictionMetric CloneWithName(string name) => new CategoricalHinge(name);
}
