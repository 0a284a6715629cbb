namespace KerasGpu.Metrics;

/// <summary>Mean cosine similarity <c>Σ l2_norm(y_true)·l2_norm(y_pred)</c> along <c>axis</c> (Keras' <c>CosineSimilarity</c>).</summary>
/// <param name="name">Metric name.</param>
/// <param name="axis">The axis along which the similarity is computed.</param>
public sealed class CosineSimilarity(string name = "cosine_similarity", int axis = -1) : MeanMetricWrapper(name)
{
    /// <summary>The axis along which the similarity is computed.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        return Ops.Sum(Ops.Multiply(MetricOps.L2Normalize(t, Axis), MetricOps.L2Normalize(p, Axis)), [Axis]);
    }

    internal override PredictionMetric CloneWithName(string name) => new CosineSimilarity(name, Axis);
}
