using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// The accuracies that have a fused counting kernel (binary, categorical, sparse categorical): an unweighted batch of
/// rank-2 predictions goes through the one-launch <c>AccuracyCount</c> kernel; anything else (sample weights, other
/// ranks, float class indices) through the metric function composed from Ops.
/// </summary>
/// <param name="name">Metric name.</param>
public abstract class AccuracyMetric(string name) : MeanMetricWrapper(name)
{
    /// <summary>Which accuracy this is (for <c>"accuracy"</c>, the one resolved from the shapes).</summary>
    public abstract AccuracyKind Kind { get; }

    /// <summary>Whether the counting kernel computes exactly this metric (not for a custom binary threshold).</summary>
    private protected virtual bool KernelServes => true;

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (sampleWeight is null && KernelServes && yPred.Rank == 2 && FitsKernel(Kind, yTrue, yPred))
        {
            var backend = BackendOf(yTrue, yPred);
            int rows = yPred.Dims[0], cols = yPred.Dims[1];
            AccumulateCounted(backend, total => backend.AccuracyCount(Kind, yPred.Buffer, yTrue.Buffer, rows, cols, total), rows);
            return;
        }
        base.UpdateState(yTrue, yPred, sampleWeight);
    }

    private static bool FitsKernel(AccuracyKind kind, Tensor yTrue, Tensor yPred) => kind == AccuracyKind.SparseCategorical
        ? yTrue.DType == DType.Int32 && yTrue.Size == yPred.Dims[0] && yTrue.Rank <= 2
        : yTrue.DType == DType.Float32 && Shapes.Equal(yTrue.Dims, yPred.Dims);
}
