namespace KerasGpu.Metrics;

/// <summary><c>Σ y_true·log(y_true / y_pred)</c> over the last axis, both clipped to <c>[ε, 1]</c> (Keras' <c>KLDivergence</c> metric: the <see cref="Losses.KLDivergence"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class KLDivergence(string name = "kl_divergence") : LossMeanMetric(name, new Losses.KLDivergence())
{
    internal override PredictionMetric CloneWithName(string name) => new KLDivergence(name);
}
