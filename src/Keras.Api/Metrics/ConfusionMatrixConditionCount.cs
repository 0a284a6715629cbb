namespace KerasGpu.Metrics;

/// <summary>Which cell of the binary confusion matrix a count metric accumulates.</summary>
public enum ConfusionMatrixCondition
{
    /// <summary>Label positive, prediction above the threshold.</summary>
    TruePositives,
    /// <summary>Label negative, prediction above the threshold.</summary>
    FalsePositives,
    /// <summary>Label negative, prediction not above the threshold.</summary>
    TrueNegatives,
    /// <summary>Label positive, prediction not above the threshold.</summary>
    FalseNegatives,
}

/// <summary>
/// The weighted number of one confusion-matrix condition at each threshold (Keras' <c>TruePositives</c>,
/// <c>FalsePositives</c>, <c>TrueNegatives</c>, <c>FalseNegatives</c>); every element of the inputs is one decision.
/// </summary>
public abstract class ConfusionMatrixConditionCount : PredictionMetric
{
    private readonly float[] _thresholds;
    private readonly float[]? _initThresholds;
    private readonly bool _evenly;
    private readonly MetricVariable _accumulator;

    /// <summary>Creates the metric.</summary>
    /// <param name="condition">The cell counted.</param>
    /// <param name="thresholds">Thresholds in [0, 1]; default 0.5.</param>
    /// <param name="name">Metric name.</param>
    /// <exception cref="ArgumentException">A threshold is outside [0, 1].</exception>
    private protected ConfusionMatrixConditionCount(ConfusionMatrixCondition condition, float[]? thresholds, string name) : base(name)
    {
        Condition = condition;
        _thresholds = ConfusionCounts.Parse(thresholds, 0.5f);
        _initThresholds = thresholds is null ? null : _thresholds;
        _evenly = ConfusionCounts.IsEvenlyDistributed([.. _thresholds.Select(t => (double)t)]);
        _accumulator = AddVariable("accumulator", [_thresholds.Length]);
    }

    /// <summary>The cell counted.</summary>
    public ConfusionMatrixCondition Condition { get; }

    /// <summary>The thresholds in use.</summary>
    public IReadOnlyList<float> Thresholds => _thresholds;

    /// <summary>The thresholds as given (null: the default).</summary>
    private protected float[]? InitThresholds => _initThresholds;

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        BackendOf(yTrue, yPred, sampleWeight);
        using var scope = new TensorScope();
        var (tp, fp, tn, fn) = ConfusionCounts.Compute(yTrue, yPred, sampleWeight, _thresholds, _evenly, withEpsilon: false, topK: null, classId: null);
        _accumulator.AssignAdd(Condition switch
        {
            ConfusionMatrixCondition.TruePositives => tp,
            ConfusionMatrixCondition.FalsePositives => fp,
            ConfusionMatrixCondition.TrueNegatives => tn,
            _ => fn,
        });
    }

    /// <summary>The count at each threshold.</summary>
    public double[] ResultPerThreshold() => _accumulator.Read();

    /// <summary>The count (with several thresholds, use <see cref="ResultPerThreshold"/>).</summary>
    /// <exception cref="InvalidOperationException">Several thresholds were given.</exception>
    public override double Result() => _thresholds.Length == 1 ? ResultPerThreshold()[0]
        : throw new InvalidOperationException($"{GetType().Name} \"{Name}\" has {_thresholds.Length} thresholds and so one value per threshold; call ResultPerThreshold().");

    internal override void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets)
    {
        if (_thresholds.Length > 1)
            throw new ArgumentException($"{GetType().Name} \"{Name}\" has {_thresholds.Length} thresholds and so one value per threshold, which a training log cannot hold; give Compile() one threshold per metric.");
    }
}
