namespace KerasGpu.Metrics;

/// <summary>Mean squared error over the last axis (Keras' <c>MeanSquaredError</c> metric: the <see cref="Losses.MeanSquaredError"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanSquaredError(string name = "mean_squared_error") : LossMeanMetric(name, new Losses.MeanSquaredError())
{
    internal override PredictionMetric CloneWithName(string name) => new MeanSquaredError(name);
}
