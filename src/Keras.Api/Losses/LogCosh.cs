namespace KerasGpu.Losses;

/// <summary>Logarithm of the hyperbolic cosine of the error, averaged over the last axis (Keras' <c>keras.losses.LogCosh</c>), computed stably as <c>x + softplus(−2x) − log 2</c> with <c>x = p − t</c>.</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class LogCosh(string reduction = "sum_over_batch_size", string name = "log_cosh") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var x = Ops.Subtract(yPred, yTrue);
        var logCosh = Ops.Subtract(Ops.Add(x, Ops.Softplus(Ops.Scale(x, -2f))), MathF.Log(2f));
        return Ops.Mean(logCosh, [-1]);
    }
}
