using KerasGpu.Utils;
namespace KerasGpu.Metrics;

/// <summary>
/// Mean binary cross-entropy over the last axis (Keras' <c>BinaryCrossentropy</c> metric): probabilities are clipped to
/// <c>[ε, 1 − ε]</c>; logits use the exact <c>softplus(z) − t·z</c>.
/// </summary>
public sealed class BinaryCrossentropy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">In [0, 1]: targets become <c>t·(1 − s) + s/2</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public BinaryCrossentropy(string name = "binary_crossentropy", bool fromLogits = false, float labelSmoothing = 0f) : base(name)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentException($"Argument `label_smoothing` must be in [0, 1]. Received: label_smoothing={PyFormat.ReprOfLiteral(labelSmoothing)}", nameof(labelSmoothing));
        FromLogits = fromLogits;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <summary>Label smoothing factor.</summary>
    public float LabelSmoothing { get; }

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        Tensor t = MetricOps.AsFloat(yTrue), p = MetricOps.AsFloat(yPred);
        if (!Shapes.Equal(t.Dims, p.Dims))
            throw new ArgumentException($"Arguments `target` and `output` must have the same shape. Received: target.shape={Shapes.Format(t.Shape)}, output.shape={Shapes.Format(p.Shape)}");
        if (LabelSmoothing > 0) t = Ops.ScaleAdd(t, 1f - LabelSmoothing, 0.5f * LabelSmoothing);
        Tensor bce;
        if (FromLogits) bce = Ops.Subtract(Ops.Softplus(p), Ops.Multiply(t, p));
        else
        {
            var q = Ops.Clip(p, MetricOps.Epsilon, 1f - MetricOps.Epsilon);
            bce = Ops.Negative(Ops.Add(Ops.Multiply(t, Ops.Log(q)), Ops.Multiply(Ops.Subtract(1f, t), Ops.Log(Ops.Subtract(1f, q)))));
        }
        return Ops.Mean(bce, [-1]);
    }

    internal override PredictionMetric CloneWithName(string name) => new BinaryCrossentropy(name, FromLogits, LabelSmoothing);
}
