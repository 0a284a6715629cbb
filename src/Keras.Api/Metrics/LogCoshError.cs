namespace KerasGpu.Metrics;

/// <summary><c>mean(log(cosh(y_pred − y_true)))</c> over the last axis (Keras' <c>LogCoshError</c> metric: the <see cref="Losses.LogCosh"/> loss's values).</summary>
/// <param name="name">Metric name.</param>
public sealed class LogCoshError(string name = "logcosh") : LossMeanMetric(name, new Losses.LogCosh())
{
    internal override PredictionMetric CloneWithName(string name) => new LogCoshError(name);
}
