using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>A metric of targets and predictions (every metric <c>Compile(metrics: ...)</c> accepts).</summary>
/// <param name="name">Metric name.</param>
public abstract class PredictionMetric(string name) : Metric(name)
{
    /// <summary>
    /// Accumulates one batch (Keras' <c>update_state(y_true, y_pred, sample_weight)</c>). Shapes are checked and every
    /// intermediate is computed before the state changes, so a bad input leaves the state as it was.
    /// </summary>
    /// <param name="yTrue">Targets.</param>
    /// <param name="yPred">Predictions.</param>
    /// <param name="sampleWeight">Optional weights, broadcastable as Keras allows (e.g. one per sample).</param>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null);

    /// <summary>The dtype targets must have on the device for this metric (int32 for sparse metrics).</summary>
    internal virtual DType TargetDType => DType.Float32;

    /// <summary>Fixes choices that depend on target/prediction shapes (only "accuracy" has any).</summary>
    internal virtual void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets) { }

    /// <summary>A fresh metric of the same kind and configuration under another name (for per-output copies).</summary>
    internal abstract PredictionMetric CloneWithName(string name);
}
