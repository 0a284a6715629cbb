namespace KerasGpu.Losses;

/// <summary>Squared hinge loss over the last axis, <c>mean(max(1 − t·p, 0)²)</c> (Keras' <c>keras.losses.SquaredHinge</c>). Targets are −1/1; 0/1 targets are converted to −1/1 when every target is 0 or 1.</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class SquaredHinge(string reduction = "sum_over_batch_size", string name = "squared_hinge") : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var t = LossMath.HingeLabels(yTrue);
        return Ops.Mean(Ops.Square(Ops.Relu(Ops.Subtract(1f, Ops.Multiply(t, yPred)))), [-1]);
    }
}
