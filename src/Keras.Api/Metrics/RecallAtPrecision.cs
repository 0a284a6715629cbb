namespace KerasGpu.Metrics;

/// <summary>The best recall among thresholds whose precision is at least the given value (Keras' <c>RecallAtPrecision</c>).</summary>
/// <param name="precision">The level the constrained statistic must reach, in [0, 1].</param>
/// <param name="numThresholds">Number of evenly spaced thresholds in [0, 1].</param>
/// <param name="classId">Only this class (last-axis index) is evaluated.</param>
/// <param name="name">Metric name.</param>
public sealed class RecallAtPrecision(float precision, int numThresholds = 200, int? classId = null, string name = "recall_at_precision")
    : SensitivitySpecificityBase(precision, "precision", numThresholds, classId, name)
{
    /// <summary>The level the constrained statistic must reach.</summary>
    public float Precision => Value;

    private protected override (double[] Constrained, double[] Dependent) Statistics(double[] tp, double[] fp, double[] tn, double[] fn) =>
        (Precisions(tp, fp), Recalls(tp, fn));

    internal override PredictionMetric CloneWithName(string name) => new RecallAtPrecision(Value, NumThresholds, ClassId, name);
}
