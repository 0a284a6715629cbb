namespace KerasGpu.Metrics;

/// <summary>The weighted number of false negatives at each threshold (Keras' <c>FalseNegatives</c>).</summary>
/// <param name="thresholds">Thresholds in [0, 1]; default 0.5.</param>
/// <param name="name">Metric name.</param>
public sealed class FalseNegatives(float[]? thresholds = null, string name = "false_negatives")
    : ConfusionMatrixConditionCount(ConfusionMatrixCondition.FalseNegatives, thresholds, name)
{
    internal override PredictionMetric CloneWithName(string name) => new FalseNegatives(InitThresholds, name);
}
