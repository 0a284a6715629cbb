namespace KerasGpu.Metrics;

/// <summary>Keras' <c>reduce_to_samplewise_values</c>: how values and sample weights meet in Mean, Sum and the
/// MeanMetricWrapper family.</summary>
internal static class SampleWeighting
{
    /// <summary>
    /// Aligns <paramref name="sampleWeight"/> with <paramref name="values"/> (squeeze/expand a trailing 1), reduces the
    /// values' extra axes to the weight's rank, multiplies by the broadcast weight, and reduces both to one value per
    /// sample (axes 1...). <paramref name="sum"/> picks the reduction: sum (for <c>Sum</c>) or mean.
    /// </summary>
    /// <exception cref="ArgumentException">The weight does not broadcast to the values.</exception>
    public static (Tensor Values, Tensor? Weight) ToSamplewise(Tensor values, Tensor? sampleWeight, bool sum)
    {
        values = MetricOps.AsFloat(values);
        Tensor Reduce(Tensor t, int from) => from >= t.Rank ? t
            : sum ? Ops.Sum(t, MetricOps.AxesFrom(from, t.Rank)) : Ops.Mean(t, MetricOps.AxesFrom(from, t.Rank));
        Tensor? weight = null;
        if (sampleWeight is not null)
        {
            if (!ReferenceEquals(sampleWeight.Backend, values.Backend))
                throw new ArgumentException($"sample_weight lives on {sampleWeight.Backend.Name}, the values on {values.Backend.Name}.");
            (values, weight) = MetricOps.SqueezeOrExpandToSameRank(values, MetricOps.AsFloat(sampleWeight));
            int weightRank = weight.Rank;
            values = Reduce(values, weightRank);
            try
            {
                weight = Ops.BroadcastTo(weight, values.Shape);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"sample_weight of shape {Shapes.Format(sampleWeight.Shape)} does not broadcast to the per-sample values of shape {Shapes.Format(values.Shape)}.", nameof(sampleWeight), e);
            }
            values = Ops.Multiply(values, weight);
            if (weightRank > 1) weight = Reduce(weight, 1);
        }
        return (Reduce(values, 1), weight);
    }
}
