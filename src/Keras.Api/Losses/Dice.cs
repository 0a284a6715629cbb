namespace KerasGpu.Losses;

/// <summary>
/// Dice loss (Keras' <c>keras.losses.Dice</c>): <c>1 − 2·Σ t·p / (Σ t + Σ p + ε)</c>, the sums taken over
/// <see cref="Axis"/>, or over every element when it is null (the loss is then one scalar for the whole batch).
/// </summary>
public sealed class Dice : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <param name="axis">The axes summed over, e.g. <c>[1, 2, 3]</c> for one loss per image; null for all axes.</param>
    public Dice(string reduction = "sum_over_batch_size", string name = "dice", int[]? axis = null) : base(name, reduction) =>
        Axis = axis is null ? null : [.. axis];

    /// <summary>The axes summed over, or null for all.</summary>
    public IReadOnlyList<int>? Axis { get; }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        int[]? axes = Axis is null ? null : [.. Axis];
        var intersection = LossMath.SumOver(Ops.Multiply(yTrue, yPred), axes);
        var total = Ops.Add(Ops.Add(LossMath.SumOver(yTrue, axes), LossMath.SumOver(yPred, axes)), Keras.Config.Epsilon);
        return Ops.Subtract(1f, Ops.Divide(Ops.Scale(intersection, 2f), total));
    }
}
