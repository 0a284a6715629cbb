namespace KerasGpu.Losses;

/// <summary>Mean squared logarithmic error over the last axis, <c>mean((log(max(p, ε) + 1) − log(max(t, ε) + 1))²)</c> (Keras' <c>keras.losses.MeanSquaredLogarithmicError</c>).</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class MeanSquaredLogarithmicError(string reduction = "sum_over_batch_size", string name = "mean_squared_logarithmic_error") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var eps = Ops.Scalar(yPred.Backend, Keras.Config.Epsilon);
        var first = Ops.Log1p(Ops.Maximum(yPred, eps));
        var second = Ops.Log1p(Ops.Maximum(yTrue, eps));
        return Ops.Mean(Ops.Square(Ops.Subtract(first, second)), [-1]);
    }
}
