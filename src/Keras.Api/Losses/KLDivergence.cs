namespace KerasGpu.Losses;

/// <summary>Kullback-Leibler divergence over the last axis, <c>Σ t·log(t / p)</c> with both clipped to <c>[ε, 1]</c> (Keras' <c>keras.losses.KLDivergence</c>).</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class KLDivergence(string reduction = "sum_over_batch_size", string name = "kl_divergence") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        float eps = Keras.Config.Epsilon;
        var t = Ops.Clip(yTrue, eps, 1f);
        var p = Ops.Clip(yPred, eps, 1f);
        return Ops.Sum(Ops.Multiply(t, Ops.Log(Ops.Divide(t, p))), [-1]);
    }
}
