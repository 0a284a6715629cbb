namespace KerasGpu.Metrics;

/// <summary>The weighted number of true positives at each threshold (Keras' <c>TruePositives</c>).</summary>
/// <param name="thresholds">Thresholds in [0, 1]; default 0.5.</param>
/// <param name="name">Metric name.</param>
public sealed class TruePositives(float[]? thresholds = null, string name = "true_positives")
    : ConfusionMatrixConditionCount(ConfusionMatrixCondition.TruePositives, thresholds, name)
{
    internal override PredictionMetric CloneWithName(string name) => new TruePositives(InitThresholds, name);
}
