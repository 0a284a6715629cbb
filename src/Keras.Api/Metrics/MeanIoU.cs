using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>The IoU averaged over every class (Keras' <c>MeanIoU</c>).</summary>
/// <param name="numClasses">Number of classes.</param>
/// <param name="name">Metric name.</param>
/// <param name="ignoreClass">A label id left out of the matrix.</param>
/// <param name="sparseYTrue">Whether labels are class ids (else reduced by argmax).</param>
/// <param name="sparseYPred">Whether predictions are class ids (else reduced by argmax).</param>
/// <param name="dtype">Int32 (Keras' default: weights truncated) or Float32.</param>
public sealed class MeanIoU(int numClasses, string name = "mean_io_u", int? ignoreClass = null, bool sparseYTrue = true,
    bool sparseYPred = true, DType dtype = DType.Int32)
    : IoU(numClasses, [.. Enumerable.Range(0, Math.Max(numClasses, 1))], name, ignoreClass, sparseYTrue, sparseYPred, dtype)
{
    internal override PredictionMetric CloneWithName(string name) => new MeanIoU(NumClasses, name, IgnoreClass, SparseYTrue, SparseYPred, DType);
}
