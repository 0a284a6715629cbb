using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// A metric that is the running weighted mean of a per-sample function of targets and predictions (Keras'
/// <c>MeanMetricWrapper</c>): <see cref="Values"/> gives the values, which are then averaged as <see cref="Mean"/> does.
/// </summary>
public abstract class MeanMetricWrapper : PredictionMetric
{
    private readonly MetricVariable _total, _count;

    /// <summary>Creates the metric with its <c>total</c> and <c>count</c> state.</summary>
    /// <param name="name">Metric name.</param>
    protected MeanMetricWrapper(string name) : base(name)
    {
        _total = AddVariable("total", []);
        _count = AddVariable("count", []);
    }

    /// <summary>The metric function: values per sample (or per element), batch first, on the device.</summary>
    /// <exception cref="ArgumentException">Targets and predictions do not fit together.</exception>
    protected abstract Tensor Values(Tensor yTrue, Tensor yPred);

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        BackendOf(yTrue, yPred);
        using var scope = new TensorScope();
        Mean.Accumulate(Values(yTrue, yPred), sampleWeight, _total, _count);
    }

    /// <summary>
    /// For metrics with a fused counting kernel: <paramref name="addToTotal"/> adds the batch's summed values straight
    /// into the total's device buffer, and <paramref name="samples"/> is added to the count.
    /// </summary>
    private protected void AccumulateCounted(IBackend backend, Action<IDeviceBuffer> addToTotal, int samples)
    {
        addToTotal(_total.On(backend).Buffer);
        _count.AssignAdd(backend, samples);
    }

    /// <inheritdoc />
    public override double Result() => DivideNoNan(_total.Read()[0], _count.Read()[0]);
}
