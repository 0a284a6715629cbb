namespace KerasGpu.Metrics;

/// <summary>The best precision among thresholds whose recall is at least the given value (Keras' <c>PrecisionAtRecall</c>).</summary>
/// <param name="recall">The level the constrained statistic must reach, in [0, 1].</param>
/// <param name="numThresholds">Number of evenly spaced thresholds in [0, 1].</param>
/// <param name="classId">Only this class (last-axis index) is evaluated.</param>
/// <param name="name">Metric name.</param>
public sealed class PrecisionAtRecall(float recall, int numThresholds = 200, int? classId = null, string name = "precision_at_recall")
    : SensitivitySpecificityBase(recall, "recall", numThresholds, classId, name)
{
    /// <summary>The level the constrained statistic must reach.</summary>
    public float Recall => Value;

    private protected override (double[] Constrained, double[] Dependent) Statistics(double[] tp, double[] fp, double[] tn, double[] fn) =>
        (Recalls(tp, fn), Precisions(tp, fp));

    internal override PredictionMetric CloneWithName(string name) => new PrecisionAtRecall(Value, NumThresholds, ClassId, name);
}
