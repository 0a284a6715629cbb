using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>How often <c>argmax(y_pred) == y_true</c> for integer labels (Keras' <c>SparseCategoricalAccuracy</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class SparseCategoricalAccuracy(string name = "sparse_categorical_accuracy") : AccuracyMetric(name)
{
    internal override DType TargetDType => DType.Int32;

    /// <inheritdoc />
    public override AccuracyKind Kind => AccuracyKind.SparseCategorical;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred) => Matches(yTrue, yPred);

    internal static Tensor Matches(Tensor yTrue, Tensor yPred)
    {
        int[] labelShape = yPred.Dims[..^1];
        if (yTrue.Size != Shapes.Size(labelShape))
            throw new ArgumentException($"SparseCategoricalAccuracy expects one class index per row of the predictions; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        var labels = Ops.Reshape(MetricOps.AsFloat(yTrue), labelShape);
        return Ops.Equal(labels, MetricOps.ArgMax(MetricOps.AsFloat(yPred)));
    }

    internal override PredictionMetric CloneWithName(string name) => new SparseCategoricalAccuracy(name);
}
