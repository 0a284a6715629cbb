namespace KerasGpu.Metrics;

/// <summary>Recall, <c>tp / (tp + fn)</c>: the fraction of positives that are predicted positive (Keras' <c>Recall</c>). See <see cref="ConfusionRatio"/> for thresholds, <c>topK</c> and <c>classId</c>.</summary>
/// <param name="thresholds">Thresholds in [0, 1]; default 0.5 (or none with <paramref name="topK"/>). Several give one value
/// each (<see cref="ConfusionRatio.ResultPerThreshold"/>).</param>
/// <param name="topK">Only the k highest predictions of each row can be positive.</param>
/// <param name="classId">Only this class (last-axis index) is evaluated.</param>
/// <param name="name">Metric name.</param>
public sealed class Recall(float[]? thresholds = null, int? topK = null, int? classId = null, string name = "recall")
    : ConfusionRatio(thresholds, topK, classId, name, falseNegatives: true)
{
    internal override PredictionMetric CloneWithName(string name) => new Recall(ThresholdsForClone, TopK, ClassId, name);
}
