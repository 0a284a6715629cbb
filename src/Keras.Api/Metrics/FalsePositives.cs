namespace KerasGpu.Metrics;

/// <summary>The weighted number of false positives at each threshold (Keras' <c>FalsePositives</c>).</summary>
/// <param name="thresholds">Thresholds in [0, 1]; default 0.5.</param>
/// <param name="name">Metric name.</param>
public sealed class FalsePositives(float[]? thresholds = null, string name = "false_positives")
    : ConfusionMatrixConditionCount(ConfusionMatrixCondition.FalsePositives, thresholds, name)
{
    internal override PredictionMetric CloneWithName(string name) => new FalsePositives(InitThresholds, name);
}
