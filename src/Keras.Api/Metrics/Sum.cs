namespace KerasGpu.Metrics;

/// <summary>The running, weighted sum of values (Keras' <c>keras.metrics.Sum</c>).</summary>
public sealed class Sum : Metric
{
    private readonly MetricVariable _total;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">Metric name.</param>
    public Sum(string name = "sum") : base(name) => _total = AddVariable("total", []);

    /// <summary>Adds <c>Σ values·w</c> (each sample's values summed over their non-batch axes, times its weight).</summary>
    /// <param name="values">Values, batch first.</param>
    /// <param name="sampleWeight">Optional weights, e.g. one per sample.</param>
    public void UpdateState(Tensor values, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var scope = new TensorScope();
        var (samplewise, _) = SampleWeighting.ToSamplewise(values, sampleWeight, sum: true);
        _total.AssignAdd(Ops.Sum(samplewise));
    }

    /// <inheritdoc />
    public override double Result() => _total.Read()[0];
}
