using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// Intersection-over-union for chosen classes (Keras' <c>IoU</c>): a weighted <c>(num_classes, num_classes)</c>
/// confusion matrix (rows: labels, columns: predictions) accumulates on the device, built as
/// <c>one_hot(labels)ᵀ · (w · one_hot(predictions))</c>; the result is the mean of <c>tp / (tp + fp + fn)</c> over the
/// target classes that occurred. Class ids outside <c>[0, num_classes)</c> (and <c>ignoreClass</c>) are left out.
/// As in Keras, the metric's dtype is integer by default, so class ids and sample weights are truncated to integers;
/// pass <c>dtype: DType.Float32</c> for fractional weights.
/// </summary>
public class IoU : PredictionMetric
{
    private readonly MetricVariable _totalCm;
    private readonly int[] _targetClassIds;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">Number of classes (the confusion matrix is that square).</param>
    /// <param name="targetClassIds">The classes whose IoU is averaged.</param>
    /// <param name="name">Metric name.</param>
    /// <param name="ignoreClass">A label id left out of the matrix.</param>
    /// <param name="sparseYTrue">Whether labels are class ids (else one-hot/scores, reduced by argmax).</param>
    /// <param name="sparseYPred">Whether predictions are class ids (else scores, reduced by argmax).</param>
    /// <param name="dtype">Int32 (Keras' default "int": weights truncated) or Float32.</param>
    /// <exception cref="ArgumentException">An argument is outside what Keras accepts.</exception>
    public IoU(int numClasses, int[] targetClassIds, string name = "io_u", int? ignoreClass = null, bool sparseYTrue = true,
        bool sparseYPred = true, DType dtype = DType.Int32) : base(name)
    {
        ArgumentNullException.ThrowIfNull(targetClassIds);
        if (numClasses <= 0) throw new ArgumentException($"Argument `num_classes` must be a positive integer. Received: num_classes={numClasses}", nameof(numClasses));
        if (targetClassIds.Length == 0) throw new ArgumentException("Argument `target_class_ids` must not be empty.", nameof(targetClassIds));
        if (targetClassIds.Max() >= numClasses)
            throw new ArgumentException($"Target class id {targetClassIds.Max()} is out of range, which is [0, {numClasses}).", nameof(targetClassIds));
        if (targetClassIds.Min() < 0)
            throw new ArgumentException($"Target class id {targetClassIds.Min()} is out of range, which is [0, {numClasses}).", nameof(targetClassIds));
        if (dtype is not (DType.Int32 or DType.Float32))
            throw new ArgumentException($"IoU metrics accumulate as int32 or float32; received dtype={dtype.KerasName()}.", nameof(dtype));
        NumClasses = numClasses;
        _targetClassIds = (int[])targetClassIds.Clone();
        IgnoreClass = ignoreClass;
        SparseYTrue = sparseYTrue;
        SparseYPred = sparseYPred;
        DType = dtype;
        _totalCm = AddVariable("total_confusion_matrix", [numClasses, numClasses]);
    }

    /// <summary>Number of classes.</summary>
    public int NumClasses { get; }

    /// <summary>The classes whose IoU is averaged.</summary>
    public IReadOnlyList<int> TargetClassIds => _targetClassIds;

    /// <summary>A label id left out (null: none).</summary>
    public int? IgnoreClass { get; }

    /// <summary>Whether labels are class ids.</summary>
    public bool SparseYTrue { get; }

    /// <summary>Whether predictions are class ids.</summary>
    public bool SparseYPred { get; }

    /// <summary>The metric's dtype: Int32 truncates class ids and weights, Float32 keeps fractional weights.</summary>
    public DType DType { get; }

    /// <summary>The predictions as class ids (before the int conversion); BinaryIoU thresholds here.</summary>
    private protected virtual Tensor PredictedClasses(Tensor yPred) => SparseYPred ? MetricOps.AsFloat(yPred) : MetricOps.ArgMax(MetricOps.AsFloat(yPred));

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var backend = BackendOf(yTrue, yPred, sampleWeight);
        using var scope = new TensorScope();
        var labels = SparseYTrue ? MetricOps.AsFloat(yTrue) : MetricOps.ArgMax(MetricOps.AsFloat(yTrue));
        var predictions = PredictedClasses(yPred);
        labels = Ops.Reshape(ToDType(labels), [-1]);
        predictions = Ops.Reshape(ToDType(predictions), [-1]);
        if (labels.Size != predictions.Size)
            throw new ArgumentException($"{GetType().Name} expects one label per prediction; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        int n = (int)labels.Size;
        Tensor weights;
        if (sampleWeight is null) weights = Ops.Fill(backend, [n], 1f);
        else
        {
            var w = Ops.Reshape(ToDType(MetricOps.AsFloat(sampleWeight)), [-1]);
            if (w.Size != 1 && w.Size != n)
                throw new ArgumentException($"sample_weight of shape {Shapes.Format(sampleWeight.Shape)} does not broadcast to the {n} labels of y_true.shape={Shapes.Format(yTrue.Shape)}.", nameof(sampleWeight));
            weights = Ops.BroadcastTo(w, [n]);
        }
        var zero = Ops.Scalar(backend, 0f);
        var classes = Ops.Scalar(backend, NumClasses);
        var inBounds = Ops.Multiply(
            Ops.Multiply(Ops.GreaterEqual(labels, zero), Ops.Less(labels, classes)),
            Ops.Multiply(Ops.GreaterEqual(predictions, zero), Ops.Less(predictions, classes)));
        if (IgnoreClass is { } ignore) inBounds = Ops.Multiply(inBounds, Ops.NotEqual(labels, Ops.Scalar(backend, ignore)));
        // Class ids index the matrix as integers (Keras casts them to int64 for the scatter).
        var labelIds = Ops.Cast(Ops.Where(inBounds, labels, zero), DType.Int32);
        var predictionIds = Ops.Cast(Ops.Where(inBounds, predictions, zero), DType.Int32);
        weights = Ops.Where(inBounds, weights, zero);
        var weightedPredictions = Ops.Multiply(Ops.OneHot(predictionIds, NumClasses), Ops.Reshape(weights, [n, 1]));
        var cm = Ops.MatMul(Ops.OneHot(labelIds, NumClasses), weightedPredictions, transposeA: true);
        _totalCm.AssignAdd(cm);
    }

    /// <summary>Keras converts inputs to the metric's dtype: truncation toward zero for "int".</summary>
    private Tensor ToDType(Tensor x) => DType == DType.Int32 ? Ops.Cast(Ops.Cast(x, DType.Int32), DType.Float32) : x;

    /// <summary>The accumulated confusion matrix (rows: labels, columns: predictions).</summary>
    public double[,] ConfusionMatrix()
    {
        var flat = _totalCm.Read();
        var cm = new double[NumClasses, NumClasses];
        for (int i = 0; i < NumClasses; i++)
            for (int j = 0; j < NumClasses; j++) cm[i, j] = flat[i * NumClasses + j];
        return cm;
    }

    /// <inheritdoc />
    public override double Result()
    {
        var cm = ConfusionMatrix();
        double eps = MetricOps.Epsilon, sum = 0, valid = 0;
        foreach (int c in _targetClassIds)
        {
            double predicted = 0, actual = 0;
            for (int k = 0; k < NumClasses; k++)
            {
                predicted += cm[k, c];
                actual += cm[c, k];
            }
            double tp = cm[c, c], denominator = predicted + actual - tp;
            if (denominator <= 1e-9) continue; // an absent class contributes 0 and is not counted
            sum += tp / (denominator + eps);
            valid++;
        }
        return sum / (valid + eps);
    }

    internal override PredictionMetric CloneWithName(string name) =>
        new IoU(NumClasses, _targetClassIds, name, IgnoreClass, SparseYTrue, SparseYPred, DType);
}
