using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// IoU of binary data (Keras' <c>BinaryIoU</c>): predictions at or above <c>threshold</c> are class 1, others class 0;
/// the IoU of the <c>targetClassIds</c> among {0, 1} is averaged.
/// </summary>
public sealed class BinaryIoU : IoU
{
    /// <summary>Creates the metric.</summary>
    /// <param name="targetClassIds">Which of the classes 0 and 1 are averaged (default both).</param>
    /// <param name="threshold">Predictions at or above it are class 1.</param>
    /// <param name="name">Metric name.</param>
    /// <param name="dtype">Int32 (Keras' default: weights truncated) or Float32.</param>
    public BinaryIoU(int[]? targetClassIds = null, float threshold = 0.5f, string name = "binary_io_u", DType dtype = DType.Int32)
        : base(2, targetClassIds ?? [0, 1], name, dtype: dtype) => Threshold = threshold;

    /// <summary>Predictions at or above it are class 1.</summary>
    public float Threshold { get; }

    private protected override Tensor PredictedClasses(Tensor yPred) =>
        Ops.GreaterEqual(MetricOps.AsFloat(yPred), Ops.Scalar(yPred.Backend, Threshold));

    internal override PredictionMetric CloneWithName(string name) => new BinaryIoU([.. TargetClassIds], Threshold, name, DType);
}
