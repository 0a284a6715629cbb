using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>Shared body of the accuracy metrics: one device kernel adds the batch's correct count.</summary>
/// <param name="kind">Which accuracy.</param>
/// <param name="name">Metric name.</param>
public abstract class AccuracyMetric(AccuracyKind kind, string name) : PredictionMetric(name)
{
    /// <summary>Which accuracy this is.</summary>
    public AccuracyKind Kind { get; private protected set; } = kind;

    internal override DType TargetDType => Kind == AccuracyKind.SparseCategorical ? DType.Int32 : DType.Float32;

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        int cols = yPred.Rank == 0 ? 1 : yPred.Dims[^1], rows = Shapes.Rows(yPred.Dims);
        yPred.Backend.AccuracyCount(Kind, yPred.Buffer, yTrue.Buffer, rows, cols, Total(yPred.Backend).Buffer);
        AddCount(rows);
    }
}

/// <summary><c>argmax(y_pred) == y_true</c> for integer labels (Keras' <c>SparseCategoricalAccuracy</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class SparseCategoricalAccuracy(string name = "sparse_categorical_accuracy")
    : AccuracyMetric(AccuracyKind.SparseCategorical, name);

/// <summary><c>argmax(y_pred) == argmax(y_true)</c> for one-hot targets (Keras' <c>CategoricalAccuracy</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class CategoricalAccuracy(string name = "categorical_accuracy")
    : AccuracyMetric(AccuracyKind.Categorical, name);

/// <summary><c>(y_pred &gt; 0.5) == y_true</c> averaged over the last axis (Keras' <c>BinaryAccuracy</c>).</summary>
/// <param name="name">Metric name.</param>
public sealed class BinaryAccuracy(string name = "binary_accuracy")
    : AccuracyMetric(AccuracyKind.Binary, name);

/// <summary>
/// The string <c>"accuracy"</c>: Keras picks binary accuracy when the prediction's last axis is 1, sparse categorical
/// accuracy when the targets have lower rank (or a last axis of 1 against several classes), categorical otherwise.
/// </summary>
internal sealed class AutoAccuracy(string name) : AccuracyMetric(AccuracyKind.Categorical, name)
{
    internal override void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets)
    {
        int predLast = predictionShape.Length == 0 ? 1 : predictionShape[^1];
        int targetLast = targetShape.Length == 0 ? 1 : targetShape[^1];
        bool isBinary = predLast == 1;
        bool isSparse = sparseTargets || targetShape.Length < predictionShape.Length || (targetLast == 1 && predLast > 1);
        Kind = isBinary ? AccuracyKind.Binary : isSparse ? AccuracyKind.SparseCategorical : AccuracyKind.Categorical;
    }
}
