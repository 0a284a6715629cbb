namespace KerasGpu.Metrics;

/// <summary>The best sensitivity <c>tp/(tp+fn)</c> among thresholds whose specificity <c>tn/(tn+fp)</c> is at least the given value (Keras' <c>SensitivityAtSpecificity</c>).</summary>
/// <param name="specificity">The level the constrained statistic must reach, in [0, 1].</param>
/// <param name="numThresholds">Number of evenly spaced thresholds in [0, 1].</param>
/// <param name="classId">Only this class (last-axis index) is evaluated.</param>
/// <param name="name">Metric name.</param>
public sealed class SensitivityAtSpecificity(float specificity, int numThresholds = 200, int? classId = null, string name = "sensitivity_at_specificity")
    : SensitivitySpecificityBase(specificity, "specificity", numThresholds, classId, name)
{
    /// <summary>The level the constrained statistic must reach.</summary>
    public float Specificity => Value;

    private protected override (double[] Constrained, double[] Dependent) Statistics(double[] tp, double[] fp, double[] tn, double[] fn) =>
        (Specificities(tn, fp), Recalls(tp, fn));

    internal override PredictionMetric CloneWithName(string name) => new SensitivityAtSpecificity(Value, NumThresholds, ClassId, name);
}
