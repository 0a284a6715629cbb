namespace KerasGpu.Metrics;

/// <summary><c>mean(y_pred − y_true·log(y_pred + ε))</c> over the last axis (Keras' <c>Poisson</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class Poisson(string name = "poisson") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        Tensor t = MetricOps.AsFloat(yTrue), p = MetricOps.AsFloat(yPred);
        return Ops.Mean(Ops.Subtract(p, Ops.Multiply(t, Ops.Log(Ops.Add(p, MetricOps.Epsilon)))), [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new Poisson(name);
}
