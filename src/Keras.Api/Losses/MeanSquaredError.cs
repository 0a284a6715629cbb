namespace KerasGpu.Losses;

/// <summary>
/// Mean of squared errors over the last axis, <c>mean((t − p)²)</c> (Keras' <c>keras.losses.MeanSquaredError</c>).
/// Targets of the predictions' shape take a fused kernel; other (broadcastable) shapes are composed from ops.
/// </summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class MeanSquaredError(string reduction = "sum_over_batch_size", string name = "mean_squared_error")
    : Loss(name, reduction)
{
    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred) =>
        Shapes.Equal(yTrue.Dims, yPred.Dims)
            ? Ops.SquaredError(yPred, yTrue)
            : Ops.Mean(Ops.Square(Ops.Subtract(yTrue, yPred)), [-1]);
}
