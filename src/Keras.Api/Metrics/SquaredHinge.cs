namespace KerasGpu.Metrics;

/// <summary><c>mean(max(1 − y_true·y_pred, 0)²)</c> over the last axis (Keras' <c>SquaredHinge</c> metric: the <see cref="Losses.SquaredHinge"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class SquaredHinge(string name = "squared_hinge") : LossMeanMetric(name, new Losses.SquaredHinge())
{
    internal override PredictionMetric CloneWithName(string name) => new SquaredHinge(name);
}
