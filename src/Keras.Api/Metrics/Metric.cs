using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// A stateful metric (Keras' <c>keras.metrics.Metric</c>): updates accumulate on the device; <see cref="Result"/>
/// reads them back (and so waits for the device), which the trainer does only when the progress line refreshes.
/// </summary>
public abstract class Metric : IDisposable
{
    private Tensor? _total;
    private double _count;

    /// <summary>Creates a metric with a Keras name.</summary>
    protected Metric(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The name used in logs and History, e.g. <c>"accuracy"</c>.</summary>
    public string Name { get; }

    /// <summary>The metric's current value: the device total divided by the host-side count (0 before any update).</summary>
    public virtual double Result()
    {
        if (_total is null || _count == 0) return 0;
        return _total.Item() / _count;
    }

    /// <summary>Clears the state (Keras' <c>reset_state</c>).</summary>
    public virtual void ResetState()
    {
        if (_total is not null) _total.Backend.Fill(_total.Buffer, 0f);
        _count = 0;
    }

    /// <summary>The one-element device accumulator, created on the backend of the first update.</summary>
    private protected Tensor Total(IBackend backend)
    {
        if (_total is null || !ReferenceEquals(_total.Backend, backend))
        {
            _total?.Dispose();
            _total = Tensor.Empty(backend, [1], scoped: false);
            backend.Fill(_total.Buffer, 0f);
        }
        return _total;
    }

    /// <summary>Adds to the host-side count (samples or weights seen).</summary>
    private protected void AddCount(double n) => _count += n;

    /// <summary>Frees the device accumulator.</summary>
    public void Dispose()
    {
        _total?.Dispose();
        _total = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Resolves a Keras metric name. <c>"accuracy"</c>/<c>"acc"</c> picks binary, categorical or sparse
    /// accuracy from the target and prediction shapes on first use, as Keras' compile does.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Metric Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "accuracy" or "acc" => new AutoAccuracy(name),
            "sparse_categorical_accuracy" => new SparseCategoricalAccuracy(),
            "categorical_accuracy" => new CategoricalAccuracy(),
            "binary_accuracy" => new BinaryAccuracy(),
            _ => throw new ArgumentException($"Could not interpret metric identifier: {name}. Known metrics: accuracy, acc, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy.", nameof(name)),
        };
    }

    /// <summary>Lets a Keras name stand where a metric is expected: <c>metrics: ["accuracy"]</c>.</summary>
    public static implicit operator Metric(string name) => Get(name);

    /// <inheritdoc />
    public override string ToString() => $"<{GetType().Name} name={Name}>";
}

/// <summary>A running, weighted mean of values (Keras' <c>keras.metrics.Mean</c>); the trainer tracks the loss with one.</summary>
/// <param name="name">Metric name.</param>
public sealed class Mean(string name = "mean") : Metric(name)
{
    /// <summary>Adds <c>weight · mean(values)</c> to the total and <paramref name="weight"/> to the count.</summary>
    public void UpdateState(Tensor values, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(values);
        var total = Total(values.Backend);
        var mean = values.Size == 1 ? values : Ops.Mean(values);
        values.Backend.ScaleAdd(mean.Buffer, (float)weight, total.Buffer, 1f, total.Buffer, 1);
        AddCount(weight);
    }
}

/// <summary>A metric of targets and predictions, averaged over samples (Keras' <c>MeanMetricWrapper</c> family).</summary>
/// <param name="name">Metric name.</param>
public abstract class PredictionMetric(string name) : Metric(name)
{
    /// <summary>Accumulates one batch.</summary>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred);

    /// <summary>The dtype targets must have on the device for this metric (int32 for sparse metrics).</summary>
    internal virtual DType TargetDType => DType.Float32;

    /// <summary>Fixes choices that depend on target/prediction shapes (only "accuracy" has any).</summary>
    internal virtual void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets) { }
}
