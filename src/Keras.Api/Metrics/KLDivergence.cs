namespace KerasGpu.Metrics;

/// <summary><c>Σ y_true·log(y_true / y_pred)</c> over the last axis, both clipped to <c>[ε, 1]</c> (Keras' <c>KLDivergence</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class KLDivergence(string name = "kl_divergence") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        Tensor t = MetricOps.AsFloat(yTrue), p = MetricOps.AsFloat(yPred);
        t = Ops.Clip(t, MetricOps.Epsilon, 1f);
        p = Ops.Clip(p, MetricOps.Epsilon, 1f);
        return Ops.Sum(Ops.Multiply(t, Ops.Log(Ops.Divide(t, p))), [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new KLDivergence(name);
}
