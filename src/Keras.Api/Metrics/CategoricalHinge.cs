namespace KerasGpu.Metrics;

/// <summary><c>max(neg − pos + 1, 0)</c> per sample (Keras' <c>CategoricalHinge</c> metric: the <see cref="Losses.CategoricalHinge"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class CategoricalHinge(string name = "categorical_hinge") : LossMeanMetric(name, new Losses.CategoricalHinge())
{
    internal override PredictionMetric CloneWithName(string name) => new CategoricalHinge(name);
}
