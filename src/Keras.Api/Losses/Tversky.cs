namespace KerasGpu.Losses;

/// <summary>
/// Tversky loss (Keras' <c>keras.losses.Tversky</c>, Salehi et al. 2017): <c>1 − TP / (TP + α·FP + β·FN + ε)</c> with
/// <c>TP = Σ p·t</c>, <c>FP = Σ (1 − t)·p</c>, <c>FN = Σ t·(1 − p)</c> over <see cref="Axis"/> (all axes when null).
/// <c>α = β = 0.5</c> gives the Dice loss.
/// </summary>
public sealed class Tversky : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="alpha">The weight of false positives.</param>
    /// <param name="beta">The weight of false negatives.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <param name="axis">The axes summed over; null for all axes.</param>
    public Tversky(float alpha = 0.5f, float beta = 0.5f, string reduction = "sum_over_batch_size", string name = "tversky", int[]? axis = null)
        : base(name, reduction)
    {
        Alpha = alpha;
        Beta = beta;
        Axis = axis is null ? null : [.. axis];
    }

    /// <summary>The weight of false positives.</summary>
    public float Alpha { get; }

    /// <summary>The weight of false negatives.</summary>
    public float Beta { get; }

    /// <summary>The axes summed over, or null for all.</summary>
    public IReadOnlyList<int>? Axis { get; }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        int[]? axes = Axis is null ? null : [.. Axis];
        var truePositive = LossMath.SumOver(Ops.Multiply(yPred, yTrue), axes);
        var falsePositive = LossMath.SumOver(Ops.Multiply(Ops.Subtract(1f, yTrue), yPred), axes);
        var falseNegative = LossMath.SumOver(Ops.Multiply(yTrue, Ops.Subtract(1f, yPred)), axes);
        var denominator = Ops.Add(Ops.Add(Ops.Add(truePositive, Ops.Scale(falsePositive, Alpha)), Ops.Scale(falseNegative, Beta)), Keras.Config.Epsilon);
        return Ops.Subtract(1f, Ops.Divide(truePositive, denominator));
    }
}
