using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Generalized cross-entropy for integer labels (Keras' <c>keras.losses.CategoricalGeneralizedCrossEntropy</c>, Zhang &amp;
/// Sabuncu 2018): <c>(1 − p^q)/q</c> with <c>p</c> the predicted probability of the true class; robust to noisy labels,
/// between cross-entropy (q → 0) and mean absolute error (q → 1).
/// </summary>
public sealed class CategoricalGeneralizedCrossEntropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="q">The noise parameter, in <c>(0, 1)</c>.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> outside <c>(0, 1)</c>.</exception>
    public CategoricalGeneralizedCrossEntropy(float q = 0.5f, string reduction = "sum_over_batch_size",
        string name = "categorical_generalized_cross_entropy") : base(name, reduction)
    {
        if (!(q > 0f && q < 1f)) throw new ArgumentOutOfRangeException(nameof(q), q, "q must be in the interval (0, 1)");
        Q = q;
    }

    /// <summary>The noise parameter.</summary>
    public float Q { get; }

    internal override DType TargetDType => DType.Int32;

    internal override int[] TargetShape(int[] predictionShape) => predictionShape[..^1];

    internal override void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        base.ValidateTargets(targets, predictionShape);
        Labels.CheckClassIndices(targets, predictionShape[^1]);
    }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        if (yPred.Rank < 1)
            throw new ArgumentException($"Argument `output` must be at least rank 1. Received: output.shape={Shapes.Format(yPred.Dims)}");
        var labels = yTrue.Rank == yPred.Rank && yTrue.Dims[^1] == 1 ? Ops.Squeeze(yTrue, -1) : yTrue;
        if (!Shapes.Equal(labels.Dims, yPred.Dims[..^1]))
            throw new ArgumentException($"Arguments `target` and `output` must have the same shape up until the last dimension: target.shape={Shapes.Format(labels.Dims)}, output.shape={Shapes.Format(yPred.Dims)}");
        var p = Ops.Sum(Ops.Multiply(yPred, Ops.OneHot(labels, yPred.Dims[^1])), [-1]);
        return Ops.Scale(Ops.Subtract(1f, Ops.Power(p, Q)), 1f / Q);
    }
}
