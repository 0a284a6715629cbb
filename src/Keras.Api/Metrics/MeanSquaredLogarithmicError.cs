namespace KerasGpu.Metrics;

/// <summary><c>mean((log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))²)</c> over the last axis (Keras' <c>MeanSquaredLogarithmicError</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanSquaredLogarithmicError(string name = "mean_squared_logarithmic_error") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        var eps = Ops.Scalar(t.Backend, MetricOps.Epsilon);
        var first = Ops.Log(Ops.Add(Ops.Maximum(p, eps), 1f));
        var second = Ops.Log(Ops.Add(Ops.Maximum(t, eps), 1f));
        return Ops.Mean(Ops.Square(Ops.Subtract(first, second)), [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new MeanSquaredLogarithmicError(name);
}
