namespace KerasGpu.Metrics;

/// <summary>
/// Keras' <c>update_confusion_matrix_variables</c> on the device: weighted true/false positive/negative counts of
/// <c>y_pred &gt; threshold</c> for every threshold, from a <c>[thresholds, elements]</c> comparison.
/// </summary>
internal static class ConfusionCounts
{
    /// <summary>Keras' <c>NEG_INF</c>, the threshold used with <c>top_k</c>.</summary>
    public const float NegInf = -1e10f;

    /// <summary>
    /// Keras' <c>parse_init_thresholds</c>: the given thresholds (each in [0, 1]) or the single default.
    /// </summary>
    /// <exception cref="ArgumentException">A threshold is outside [0, 1].</exception>
    public static float[] Parse(float[]? thresholds, float defaultThreshold)
    {
        if (thresholds is null) return [defaultThreshold];
        if (thresholds.Length == 0) throw new ArgumentException("Expected at least one threshold; received an empty list.", nameof(thresholds));
        var invalid = thresholds.Where(t => !(t >= 0f && t <= 1f)).ToArray();
        if (invalid.Length > 0)
            throw new ArgumentException($"Threshold values must be in [0, 1]. Received: [{string.Join(", ", invalid.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]", nameof(thresholds));
        return (float[])thresholds.Clone();
    }

    /// <summary>Keras' <c>is_evenly_distributed_thresholds</c>: at least 3 values matching <c>i/(n−1)</c> (np.allclose, atol ε).</summary>
    public static bool IsEvenlyDistributed(IReadOnlyList<double> thresholds)
    {
        int n = thresholds.Count;
        if (n < 3) return false;
        for (int i = 0; i < n; i++)
        {
            double even = (float)i / (n - 1);
            if (Math.Abs(thresholds[i] - even) > MetricOps.Epsilon + 1e-5 * Math.Abs(even)) return false;
        }
        return true;
    }

    /// <summary>
    /// The batch's counts, each of shape <c>(thresholds,)</c>, or <c>(thresholds, labels)</c> with
    /// <paramref name="multiLabel"/> (predictions of shape <c>(batch, labels)</c>, each label counted apart).
    /// <paramref name="labelWeights"/> (one per last-axis entry) scale each element's weight when the labels are pooled. With <paramref name="evenly"/> the thresholds are
    /// <c>i/(n−1)</c> and Keras' bucketed path is followed exactly: predictions clipped to [0, 1], a prediction counts
    /// as positive at threshold i when <c>p·(n−1) &gt; i</c>, and with <paramref name="withEpsilon"/> a prediction of 0
    /// still counts at the first threshold (which is −ε).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not fit, or <paramref name="classId"/> is out of range.</exception>
    public static (Tensor Tp, Tensor Fp, Tensor Tn, Tensor Fn) Compute(Tensor yTrue, Tensor yPred, Tensor? sampleWeight,
        float[] thresholds, bool evenly, bool withEpsilon, int? topK, int? classId, bool multiLabel = false, float[]? labelWeights = null)
    {
        var (p, t) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yPred), MetricOps.AsFloat(yTrue));
        Tensor? w = null;
        if (sampleWeight is not null)
            (_, w) = MetricOps.SqueezeOrExpandToSameRank(t, Ops.ExpandDims(MetricOps.AsFloat(sampleWeight), -1), expandRank1: false);
        if (t.Size != p.Size)
            throw new ArgumentException($"y_true and y_pred must have the same number of elements; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        if (topK is { } k) p = MetricOps.FilterTopK(p, k);
        if (classId is { } c)
        {
            if (p.Rank < 2)
                throw new ArgumentException($"When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found shape: {Shapes.Format(p.Shape)}");
            if (c < 0 || c >= p.Dims[^1])
                throw new ArgumentException($"class_id={c} is outside the {p.Dims[^1]} classes of y_pred.shape={Shapes.Format(p.Shape)}.");
            t = Ops.Slice(Ops.Reshape(t, p.Shape), -1, c, 1);
            p = Ops.Slice(p, -1, c, 1);
        }
        if (multiLabel && p.Rank != 2)
            throw new ArgumentException($"`y_pred` must have rank 2 when `multi_label=True`. Found rank {p.Rank}. Full shape received for `y_pred`: {Shapes.Format(p.Shape)}");
        if (labelWeights is not null && labelWeights.Length != (p.Rank == 0 ? 1 : p.Dims[^1]))
            throw new ArgumentException($"label_weights has {labelWeights.Length} entries, but y_pred.shape={Shapes.Format(p.Shape)} has {(p.Rank == 0 ? 1 : p.Dims[^1])} labels on its last axis.");
        int count = thresholds.Length;
        var backend = p.Backend;
        // Pooled: every element is one decision, [1, n] against [count, 1]. Multi-label: [1, batch, labels] against [count, 1, 1].
        int[] view = multiLabel ? [1, .. p.Dims] : [1, (int)p.Size];
        int[] cutShape = multiLabel ? [count, 1, 1] : [count, 1];
        Tensor scores = Ops.Reshape(p, view);
        var cut = new float[count];
        if (evenly)
        {
            scores = Ops.Scale(Ops.Clip(scores, 0f, 1f), count - 1);
            for (int i = 0; i < count; i++) cut[i] = i;
            if (withEpsilon) cut[0] = -1f;
        }
        else Array.Copy(thresholds, cut, count);
        var predictedPositive = Ops.Greater(scores, MetricOps.Constant(backend, cut, cutShape));
        var label = Ops.Reshape(Ops.NotEqual(Ops.Reshape(t, p.Shape), Ops.Scalar(backend, 0f)), view);
        Tensor positive = label, negative = Ops.Subtract(1f, label);
        Tensor? weights = null;
        if (w is not null)
        {
            try
            {
                weights = Ops.BroadcastTo(w, p.Shape);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"sample_weight of shape {Shapes.Format(sampleWeight!.Shape)} does not broadcast to y_pred of shape {Shapes.Format(p.Shape)}.", nameof(sampleWeight), e);
            }
        }
        if (labelWeights is not null && !multiLabel)
        {
            var perLabel = MetricOps.Constant(backend, labelWeights, [labelWeights.Length]);
            weights = weights is null ? Ops.BroadcastTo(perLabel, p.Shape) : Ops.Multiply(weights, perLabel);
        }
        if (weights is not null)
        {
            weights = Ops.Reshape(weights, view);
            positive = Ops.Multiply(positive, weights);
            negative = Ops.Multiply(negative, weights);
        }
        var tp = Ops.Sum(Ops.Multiply(predictedPositive, positive), [1]);
        var fp = Ops.Sum(Ops.Multiply(predictedPositive, negative), [1]);
        var fn = Ops.Subtract(Ops.Sum(positive, [0, 1]), tp);
        var tn = Ops.Subtract(Ops.Sum(negative, [0, 1]), fp);
        return (tp, fp, tn, fn);
    }
}
