using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// The string <c>"accuracy"</c>/<c>"acc"</c>: Keras picks binary accuracy when the prediction's last axis is 1, sparse
/// categorical accuracy when the targets have lower rank (or a last axis of 1 against several classes), categorical
/// otherwise. Compile resolves it from the data's shapes; a direct update resolves it from the first batch.
/// </summary>
internal sealed class AutoAccuracy(string name) : AccuracyMetric(name)
{
    private AccuracyKind? _kind;

    /// <summary>The accuracy chosen (categorical until resolved).</summary>
    public override AccuracyKind Kind => _kind ?? AccuracyKind.Categorical;

    internal override DType TargetDType => Kind == AccuracyKind.SparseCategorical ? DType.Int32 : DType.Float32;

    internal override void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets)
    {
        int predLast = predictionShape.Length == 0 ? 1 : predictionShape[^1];
        int targetLast = targetShape.Length == 0 ? 1 : targetShape[^1];
        bool isBinary = predLast == 1;
        bool isSparse = sparseTargets || targetShape.Length < predictionShape.Length || (targetLast == 1 && predLast > 1);
        _kind = isBinary ? AccuracyKind.Binary : isSparse ? AccuracyKind.SparseCategorical : AccuracyKind.Categorical;
    }

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (_kind is null) Resolve(yTrue.Shape, yPred.Shape, sparseTargets: false);
        base.UpdateState(yTrue, yPred, sampleWeight);
    }

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred) => Kind switch
    {
        AccuracyKind.Binary => BinaryAccuracy.Matches(yTrue, yPred, 0.5f),
        AccuracyKind.SparseCategorical => SparseCategoricalAccuracy.Matches(yTrue, yPred),
        _ => CategoricalAccuracy.Matches(yTrue, yPred),
    };

    internal override PredictionMetric CloneWithName(string name) => new AutoAccuracy(name);
}
