using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>The IoU of one-hot labels averaged over every class (Keras' <c>OneHotMeanIoU</c>).</summary>
/// <param name="numClasses">Number of classes.</param>
/// <param name="name">Metric name.</param>
/// <param name="ignoreClass">A label id left out of the matrix.</param>
/// <param name="sparseYPred">Whether predictions are class ids (default: scores).</param>
/// <param name="dtype">Int32 (Keras' default: weights truncated) or Float32.</param>
public sealed class OneHotMeanIoU(int numClasses, string name = "one_hot_mean_io_u", int? ignoreClass = null, bool sparseYPred = false,
    DType dtype = DType.Int32)
    : IoU(numClasses, [.. Enumerable.Range(0, Math.Max(numClasses, 1))], name, ignoreClass, sparseYTrue: false, sparseYPred, dtype)
{
    internal override PredictionMetric CloneWithName(string name) => new OneHotMeanIoU(NumClasses, name, IgnoreClass, SparseYPred, DType);
}
