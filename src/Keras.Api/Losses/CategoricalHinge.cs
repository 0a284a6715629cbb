namespace KerasGpu.Losses;

/// <summary>Categorical hinge loss, <c>max(neg − pos + 1, 0)</c> with <c>pos = Σ t·p</c> and <c>neg = max((1 − t)·p)</c> over the last axis (Keras' <c>keras.losses.CategoricalHinge</c>).</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class CategoricalHinge(string reduction = "sum_over_batch_size", string name = "categorical_hinge") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var pos = Ops.Sum(Ops.Multiply(yTrue, yPred), [-1]);
        var neg = Ops.Max(Ops.Multiply(Ops.Subtract(1f, yTrue), yPred), [-1]);
        return Ops.Relu(Ops.Add(Ops.Subtract(neg, pos), 1f));
    }
}
