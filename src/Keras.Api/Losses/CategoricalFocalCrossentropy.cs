using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Alpha-balanced focal cross-entropy for one-hot targets (Keras' <c>keras.losses.CategoricalFocalCrossentropy</c>):
/// <c>Σ α·(1 − p)^γ·(−t·log p)</c> over <see cref="Axis"/>, with <c>p</c> renormalised and clipped to
/// <c>[ε, 1 − ε]</c> (after a softmax when <see cref="FromLogits"/>).
/// </summary>
public sealed class CategoricalFocalCrossentropy : Loss
{
    private readonly float[]? _classAlpha;

    /// <summary>Creates the loss with one <paramref name="alpha"/> for every class.</summary>
    /// <param name="alpha">The weighting factor.</param>
    /// <param name="gamma">The focusing parameter; 0 removes the focal effect.</param>
    /// <param name="fromLogits">Whether predictions are logits.</param>
    /// <param name="labelSmoothing">In <c>[0, 1]</c>: targets become <c>t·(1 − s) + s/classes</c>.</param>
    /// <param name="axis">The class axis.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> outside <c>[0, 1]</c>.</exception>
    public CategoricalFocalCrossentropy(float alpha = 0.25f, float gamma = 2f, bool fromLogits = false, float labelSmoothing = 0f,
        int axis = -1, string reduction = "sum_over_batch_size", string name = "categorical_focal_crossentropy")
        : base(name, reduction)
    {
        Alpha = [alpha];
        Gamma = gamma;
        FromLogits = fromLogits;
        LabelSmoothing = LossMath.CheckLabelSmoothing(labelSmoothing);
        Axis = axis;
    }

    /// <summary>Creates the loss with one weighting factor per class (Keras' list-valued <c>alpha</c>).</summary>
    /// <param name="alpha">One factor per class, in class order.</param>
    /// <param name="gamma">The focusing parameter.</param>
    /// <param name="fromLogits">Whether predictions are logits.</param>
    /// <param name="labelSmoothing">In <c>[0, 1]</c>.</param>
    /// <param name="axis">The class axis.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <exception cref="ArgumentException"><paramref name="alpha"/> is empty.</exception>
    public CategoricalFocalCrossentropy(IReadOnlyList<float> alpha, float gamma = 2f, bool fromLogits = false, float labelSmoothing = 0f,
        int axis = -1, string reduction = "sum_over_batch_size", string name = "categorical_focal_crossentropy")
        : this(0.25f, gamma, fromLogits, labelSmoothing, axis, reduction, name)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        if (alpha.Count == 0) throw new ArgumentException("`alpha` needs one factor per class; received an empty list.", nameof(alpha));
        _classAlpha = [.. alpha];
        Alpha = _classAlpha;
    }

    /// <summary>The weighting factor: one value for all classes, or one per class.</summary>
    public IReadOnlyList<float> Alpha { get; }

    /// <summary>The focusing parameter.</summary>
    public float Gamma { get; }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing factor.</summary>
    public float LabelSmoothing { get; }

    /// <summary>The class axis.</summary>
    public int Axis { get; }

    /// <summary>Targets must have exactly the output's shape.</summary>
    internal override void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        if (!Shapes.Equal(targets.Shape, predictionShape)) throw ShapeMismatch(targets, predictionShape);
        int classes = predictionShape[LossMath.CanonicalAxis(Axis, predictionShape.Length)];
        if (_classAlpha is not null && _classAlpha.Length != classes)
            throw new ArgumentException($"`alpha` has {_classAlpha.Length} factors, but the output has {classes} classes.");
    }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireSameShape(yTrue, yPred);
        LossMath.RequireRank1(yTrue, yPred);
        int axis = LossMath.CanonicalAxis(Axis, yPred.Rank), classes = yPred.Dims[axis];
        if (_classAlpha is not null && _classAlpha.Length != classes)
            throw new ArgumentException($"`alpha` has {_classAlpha.Length} factors, but the output has {classes} classes (shape {Shapes.Format(yPred.Dims)}, axis {Axis}).");
        var t = LossMath.MoveAxisToEnd(LossMath.SmoothCategoricalLabels(yTrue, LabelSmoothing, classes), axis);
        var p = LossMath.MoveAxisToEnd(yPred, axis);
        if (FromLogits) p = Ops.Softmax(p);
        // Renormalise so each distribution sums to 1, then clip, as Keras does before the log.
        var output = LossMath.ClipProbabilities(Ops.Divide(p, Ops.Sum(p, [-1], keepDims: true)));
        var crossEntropy = Ops.Negative(Ops.Multiply(t, Ops.Log(output)));
        var modulating = Ops.Power(Ops.Subtract(1f, output), Gamma);
        var weighting = _classAlpha is null
            ? Ops.Scale(modulating, Alpha[0])
            : Ops.Multiply(modulating, Tensor.FromNDArray(NDArray.FromArray(_classAlpha, [classes]), yPred.Backend));
        return Ops.Sum(Ops.Multiply(weighting, crossEntropy), [-1]);
    }
}
