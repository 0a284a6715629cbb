namespace KerasGpu.Metrics;

/// <summary><c>mean(log(cosh(y_pred − y_true)))</c> over the last axis, computed as <c>x + softplus(−2x) − log 2</c> (Keras' <c>LogCoshError</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class LogCoshError(string name = "logcosh") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        var x = Ops.Subtract(p, t);
        var logCosh = Ops.Add(Ops.Add(x, Ops.Softplus(Ops.Scale(x, -2f))), -MathF.Log(2f));
        return Ops.Mean(logCosh, [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new LogCoshError(name);
}
