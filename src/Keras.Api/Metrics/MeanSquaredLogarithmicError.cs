namespace KerasGpu.Metrics;

/// <summary>Mean squared logarithmic error over the last axis (Keras' <c>MeanSquaredLogarithmicError</c> metric: the <see cref="Losses.MeanSquaredLogarithmicError"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class MeanSquaredLogarithmicError(string name = "mean_squared_logarithmic_error") : LossMeanMetric(name, new Losses.MeanSquaredLogarithmicError())
{
    internal override PredictionMetric CloneWithName(string name) => new MeanSquaredLogarithmicError(name);
}
