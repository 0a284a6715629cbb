using KerasGpu.Losses;

namespace KerasGpu.Metrics;

/// <summary>
/// A metric that is the running mean of a loss's per-sample values, as Keras builds its loss-named metrics
/// (<c>MeanMetricWrapper(fn=losses.hinge)</c> and the like): the formula lives once, in the loss.
/// </summary>
public abstract class LossMeanMetric : MeanMetricWrapper
{
    private readonly Loss _loss;

    /// <summary>Creates the metric over <paramref name="loss"/>'s per-sample values.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="loss">The loss whose per-sample values are averaged (its reduction is not used).</param>
    private protected LossMeanMetric(string name, Loss loss) : base(name) => _loss = loss;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        return _loss.ComputeRowLoss(t, p);
    }
}
