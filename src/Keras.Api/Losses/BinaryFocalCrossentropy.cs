namespace KerasGpu.Losses;

/// <summary>
/// Focal cross-entropy for binary targets (Keras' <c>keras.losses.BinaryFocalCrossentropy</c>, Lin et al. 2018):
/// binary cross-entropy scaled by the focal factor <c>(1 − p_t)^γ</c>, where <c>p_t = t·p + (1 − t)·(1 − p)</c>, and
/// with <see cref="ApplyClassBalancing"/> also by <c>α</c> for class 1 and <c>1 − α</c> for class 0; averaged over
/// <see cref="Axis"/>.
/// </summary>
public sealed class BinaryFocalCrossentropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="applyClassBalancing">Whether to weight class 1 by <paramref name="alpha"/> and class 0 by <c>1 − alpha</c>.</param>
    /// <param name="alpha">The weight of class 1 when balancing.</param>
    /// <param name="gamma">The focusing parameter; 0 gives plain binary cross-entropy.</param>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">In <c>[0, 1]</c>: targets become <c>t·(1 − s) + s/2</c>.</param>
    /// <param name="axis">The axis averaged over.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> outside <c>[0, 1]</c>.</exception>
    public BinaryFocalCrossentropy(bool applyClassBalancing = false, float alpha = 0.25f, float gamma = 2f, bool fromLogits = false,
        float labelSmoothing = 0f, int axis = -1, string reduction = "sum_over_batch_size", string name = "binary_focal_crossentropy")
        : base(name, reduction)
    {
        ApplyClassBalancing = applyClassBalancing;
        Alpha = alpha;
        Gamma = gamma;
        FromLogits = fromLogits;
        LabelSmoothing = LossMath.CheckLabelSmoothing(labelSmoothing);
        Axis = axis;
    }

    /// <summary>Whether classes are weighted by <see cref="Alpha"/>.</summary>
    public bool ApplyClassBalancing { get; }

    /// <summary>The weight of class 1 (class 0 gets <c>1 − α</c>).</summary>
    public float Alpha { get; }

    /// <summary>The focusing parameter.</summary>
    public float Gamma { get; }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing factor.</summary>
    public float LabelSmoothing { get; }

    /// <summary>The axis averaged over.</summary>
    public int Axis { get; }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var t = LossMath.SmoothBinaryLabels(yTrue, LabelSmoothing);
        var p = FromLogits ? Ops.Sigmoid(yPred) : yPred;
        var bce = LossMath.BinaryCrossentropy(t, p, fromLogits: false);
        // p_t = t·p + (1 − t)·(1 − p); the focal factor uses p unclipped, as Keras does.
        var pT = Ops.Add(Ops.Multiply(t, p), Ops.Multiply(Ops.Subtract(1f, t), Ops.Subtract(1f, p)));
        var focal = Ops.Multiply(Ops.Power(Ops.Subtract(1f, pT), Gamma), bce);
        if (ApplyClassBalancing) focal = Ops.Multiply(Ops.ScaleAdd(t, 2f * Alpha - 1f, 1f - Alpha), focal); // t·α + (1 − t)·(1 − α)
        return Ops.Mean(focal, [LossMath.CanonicalAxis(Axis, yPred.Rank)]);
    }
}
