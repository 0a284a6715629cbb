namespace KerasGpu.Losses;

/// <summary>Poisson loss over the last axis, <c>mean(p − t·log(p + ε))</c> (Keras' <c>keras.losses.Poisson</c>).</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class Poisson(string reduction = "sum_over_batch_size", string name = "poisson") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var logP = Ops.Log(Ops.Add(yPred, Keras.Config.Epsilon));
        return Ops.Mean(Ops.Subtract(yPred, Ops.Multiply(yTrue, logP)), [-1]);
    }
}
