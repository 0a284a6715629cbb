namespace KerasGpu.Metrics;

/// <summary><c>sqrt(weighted mean of (y_pred − y_true)²)</c> over everything seen (Keras' <c>RootMeanSquaredError</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class RootMeanSquaredError(string name = "root_mean_squared_error") : MeanMetricWrapper(name)
{
    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        return Ops.Square(Ops.Subtract(p, t));
    }

    /// <inheritdoc />
    public override double Result() => Math.Sqrt(base.Result());

    internal override PredictionMetric CloneWithName(string name) => new RootMeanSquaredError(name);
}
