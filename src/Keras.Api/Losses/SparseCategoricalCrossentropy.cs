using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Cross-entropy between integer class labels and predictions (Keras' <c>keras.losses.SparseCategoricalCrossentropy</c>).
/// From logits a fused softmax-cross-entropy kernel is used; probabilities are renormalised and clipped to
/// <c>[ε, 1 − ε]</c> as Keras does. Samples labelled <see cref="IgnoreClass"/> add nothing to the loss and, for the
/// mean reductions, are left out of the count it is divided by.
/// </summary>
public sealed class SparseCategoricalCrossentropy : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="fromLogits">Whether predictions are logits.</param>
    /// <param name="ignoreClass">A label to leave out of the loss (e.g. −1 or 255 for a "void" class), or null.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="axis">The class axis of the predictions.</param>
    /// <param name="name">Loss name.</param>
    public SparseCategoricalCrossentropy(bool fromLogits = false, int? ignoreClass = null, string reduction = "sum_over_batch_size",
        int axis = -1, string name = "sparse_categorical_crossentropy") : base(name, reduction)
    {
        FromLogits = fromLogits;
        IgnoreClass = ignoreClass;
        Axis = axis;
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The label left out of the loss, or null.</summary>
    public int? IgnoreClass { get; }

    /// <summary>The class axis of the predictions.</summary>
    public int Axis { get; }

    internal override DType TargetDType => DType.Int32;

    internal override int[] TargetShape(int[] predictionShape)
    {
        int axis = LossMath.CanonicalAxis(Axis, predictionShape.Length);
        return [.. predictionShape.Where((_, i) => i != axis)];
    }

    internal override void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        base.ValidateTargets(targets, predictionShape);
        Labels.CheckClassIndices(targets, predictionShape[LossMath.CanonicalAxis(Axis, predictionShape.Length)], IgnoreClass);
    }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        var (labels, output) = Prepare(yTrue, yPred);
        Tensor? valid = null;
        if (IgnoreClass is int ignored)
        {
            // Ignored labels are swapped for class 0 so the kernel stays in range; their losses are zeroed below.
            var floatLabels = Ops.Cast(labels, DType.Float32);
            valid = Ops.NotEqual(floatLabels, Ops.Scalar(floatLabels.Backend, ignored));
            labels = Ops.Cast(Ops.Where(valid, floatLabels, Ops.Scalar(floatLabels.Backend, 0f)), DType.Int32);
        }
        var rows = FromLogits
            ? Ops.SoftmaxCrossEntropy(output, labels, TargetKind.SparseIndex)
            : Ops.CrossEntropy(output, labels, TargetKind.SparseIndex, Keras.Config.Epsilon);
        return valid is null ? rows : Ops.Where(valid, rows, Ops.Scalar(rows.Backend, 0f));
    }

    private protected override Tensor? RowMask(Tensor yTrue, Tensor rows)
    {
        if (IgnoreClass is not int ignored) return null;
        var labels = Ops.Reshape(Ops.Cast(yTrue, DType.Float32), rows.Shape);
        return Ops.NotEqual(labels, Ops.Scalar(labels.Backend, ignored));
    }

    /// <summary>Keras' shape rules: a trailing label axis of 1 is dropped; labels must match the output without its class axis.</summary>
    private (Tensor Labels, Tensor Output) Prepare(Tensor yTrue, Tensor yPred)
    {
        if (yPred.Rank < 1)
            throw new ArgumentException($"Argument `output` must be at least rank 1. Received: output.shape={Shapes.Format(yPred.Dims)}");
        int axis = LossMath.CanonicalAxis(Axis, yPred.Rank);
        var labels = yTrue.Rank == yPred.Rank && yTrue.Dims[axis] == 1 ? Ops.Squeeze(yTrue, axis) : yTrue;
        if (!Shapes.Equal(labels.Dims, TargetShape(yPred.Dims)))
            throw new ArgumentException($"Arguments `target` and `output` must have the same shape up until the last dimension: target.shape={Shapes.Format(labels.Dims)}, output.shape={Shapes.Format(yPred.Dims)}");
        return (labels, LossMath.MoveAxisToEnd(yPred, axis));
    }
}
