using KerasGpu.Utils;
using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// Mean categorical cross-entropy of one-hot (or soft) targets (Keras' <c>CategoricalCrossentropy</c> metric), through
/// the fused loss kernels: probabilities are renormalised per row and clipped to <c>[ε, 1 − ε]</c>; logits go through
/// log-softmax.
/// </summary>
public sealed class CategoricalCrossentropy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="fromLogits">Whether predictions are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">In [0, 1]: targets become <c>t·(1 − s) + s/num_classes</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public CategoricalCrossentropy(string name = "categorical_crossentropy", bool fromLogits = false, float labelSmoothing = 0f) : base(name)
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
        if (p.Rank == 0 || !Shapes.Equal(t.Dims, p.Dims))
            throw new ArgumentException($"Arguments `target` and `output` must have the same shape. Received: target.shape={Shapes.Format(t.Shape)}, output.shape={Shapes.Format(p.Shape)}");
        if (LabelSmoothing > 0) t = Ops.ScaleAdd(t, 1f - LabelSmoothing, LabelSmoothing / p.Dims[^1]);
        return FromLogits ? Ops.SoftmaxCrossEntropy(p, t, TargetKind.Dense) : Ops.CrossEntropy(p, t, TargetKind.Dense, MetricOps.Epsilon);
    }

    internal override PredictionMetric CloneWithName(string name) => new CategoricalCrossentropy(name, FromLogits, LabelSmoothing);
}
