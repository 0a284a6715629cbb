using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// Mean categorical cross-entropy of integer class targets (Keras' <c>SparseCategoricalCrossentropy</c> metric), through
/// the fused loss kernels (probabilities renormalised and clipped to <c>[ε, 1 − ε]</c>, or logits via log-softmax).
/// </summary>
/// <param name="name">Metric name.</param>
/// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
public sealed class SparseCategoricalCrossentropy(string name = "sparse_categorical_crossentropy", bool fromLogits = false) : MeanMetricWrapper(name)
{
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    internal override DType TargetDType => DType.Int32;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var p = MetricOps.AsFloat(yPred);
        int[] rowShape = p.Rank == 0 ? [] : p.Dims[..^1];
        if (p.Rank == 0 || yTrue.Size != Shapes.Size(rowShape))
            throw new ArgumentException($"SparseCategoricalCrossentropy expects one class index per row of the predictions; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        var labels = yTrue.DType == DType.Int32 ? yTrue : Ops.Cast(yTrue, DType.Int32);
        return FromLogits ? Ops.SoftmaxCrossEntropy(p, labels, TargetKind.SparseIndex) : Ops.CrossEntropy(p, labels, TargetKind.SparseIndex, MetricOps.Epsilon);
    }

    internal override PredictionMetric CloneWithName(string name) => new SparseCategoricalCrossentropy(name, FromLogits);
}
