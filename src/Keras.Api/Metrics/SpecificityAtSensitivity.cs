namespace KerasGpu.Metrics;

/// <summary>The best specificity <c>tn/(tn+fp)</c> among thresholds whose sensitivity <c>tp/(tp+fn)</c> is at least the given value (Keras' <c>SpecificityAtSensitivity</c>).</summary>
/// <param name="sensitivity">The level the constrained statistic must reach, in [0, 1].</param>
/// <param name="numThresholds">Number of evenly spaced thresholds in [0, 1].</param>
/// <param name="classId">Only this class (last-axis index) is evaluated.</param>
/// <param name="name">Metric name.</param>
public sealed class SpecificityAtSensitivity(float sensitivity, int numThresholds = 200, int? classId = null, string name = "specificity_at_sensitivity")
    : SensitivitySpecificityBase(sensitivity, "sensitivity", numThresholds, classId, name)
{
    /// <summary>The level the constrained statistic must reach.</summary>
    public float Sensitivity => Value;

    private protected override (double[] Constrained, double[] Dependent) Statistics(double[] tp, double[] fp, double[] tn, double[] fn) =>
        (Recalls(tp, fn), Specificities(tn, fp));

    internal override PredictionMetric CloneWithName(string name) => new SpecificityAtSensitivity(Value, NumThresholds, ClassId, name);
}
