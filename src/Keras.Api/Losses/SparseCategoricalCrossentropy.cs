using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Cross-entropy between integer labels and predictions (Keras' <c>keras.losses.SparseCategoricalCrossentropy</c>).
/// With <paramref name="fromLogits"/> the predictions are raw scores and a fused softmax-cross-entropy kernel is used;
/// otherwise they are probabilities, renormalised and clipped to <c>[1e−7, 1 − 1e−7]</c> as Keras does.
/// </summary>
/// <param name="fromLogits">Whether predictions are logits.</param>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false, string reduction = "sum_over_batch_size",
    string name = "sparse_categorical_crossentropy") : Loss(name, reduction)
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    internal override DType TargetDType => DType.Int32;

    internal override int[] TargetShape(int[] predictionShape) => predictionShape[..^1];

    internal override void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        base.ValidateTargets(targets, predictionShape);
        Labels.CheckClassIndices(targets, predictionShape[^1]);
    }

    internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred) => FromLogits
        ? Ops.SoftmaxCrossEntropy(yPred, yTrue, TargetKind.SparseIndex)
        : Ops.CrossEntropy(yPred, yTrue, TargetKind.SparseIndex, Keras.Config.Epsilon);
}
