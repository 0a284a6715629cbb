namespace KerasGpu.Losses;

/// <summary>
/// Cross-entropy between binary (0/1, or soft) targets and predictions (Keras' <c>keras.losses.BinaryCrossentropy</c>),
/// averaged over <see cref="Axis"/>: <c>mean(−t·log p − (1 − t)·log(1 − p))</c>. Probabilities are clipped to
/// <c>[ε, 1 − ε]</c>; logits use the stable form <c>softplus(x) − t·x</c>.
/// </summary>
public sealed class BinaryCrossentropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">In <c>[0, 1]</c>: targets become <c>t·(1 − s) + s/2</c>.</param>
    /// <param name="axis">The axis averaged over (the features axis).</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> outside <c>[0, 1]</c>.</exception>
    public BinaryCrossentropy(bool fromLogits = false, float labelSmoothing = 0f, int axis = -1,
        string reduction = "sum_over_batch_size", string name = "binary_crossentropy") : base(name, reduction)
    {
        FromLogits = fromLogits;
        LabelSmoothing = LossMath.CheckLabelSmoothing(labelSmoothing);
        Axis = axis;
    }

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
        var target = LossMath.SmoothBinaryLabels(yTrue, LabelSmoothing);
        var bce = LossMath.BinaryCrossentropy(target, yPred, FromLogits);
        return Ops.Mean(bce, [LossMath.CanonicalAxis(Axis, yPred.Rank)]);
    }
}
