namespace KerasGpu.Metrics;

/// <summary>
/// What <see cref="Precision"/> and <see cref="Recall"/> share: <c>tp / (tp + other)</c> per threshold from device confusion
/// counts, where <c>other</c> is the false positives (precision) or the false negatives (recall). A prediction is positive
/// when it is above the threshold; with <c>topK</c> only the k highest scores of a row can be positive; with
/// <c>classId</c> only that class is looked at.
/// </summary>
public abstract class ConfusionRatio : PredictionMetric
{
    private readonly float[] _thresholds;
    private readonly bool _evenly;
    private readonly MetricVariable _truePositives, _other;
    private readonly bool _falseNegatives;

    /// <summary>Creates the metric; <paramref name="falseNegatives"/> chooses recall's denominator over precision's.</summary>
    /// <param name="thresholds">Thresholds in [0, 1]; default 0.5 (or none with <paramref name="topK"/>). Several give
    /// one value each (<see cref="ResultPerThreshold"/>).</param>
    /// <param name="topK">Only the k highest predictions of each row can be positive.</param>
    /// <param name="classId">Only this class (last-axis index) is evaluated.</param>
    /// <param name="name">Metric name.</param>
    /// <param name="falseNegatives">Count false negatives (recall) rather than false positives (precision).</param>
    /// <exception cref="ArgumentException">A threshold is outside [0, 1], or topK is not positive.</exception>
    private protected ConfusionRatio(float[]? thresholds, int? topK, int? classId, string name, bool falseNegatives) : base(name)
    {
        _falseNegatives = falseNegatives;
        if (topK is <= 0) throw new ArgumentException($"Argument `top_k` must be a positive integer. Received: top_k={topK}", nameof(topK));
        if (classId is < 0) throw new ArgumentException($"Argument `class_id` must be a non-negative integer. Received: class_id={classId}", nameof(classId));
        _thresholds = ConfusionCounts.Parse(thresholds, topK is null ? 0.5f : ConfusionCounts.NegInf);
        _evenly = ConfusionCounts.IsEvenlyDistributed([.. _thresholds.Select(t => (double)t)]);
        TopK = topK;
        ClassId = classId;
        _truePositives = AddVariable("true_positives", [_thresholds.Length]);
        _other = AddVariable(falseNegatives ? "false_negatives" : "false_positives", [_thresholds.Length]);
    }

    /// <summary>The thresholds in use.</summary>
    public IReadOnlyList<float> Thresholds => _thresholds;

    /// <summary>Only the k highest predictions of each row can be positive (null: all).</summary>
    public int? TopK { get; }

    /// <summary>The class evaluated (null: all elements).</summary>
    public int? ClassId { get; }

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        BackendOf(yTrue, yPred, sampleWeight);
        using var scope = new TensorScope();
        var counts = ConfusionCounts.Compute(yTrue, yPred, sampleWeight, _thresholds, _evenly, withEpsilon: false, TopK, ClassId);
        _truePositives.AssignAdd(counts.Tp);
        _other.AssignAdd(_falseNegatives ? counts.Item4 : counts.Item2);
    }

    /// <summary>The value at each threshold.</summary>
    public double[] ResultPerThreshold()
    {
        double[] tp = _truePositives.Read(), other = _other.Read();
        return [.. tp.Select((v, i) => DivideNoNan(v, v + other[i]))];
    }

    /// <summary>The value (with several thresholds, use <see cref="ResultPerThreshold"/>).</summary>
    /// <exception cref="InvalidOperationException">Several thresholds were given.</exception>
    public override double Result() => _thresholds.Length == 1 ? ResultPerThreshold()[0]
        : throw new InvalidOperationException($"{GetType().Name} \"{Name}\" has {_thresholds.Length} thresholds and so one value per threshold; call ResultPerThreshold().");

    internal override void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets)
    {
        if (_thresholds.Length > 1)
            throw new ArgumentException($"{GetType().Name} \"{Name}\" has {_thresholds.Length} thresholds and so one value per threshold, which a training log cannot hold; give Compile() one threshold per metric.");
    }

    /// <summary>The thresholds a clone is given: none when they were the top-k default.</summary>
    private protected float[]? ThresholdsForClone => TopK is null || _thresholds.Length > 1 || _thresholds[0] != ConfusionCounts.NegInf ? _thresholds : null;
}
