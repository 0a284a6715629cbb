namespace KerasGpu.Metrics;

/// <summary>
/// Approximate area under the ROC or precision-recall curve (Keras' <c>AUC</c>): weighted confusion counts at
/// <c>num_thresholds</c> thresholds (<c>−ε, 1/(n−1), …, (n−2)/(n−1), 1 + ε</c>) accumulate on the device, and the
/// Riemann sum over them is taken when the result is read. By default every element is one decision; with
/// <c>multiLabel</c> each column of <c>(batch, labels)</c> data gets its own curve and the areas are averaged
/// (weighted by <c>labelWeights</c> when given).
/// </summary>
public sealed class AUC : PredictionMetric
{
    private readonly float[] _thresholds;
    private readonly float[]? _initThresholds;
    private readonly bool _evenly;
    private readonly float[]? _labelWeights;
    private MetricVariable? _tp, _fp, _tn, _fn;

    /// <summary>Creates the metric.</summary>
    /// <param name="numThresholds">Number of thresholds (&gt; 1) when <paramref name="thresholds"/> is not given.</param>
    /// <param name="curve"><c>"ROC"</c>, <c>"PR"</c> or <c>"PRGAIN"</c> (either case).</param>
    /// <param name="summationMethod"><c>"interpolation"</c> (trapezoids; Davis-Goadrich interpolation for PR),
    /// <c>"minoring"</c> or <c>"majoring"</c>.</param>
    /// <param name="name">Metric name.</param>
    /// <param name="thresholds">Explicit thresholds in [0, 1]; −ε and 1 + ε are added at the ends.</param>
    /// <param name="multiLabel">Treat each column of <c>(batch, labels)</c> data as its own binary problem.</param>
    /// <param name="numLabels">With <paramref name="multiLabel"/>, the number of labels (else taken from the first batch).</param>
    /// <param name="labelWeights">Non-negative weight per label: for multi-label data, of each label's area in the
    /// average; otherwise, of each last-axis element in the counts.</param>
    /// <param name="fromLogits">Apply a sigmoid to predictions first.</param>
    /// <exception cref="ArgumentException">An argument is outside what Keras accepts (the message says which).</exception>
    public AUC(int numThresholds = 200, string curve = "ROC", string summationMethod = "interpolation", string name = "auc",
        float[]? thresholds = null, bool multiLabel = false, int? numLabels = null, float[]? labelWeights = null, bool fromLogits = false) : base(name)
    {
        if (!multiLabel && numLabels is not null)
            throw new ArgumentException("`num_labels` is needed only when `multi_label` is True.", nameof(numLabels));
        if (numLabels is <= 0)
            throw new ArgumentException($"Argument `num_labels` must be a positive integer. Received: num_labels={numLabels}", nameof(numLabels));
        if (labelWeights is not null && labelWeights.Any(w => !(w >= 0f)))
            throw new ArgumentException($"All values of `label_weights` must be non-negative. Received: label_weights=[{string.Join(", ", labelWeights.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]", nameof(labelWeights));
        if (labelWeights is not null && numLabels is { } labels && labelWeights.Length != labels)
            throw new ArgumentException($"label_weights has {labelWeights.Length} entries for num_labels={labels}.", nameof(labelWeights));
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(summationMethod);
        Curve = curve switch
        {
            "ROC" or "roc" => "ROC",
            "PR" or "pr" => "PR",
            "PRGAIN" or "prgain" => "PRGAIN",
            _ => throw new ArgumentException($"Invalid AUC curve value: \"{curve}\". Expected values are [\"PR\", \"ROC\", \"PRGAIN\"]", nameof(curve)),
        };
        SummationMethod = summationMethod switch
        {
            "interpolation" or "Interpolation" => "interpolation",
            "majoring" or "Majoring" => "majoring",
            "minoring" or "Minoring" => "minoring",
            _ => throw new ArgumentException($"Invalid AUC summation method value: \"{summationMethod}\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"]", nameof(summationMethod)),
        };
        double[] inner;
        if (thresholds is not null)
        {
            var invalid = thresholds.Where(t => !(t >= 0f && t <= 1f)).ToArray();
            if (invalid.Length > 0)
                throw new ArgumentException($"Threshold values must be in [0, 1]. Received: [{string.Join(", ", invalid.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]", nameof(thresholds));
            _initThresholds = (float[])thresholds.Clone();
            inner = [.. thresholds.Select(t => (double)t).Order()];
            NumThresholds = inner.Length + 2;
            _evenly = ConfusionCounts.IsEvenlyDistributed([0.0, .. inner, 1.0]);
        }
        else
        {
            if (numThresholds <= 1)
                throw new ArgumentException($"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={numThresholds}", nameof(numThresholds));
            NumThresholds = numThresholds;
            inner = [.. Enumerable.Range(0, numThresholds - 2).Select(i => (i + 1) * 1.0 / (numThresholds - 1))];
            _evenly = true;
        }
        _thresholds = [.. new[] { 0.0 - MetricOps.Epsilon }.Concat(inner).Append(1.0 + MetricOps.Epsilon).Select(t => (float)t)];
        FromLogits = fromLogits;
        MultiLabel = multiLabel;
        _labelWeights = labelWeights is null ? null : (float[])labelWeights.Clone();
        if (!multiLabel) Build(null);
        else if (numLabels is { } n) Build(n);
    }

    /// <summary>Creates the counts: <c>(thresholds,)</c>, or <c>(thresholds, labels)</c> for multi-label data.</summary>
    private void Build(int? labels)
    {
        int[] shape = labels is { } l ? [NumThresholds, l] : [NumThresholds];
        _tp = AddVariable("true_positives", shape);
        _fp = AddVariable("false_positives", shape);
        _tn = AddVariable("true_negatives", shape);
        _fn = AddVariable("false_negatives", shape);
        NumLabels = labels;
    }

    /// <summary>Number of thresholds, the two epsilon ends included.</summary>
    public int NumThresholds { get; }

    /// <summary><c>"ROC"</c>, <c>"PR"</c> or <c>"PRGAIN"</c>.</summary>
    public string Curve { get; }

    /// <summary><c>"interpolation"</c>, <c>"majoring"</c> or <c>"minoring"</c>.</summary>
    public string SummationMethod { get; }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>Whether each label has its own curve.</summary>
    public bool MultiLabel { get; }

    /// <summary>The number of labels of multi-label data (null until known, and for pooled data).</summary>
    public int? NumLabels { get; private set; }

    /// <summary>The thresholds used (as float32, like Keras' variables).</summary>
    public IReadOnlyList<float> Thresholds => _thresholds;

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        BackendOf(yTrue, yPred, sampleWeight);
        using var scope = new TensorScope();
        if (MultiLabel && yPred.Rank == 2 && NumLabels is { } labels && yPred.Dims[1] != labels)
            throw new ArgumentException($"AUC was built for {labels} labels; received y_pred.shape={Shapes.Format(yPred.Shape)}.");
        if (MultiLabel && _labelWeights is not null && yPred.Rank == 2 && yPred.Dims[1] != _labelWeights.Length)
            throw new ArgumentException($"label_weights has {_labelWeights.Length} entries, but y_pred.shape={Shapes.Format(yPred.Shape)} has {yPred.Dims[1]} labels.");
        var p = FromLogits ? Ops.Sigmoid(MetricOps.AsFloat(yPred)) : yPred;
        var (tp, fp, tn, fn) = ConfusionCounts.Compute(yTrue, p, sampleWeight, _thresholds, _evenly, withEpsilon: true, topK: null, classId: null,
            MultiLabel, MultiLabel ? null : _labelWeights);
        if (_tp is null) Build(yPred.Dims[1]);
        _tp!.AssignAdd(tp);
        _fp!.AssignAdd(fp);
        _tn!.AssignAdd(tn);
        _fn!.AssignAdd(fn);
    }

    /// <inheritdoc />
    public override double Result()
    {
        if (_tp is null) return 0;
        double[] tp = _tp.Read(), fp = _fp!.Read(), tn = _tn!.Read(), fn = _fn!.Read();
        if (NumLabels is not { } labels) return Area(tp, fp, tn, fn);
        // Counts are (thresholds, labels), row-major: one curve per column.
        double[] Column(double[] v, int l) => [.. Enumerable.Range(0, NumThresholds).Select(i => v[i * labels + l])];
        var areas = Enumerable.Range(0, labels).Select(l => Area(Column(tp, l), Column(fp, l), Column(tn, l), Column(fn, l))).ToArray();
        if (_labelWeights is null) return areas.Average();
        return DivideNoNan(areas.Select((a, l) => a * _labelWeights[l]).Sum(), _labelWeights.Sum());
    }

    /// <summary>The area under one curve from its counts.</summary>
    private double Area(double[] tp, double[] fp, double[] tn, double[] fn)
    {
        int n = NumThresholds;
        if (Curve == "PR" && SummationMethod == "interpolation") return InterpolatePrAuc(tp, fp, fn);
        double[] x, y;
        var recall = tp.Select((v, i) => DivideNoNan(v, v + fn[i])).ToArray();
        if (Curve == "ROC")
        {
            x = [.. fp.Select((v, i) => DivideNoNan(v, v + tn[i]))];
            y = recall;
        }
        else if (Curve == "PR")
        {
            x = recall;
            y = [.. tp.Select((v, i) => DivideNoNan(v, v + fp[i]))];
        }
        else
        {
            x = new double[n];
            y = new double[n];
            for (int i = 0; i < n; i++)
            {
                double scaling = DivideNoNan(tp[i] + fn[i], tn[i] + fp[i]);
                double recallGain = tp[i] == 0 ? 0 : 1 - scaling * DivideNoNan(fn[i], tp[i]);
                double precisionGain = tp[i] == 0 ? 1 : 1 - scaling * DivideNoNan(fp[i], tp[i]);
                x[i] = Math.Max(recallGain, 0);
                y[i] = precisionGain;
            }
        }
        double auc = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double height = SummationMethod switch
            {
                "interpolation" => (y[i] + y[i + 1]) / 2,
                "minoring" => Math.Min(y[i], y[i + 1]),
                _ => Math.Max(y[i], y[i + 1]),
            };
            auc += (x[i] - x[i + 1]) * height;
        }
        return auc;
    }

    /// <summary>Keras' <c>interpolate_pr_auc</c> (Davis &amp; Goadrich 2006, closed form per threshold interval).</summary>
    private static double InterpolatePrAuc(double[] tp, double[] fp, double[] fn)
    {
        double auc = 0;
        for (int i = 0; i < tp.Length - 1; i++)
        {
            double dtp = tp[i] - tp[i + 1];
            double pA = tp[i] + fp[i], pB = tp[i + 1] + fp[i + 1];
            double slope = DivideNoNan(dtp, Math.Max(pA - pB, 0));
            double intercept = tp[i + 1] - slope * pB;
            double ratio = pA > 0 && pB > 0 ? DivideNoNan(pA, Math.Max(pB, 0)) : 1;
            auc += DivideNoNan(slope * (dtp + intercept * Math.Log(ratio)), Math.Max(tp[i + 1] + fn[i + 1], 0));
        }
        return auc;
    }

    internal override PredictionMetric CloneWithName(string name) =>
        new AUC(NumThresholds, Curve, SummationMethod, name, _initThresholds, MultiLabel, MultiLabel ? NumLabels : null, _labelWeights, FromLogits);
}
