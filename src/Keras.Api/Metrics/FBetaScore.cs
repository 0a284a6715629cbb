using KerasGpu.Utils;
namespace KerasGpu.Metrics;

/// <summary>
/// The F-beta score of multi-class/multi-label predictions, <c>(1 + β²)·P·R / (β²·P + R)</c> per class (Keras'
/// <c>FBetaScore</c>). Inputs are <c>(batch, classes)</c>; a prediction is positive when above <c>threshold</c>, or
/// (threshold null) when it is its row's maximum and non-zero. <c>average</c>: null (one score per class, see
/// <see cref="ResultPerClass"/>), <c>"micro"</c>, <c>"macro"</c> or <c>"weighted"</c>.
/// </summary>
public class FBetaScore : PredictionMetric
{
    private static readonly string?[] s_averages = [null, "micro", "macro", "weighted"];
    private MetricVariable? _tp, _fp, _fn, _weights;
    private int _classes = -1;

    /// <summary>Creates the metric.</summary>
    /// <param name="average">null, <c>"micro"</c>, <c>"macro"</c> or <c>"weighted"</c>.</param>
    /// <param name="beta">β &gt; 0: recall counts β times as much as precision.</param>
    /// <param name="threshold">In (0, 1]; null picks each row's maximum.</param>
    /// <param name="name">Metric name.</param>
    /// <exception cref="ArgumentException">An argument is outside what Keras accepts.</exception>
    public FBetaScore(string? average = null, float beta = 1f, float? threshold = null, string name = "fbeta_score") : base(name)
    {
        if (!s_averages.Contains(average))
            throw new ArgumentException($"Invalid `average` argument value. Expected one of: {{None, 'micro', 'macro', 'weighted'}}. Received: average={average}", nameof(average));
        if (!(beta > 0f))
            throw new ArgumentException($"Invalid `beta` argument value. It should be > 0. Received: beta={PyFormat.ReprOfLiteral(beta)}", nameof(beta));
        if (threshold is { } t && !(t > 0f && t <= 1f))
            throw new ArgumentException($"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: threshold={PyFormat.ReprOfLiteral(t)}", nameof(threshold));
        Average = average;
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>null, <c>"micro"</c>, <c>"macro"</c> or <c>"weighted"</c>.</summary>
    public string? Average { get; }

    /// <summary>The β of the score.</summary>
    public float Beta { get; }

    /// <summary>The decision threshold (null: the row maximum).</summary>
    public float? Threshold { get; }

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        BackendOf(yTrue, yPred, sampleWeight);
        if (yPred.Rank != 2 || yTrue.Rank != 2)
            throw new ArgumentException($"{GetType().Name} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape={Shapes.Format(yPred.Shape)} and y_true.shape={Shapes.Format(yTrue.Shape)}.");
        if (!Shapes.Equal(yTrue.Dims, yPred.Dims))
            throw new ArgumentException($"{GetType().Name} expects y_true and y_pred of one shape; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        if (_classes >= 0 && yPred.Dims[1] != _classes)
            throw new ArgumentException($"{GetType().Name} was built for {_classes} classes; received y_pred.shape={Shapes.Format(yPred.Shape)}.");
        using var scope = new TensorScope();
        var backend = yPred.Backend;
        Tensor t = MetricOps.AsFloat(yTrue), p = MetricOps.AsFloat(yPred);
        p = Threshold is { } th
            ? Ops.Greater(p, Ops.Scalar(backend, th))
            : Ops.Multiply(Ops.GreaterEqual(p, Ops.Max(p, [-1], keepDims: true)), Ops.Greater(Ops.Abs(p), Ops.Scalar(backend, 1e-9f)));
        Tensor? w = null;
        if (sampleWeight is not null)
        {
            w = MetricOps.AsFloat(sampleWeight);
            if (w.Rank < 2) w = Ops.Reshape(w, [.. w.Dims, .. Enumerable.Repeat(1, 2 - w.Rank)]);
        }
        int[]? axes = Average == "micro" ? null : [0];
        Tensor WeightedSum(Tensor v)
        {
            if (w is not null) v = Ops.Multiply(v, w);
            return axes is null ? Ops.Sum(v) : Ops.Sum(v, axes);
        }
        var notP = Ops.Subtract(1f, p);
        var tp = WeightedSum(Ops.Multiply(p, t));
        var fp = WeightedSum(Ops.Multiply(p, Ops.Subtract(1f, t)));
        var fn = WeightedSum(Ops.Multiply(notP, t));
        var support = WeightedSum(t);
        if (_classes < 0)
        {
            int[] shape = Average == "micro" ? [] : [yPred.Dims[1]];
            _tp = AddVariable("true_positives", shape);
            _fp = AddVariable("false_positives", shape);
            _fn = AddVariable("false_negatives", shape);
            _weights = AddVariable("intermediate_weights", shape);
            _classes = yPred.Dims[1];
        }
        _tp!.AssignAdd(tp);
        _fp!.AssignAdd(fp);
        _fn!.AssignAdd(fn);
        _weights!.AssignAdd(support);
    }

    /// <summary>The score of each class (or the one micro score) before averaging.</summary>
    public double[] ResultPerClass()
    {
        if (_tp is null) return [];
        double[] tp = _tp.Read(), fp = _fp!.Read(), fn = _fn!.Read();
        double eps = MetricOps.Epsilon, b2 = (double)Beta * Beta;
        var scores = new double[tp.Length];
        for (int i = 0; i < tp.Length; i++)
        {
            double precision = tp[i] / (tp[i] + fp[i] + eps), recall = tp[i] / (tp[i] + fn[i] + eps);
            scores[i] = precision * recall / (b2 * precision + recall + eps) * (1 + b2);
        }
        return scores;
    }

    /// <summary>The averaged score (0 before any update).</summary>
    /// <exception cref="InvalidOperationException"><c>average</c> is null: there is one score per class.</exception>
    public override double Result()
    {
        if (Average is null)
            throw new InvalidOperationException($"{GetType().Name} \"{Name}\" with average=None has one score per class; call ResultPerClass() or pick an average (\"micro\", \"macro\", \"weighted\").");
        var scores = ResultPerClass();
        if (scores.Length == 0) return 0;
        if (Average == "weighted")
        {
            var support = _weights!.Read();
            double total = support.Sum() + MetricOps.Epsilon;
            return scores.Select((s, i) => s * support[i] / total).Sum();
        }
        return scores.Average();
    }

    internal override void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets)
    {
        if (Average is null)
            throw new ArgumentException($"{GetType().Name} \"{Name}\" with average=None gives one score per class, which a training log cannot hold; pick average \"micro\", \"macro\" or \"weighted\" for Compile().");
    }

    internal override PredictionMetric CloneWithName(string name) => new FBetaScore(Average, Beta, Threshold, name);
}
