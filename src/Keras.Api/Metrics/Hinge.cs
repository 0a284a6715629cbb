namespace KerasGpu.Metrics;

/// <summary><c>mean(max(1 − y_true·y_pred, 0))</c> over the last axis (Keras' <c>Hinge</c> metric: the <see cref="Losses.Hinge"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class Hinge(string name = "hinge") : LossMeanMetric(name, new Losses.Hinge())
{
    internal override PredictionMetric CloneWithName(string name) => new Hinge(name);
}
