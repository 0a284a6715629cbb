using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>How often <c>(y_pred &gt; threshold)</c> equals binary labels (Keras' <c>BinaryAccuracy</c>).</summary>
public sealed class BinaryAccuracy : AccuracyMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="threshold">Predictions above it count as 1.</param>
    public BinaryAccuracy(string name = "binary_accuracy", float threshold = 0.5f) : base(name) => Threshold = threshold;

    /// <summary>Predictions above it count as 1.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override AccuracyKind Kind => AccuracyKind.Binary;

    private protected override bool KernelServes => Threshold == 0.5f;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred) => Matches(yTrue, yPred, Threshold);

    internal static Tensor Matches(Tensor yTrue, Tensor yPred, float threshold)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        return Ops.Equal(t, Ops.Greater(p, Ops.Scalar(p.Backend, threshold)));
    }

    internal override PredictionMetric CloneWithName(string name) => new BinaryAccuracy(name, Threshold);
}
