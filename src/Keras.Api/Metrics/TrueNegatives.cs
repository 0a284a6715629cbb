namespace KerasGpu.Metrics;

/// <summary>The weighted number of true negatives at each threshold (Keras' <c>TrueNegatives</c>).</summary>
/// <param name="thresholds">Thresholds in [0, 1]; default 0.5.</param>
/// <param name="name">Metric name.</param>
public sealed class TrueNegatives(float[]? thresholds = null, string name = "true_negatives")
    : ConfusionMatrixConditionCount(ConfusionMatrixCondition.TrueNegatives, thresholds, name)
{
    internal override PredictionMetric CloneWithName(string name) => new TrueNegatives(InitThresholds, name);
}
