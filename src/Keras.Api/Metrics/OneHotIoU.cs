using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>IoU for one-hot labels (Keras' <c>OneHotIoU</c>): labels and predictions reduced by argmax.</summary>
/// <param name="numClasses">Number of classes.</param>
/// <param name="targetClassIds">The classes whose IoU is averaged.</param>
/// <param name="name">Metric name.</param>
/// <param name="ignoreClass">A label id left out of the matrix.</param>
/// <param name="sparseYPred">Whether predictions are class ids (default: scores).</param>
/// <param name="dtype">Int32 (Keras' default: weights truncated) or Float32.</param>
public sealed class OneHotIoU(int numClasses, int[] targetClassIds, string name = "one_hot_io_u", int? ignoreClass = null,
    bool sparseYPred = false, DType dtype = DType.Int32)
    : IoU(numClasses, targetClassIds, name, ignoreClass, sparseYTrue: false, sparseYPred, dtype)
{
    internal override PredictionMetric CloneWithName(string name) => new OneHotIoU(NumClasses, [.. TargetClassIds], name, IgnoreClass, SparseYPred, DType);
}
