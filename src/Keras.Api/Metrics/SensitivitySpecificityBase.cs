using KerasGpu.Utils;
namespace KerasGpu.Metrics;

/// <summary>
/// The base of the "best X where Y ≥ value" metrics (Keras' <c>SensitivitySpecificityBase</c>): confusion counts at
/// <c>num_thresholds</c> evenly spaced thresholds in [0, 1] accumulate on the device; the result is the largest
/// dependent statistic among the thresholds whose constrained statistic reaches <see cref="Value"/> (0 if none).
/// </summary>
public abstract class SensitivitySpecificityBase : PredictionMetric
{
    private readonly float[] _thresholds;
    private readonly bool _evenly;
    private readonly MetricVariable _tp, _fp, _tn, _fn;

    /// <summary>Creates the metric.</summary>
    /// <param name="value">The constraint's level, in [0, 1].</param>
    /// <param name="valueName">Keras' argument name of <paramref name="value"/>, for messages.</param>
    /// <param name="numThresholds">Number of thresholds (1 means the single threshold 0.5).</param>
    /// <param name="classId">Only this class (last-axis index) is evaluated.</param>
    /// <param name="name">Metric name.</param>
    /// <exception cref="ArgumentException">An argument is outside what Keras accepts.</exception>
    private protected SensitivitySpecificityBase(float value, string valueName, int numThresholds, int? classId, string name) : base(name)
    {
        if (!(value >= 0f && value <= 1f))
            throw new ArgumentException($"Argument `{valueName}` must be in the range [0, 1]. Received: {valueName}={PyFormat.ReprOfLiteral(value)}", valueName);
        if (numThresholds <= 0)
            throw new ArgumentException($"Argument `num_thresholds` must be an integer > 0. Received: num_thresholds={numThresholds}", nameof(numThresholds));
        if (classId is < 0) throw new ArgumentException($"Argument `class_id` must be a non-negative integer. Received: class_id={classId}", nameof(classId));
        Value = value;
        NumThresholds = numThresholds;
        ClassId = classId;
        _evenly = numThresholds > 1;
        _thresholds = numThresholds == 1 ? [0.5f]
            : [0f, .. Enumerable.Range(0, numThresholds - 2).Select(i => (float)((i + 1) * 1.0 / (numThresholds - 1))), 1f];
        int[] shape = [_thresholds.Length];
        _tp = AddVariable("true_positives", shape);
        _fp = AddVariable("false_positives", shape);
        _tn = AddVariable("true_negatives", shape);
        _fn = AddVariable("false_negatives", shape);
    }

    /// <summary>The constraint's level.</summary>
    public float Value { get; }

    /// <summary>Number of thresholds.</summary>
    public int NumThresholds { get; }

    /// <summary>The class evaluated (null: all elements).</summary>
    public int? ClassId { get; }

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        BackendOf(yTrue, yPred, sampleWeight);
        using var scope = new TensorScope();
        var (tp, fp, tn, fn) = ConfusionCounts.Compute(yTrue, yPred, sampleWeight, _thresholds, _evenly, withEpsilon: false, topK: null, classId: ClassId);
        _tp.AssignAdd(tp);
        _fp.AssignAdd(fp);
        _tn.AssignAdd(tn);
        _fn.AssignAdd(fn);
    }

    /// <inheritdoc />
    public override double Result()
    {
        double[] tp = _tp.Read(), fp = _fp.Read(), tn = _tn.Read(), fn = _fn.Read();
        var (constrained, dependent) = Statistics(tp, fp, tn, fn);
        double best = 0;
        for (int i = 0; i < constrained.Length; i++)
            if (constrained[i] >= Value) best = Math.Max(best, dependent[i]);
        return best;
    }

    /// <summary>Per threshold: the statistic constrained to reach <see cref="Value"/>, and the one maximised.</summary>
    private protected abstract (double[] Constrained, double[] Dependent) Statistics(double[] tp, double[] fp, double[] tn, double[] fn);

    /// <summary><c>tp / (tp + fn)</c> per threshold (recall, sensitivity).</summary>
    private protected static double[] Recalls(double[] tp, double[] fn) => [.. tp.Select((v, i) => DivideNoNan(v, v + fn[i]))];

    /// <summary><c>tp / (tp + fp)</c> per threshold.</summary>
    private protected static double[] Precisions(double[] tp, double[] fp) => [.. tp.Select((v, i) => DivideNoNan(v, v + fp[i]))];

    /// <summary><c>tn / (tn + fp)</c> per threshold.</summary>
    private protected static double[] Specificities(double[] tn, double[] fp) => [.. tn.Select((v, i) => DivideNoNan(v, v + fp[i]))];
}
