using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Cross-entropy between one-hot (or soft) targets and predictions (Keras' <c>keras.losses.CategoricalCrossentropy</c>):
/// <c>−Σ t·log p</c> over <see cref="Axis"/>. From logits a fused softmax-cross-entropy kernel is used; probabilities
/// are renormalised to sum to 1 and clipped to <c>[ε, 1 − ε]</c> as Keras does.
/// </summary>
public sealed class CategoricalCrossentropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are logits.</param>
    /// <param name="labelSmoothing">In <c>[0, 1]</c>: targets become <c>t·(1 − s) + s/classes</c>.</param>
    /// <param name="axis">The class axis.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> outside <c>[0, 1]</c>.</exception>
    public CategoricalCrossentropy(bool fromLogits = false, float labelSmoothing = 0f, int axis = -1,
        string reduction = "sum_over_batch_size", string name = "categorical_crossentropy") : base(name, reduction)
    {
        FromLogits = fromLogits;
        LabelSmoothing = LossMath.CheckLabelSmoothing(labelSmoothing);
        Axis = axis;
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing factor.</summary>
    public float LabelSmoothing { get; }

    /// <summary>The class axis.</summary>
    public int Axis { get; }

    /// <summary>Targets must have exactly the output's shape (as Keras checks); an equal element count is not enough.</summary>
    internal override void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        if (!Shapes.Equal(targets.Shape, predictionShape)) throw ShapeMismatch(targets, predictionShape);
    }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireSameShape(yTrue, yPred);
        LossMath.RequireRank1(yTrue, yPred);
        int axis = LossMath.CanonicalAxis(Axis, yPred.Rank);
        var target = LossMath.MoveAxisToEnd(LossMath.SmoothCategoricalLabels(yTrue, LabelSmoothing, yPred.Dims[axis]), axis);
        var output = LossMath.MoveAxisToEnd(yPred, axis);
        return FromLogits
            ? Ops.SoftmaxCrossEntropy(output, target, TargetKind.Dense)
            : Ops.CrossEntropy(output, target, TargetKind.Dense, Keras.Config.Epsilon);
    }
}
