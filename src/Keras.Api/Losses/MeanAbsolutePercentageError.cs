namespace KerasGpu.Losses;

/// <summary>Mean absolute percentage error over the last axis, <c>100·mean(|(t − p) / max(|t|, ε)|)</c> (Keras' <c>keras.losses.MeanAbsolutePercentageError</c>).</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class MeanAbsolutePercentageError(string reduction = "sum_over_batch_size", string name = "mean_absolute_percentage_error") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var scale = Ops.Maximum(Ops.Abs(yTrue), Ops.Scalar(yTrue.Backend, Keras.Config.Epsilon));
        return Ops.Scale(Ops.Mean(Ops.Abs(Ops.Divide(Ops.Subtract(yTrue, yPred), scale)), [-1]), 100f);
    }
}
