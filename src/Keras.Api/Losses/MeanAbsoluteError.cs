namespace KerasGpu.Losses;

/// <summary>Mean absolute error over the last axis, <c>mean(|t − p|)</c> (Keras' <c>keras.losses.MeanAbsoluteError</c>).</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class MeanAbsoluteError(string reduction = "sum_over_batch_size", string name = "mean_absolute_error") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        return Ops.Mean(Ops.Abs(Ops.Subtract(yTrue, yPred)), [-1]);
    }
}
