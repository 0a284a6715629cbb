namespace KerasGpu.Metrics;

/// <summary>
/// A running, weighted mean of values (Keras' <c>keras.metrics.Mean</c>): <c>total += Σ values·w</c>,
/// <c>count += Σ w</c> (or the number of samples), result <c>total / count</c> (0 when count is 0).
/// The trainer tracks the loss with one.
/// </summary>
public sealed class Mean : Metric
{
    private readonly MetricVariable _total, _count;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">Metric name.</param>
    public Mean(string name = "mean") : base(name)
    {
        _total = AddVariable("total", []);
        _count = AddVariable("count", []);
    }

    /// <summary>
    /// Adds a batch of values: each sample's values are averaged over their non-batch axes, multiplied by its weight
    /// and summed into the total; the weights (or the number of samples) into the count.
    /// </summary>
    /// <param name="values">Values, batch first (a scalar counts as one sample).</param>
    /// <param name="sampleWeight">Optional weights, e.g. one per sample.</param>
    public void UpdateState(Tensor values, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var scope = new TensorScope();
        Accumulate(values, sampleWeight, _total, _count);
    }

    /// <summary>
    /// Adds <c>weight · mean(values)</c> to the total and <paramref name="weight"/> to the count (Keras' scalar
    /// <c>sample_weight</c>); the trainer passes a batch's mean loss with the batch size.
    /// </summary>
    public void UpdateState(Tensor values, double weight)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var scope = new TensorScope();
        var mean = MetricOps.AsFloat(values.Size == 1 ? values : Ops.Mean(values));
        var total = Ops.Scale(mean, (float)weight);
        _total.AssignAdd(total);
        _count.AssignAdd(values.Backend, weight);
    }

    /// <inheritdoc />
    public override double Result() => DivideNoNan(_total.Read()[0], _count.Read()[0]);

    /// <summary>Keras' Mean update on the given state: computes every delta first, then adds them.</summary>
    internal static void Accumulate(Tensor values, Tensor? sampleWeight, MetricVariable total, MetricVariable count)
    {
        var (samplewise, weight) = SampleWeighting.ToSamplewise(values, sampleWeight, sum: false);
        var totalDelta = Ops.Sum(samplewise);
        var countDelta = weight is null ? null : Ops.Sum(weight);
        total.AssignAdd(totalDelta);
        if (countDelta is not null) count.AssignAdd(countDelta);
        else count.AssignAdd(values.Backend, samplewise.Rank >= 1 ? samplewise.Dims[0] : 1);
    }
}
