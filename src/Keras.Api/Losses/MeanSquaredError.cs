namespace KerasGpu.Losses;

/// <summary>Mean of squared errors over the last axis (Keras' <c>keras.losses.MeanSquaredError</c>).</summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class MeanSquaredError(string reduction = "sum_over_batch_size", string name = "mean_squared_error")
    : Loss(name, reduction)
{
    internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred) => Ops.SquaredError(yPred, yTrue);
}
