namespace KerasGpu.Metrics;

/// <summary>Mean absolute percentage error over the last axis (Keras' <c>MeanAbsolutePercentageError</c> metric: the <see cref="Losses.MeanAbsolutePercentageError"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanAbsolutePercentageError(string name = "mean_absolute_percentage_error") : LossMeanMetric(name, new Losses.MeanAbsolutePercentageError())
{
    internal override PredictionMetric CloneWithName(string name) => new MeanAbsolutePercentageError(name);
}
