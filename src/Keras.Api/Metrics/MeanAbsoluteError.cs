namespace KerasGpu.Metrics;

/// <summary>Mean absolute error over the last axis (Keras' <c>MeanAbsoluteError</c> metric: the <see cref="Losses.MeanAbsoluteError"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanAbsoluteError(string name = "mean_absolute_error") : LossMeanMetric(name, new Losses.MeanAbsoluteError())
{
    internal override PredictionMetric CloneWithName(string name) => new MeanAbsoluteError(name);
}
