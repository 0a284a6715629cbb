using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// Mean categorical cross-entropy of integer class targets (Keras' <c>SparseCategoricalCrossentropy</c> metric), through
/// the fused loss kernels (probabilities renormalised and clipped to <c>[ε, 1 − ε]</c>, or logits via log-softmax).
/// </summary>
public sealed class SparseCategoricalCrossentropy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
    /// <param name="ignoreClass">A class id whose samples get a value of 0 and, when sample weights are given, a weight
    /// of 0 (as Keras, which masks the weights only when there are weights).</param>
    public SparseCategoricalCrossentropy(string name = "sparse_categorical_crossentropy", bool fromLogits = false, int? ignoreClass = null) : base(name)
    {
        FromLogits = fromLogits;
        IgnoreClass = ignoreClass;
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The class id that is ignored (null: none).</summary>
    public int? IgnoreClass { get; }

    internal override DType TargetDType => DType.Int32;

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (IgnoreClass is null || sampleWeight is null)
        {
            base.UpdateState(yTrue, yPred, sampleWeight);
            return;
        }
        using var scope = new TensorScope();
        var (valid, weight) = MetricOps.SqueezeOrExpandToSameRank(Valid(Labels(yTrue, yPred)), MetricOps.AsFloat(sampleWeight));
        base.UpdateState(yTrue, yPred, Ops.Multiply(weight, valid));
    }

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var p = MetricOps.AsFloat(yPred);
        var labels = Labels(yTrue, yPred);
        Tensor? valid = null;
        if (IgnoreClass is not null)
        {
            // Ignored samples are computed on class 0 and a zero row, then replaced by 0.
            valid = Valid(labels);
            labels = Ops.Where(valid, labels, Ops.Scalar(labels.Backend, 0f));
            p = Ops.Where(Ops.ExpandDims(valid, -1), p, Ops.Scalar(p.Backend, 0f));
        }
        var indices = Ops.Cast(labels, DType.Int32);
        var loss = FromLogits ? Ops.SoftmaxCrossEntropy(p, indices, TargetKind.SparseIndex) : Ops.CrossEntropy(p, indices, TargetKind.SparseIndex, MetricOps.Epsilon);
        return valid is null ? loss : Ops.Where(valid, loss, Ops.Scalar(loss.Backend, 0f));
    }

    /// <summary>The labels as float, shaped like the prediction rows.</summary>
    private static Tensor Labels(Tensor yTrue, Tensor yPred)
    {
        int[] rowShape = yPred.Rank == 0 ? [] : yPred.Dims[..^1];
        if (yPred.Rank == 0 || yTrue.Size != Shapes.Size(rowShape))
            throw new ArgumentException($"SparseCategoricalCrossentropy expects one class index per row of the predictions; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        return Ops.Reshape(MetricOps.AsFloat(yTrue), rowShape);
    }

    private Tensor Valid(Tensor labels) => Ops.NotEqual(labels, Ops.Scalar(labels.Backend, IgnoreClass!.Value));

    internal override PredictionMetric CloneWithName(string name) => new SparseCategoricalCrossentropy(name, FromLogits, IgnoreClass);
}
