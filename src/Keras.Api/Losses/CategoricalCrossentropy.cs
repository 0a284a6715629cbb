using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Cross-entropy between one-hot (or soft) targets and predictions (Keras' <c>keras.losses.CategoricalCrossentropy</c>).
/// With <paramref name="fromLogits"/> a fused softmax-cross-entropy kernel is used; otherwise predictions are
/// renormalised and clipped to <c>[1e−7, 1 − 1e−7]</c> as Keras does.
/// </summary>
/// <param name="fromLogits">Whether predictions are logits.</param>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class CategoricalCrossentropy(bool fromLogits = false, string reduction = "sum_over_batch_size",
    string name = "categorical_crossentropy") : Loss(name, reduction)
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>Targets must have exactly the output's shape (as Keras checks); an equal element count is not enough.</summary>
    internal override void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        if (!Shapes.Equal(targets.Shape, predictionShape)) throw ShapeMismatch(targets, predictionShape);
    }

    internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred) => FromLogits
        ? Ops.SoftmaxCrossEntropy(yPred, yTrue, TargetKind.Dense)
        : Ops.CrossEntropy(yPred, yTrue, TargetKind.Dense, Keras.Config.Epsilon);
}
