namespace KerasGpu.Metrics;

/// <summary><c>mean(y_pred − y_true·log(y_pred + ε))</c> over the last axis (Keras' <c>Poisson</c> metric: the <see cref="Losses.Poisson"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class Poisson(string name = "poisson") : LossMeanMetric(name, new Losses.Poisson())
{
    internal override PredictionMetric CloneWithName(string name) => new Poisson(name);
}
