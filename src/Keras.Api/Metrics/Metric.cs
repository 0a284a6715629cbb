using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// A stateful metric (Keras' <c>keras.metrics.Metric</c>). Its state lives in device tensors that each update adds to
/// with a few kernel launches and no host read; <see cref="Result"/> downloads the state (and so waits for the device)
/// and finishes the formula in float64 on the host, which the trainer does only when the progress line refreshes.
/// </summary>
public abstract class Metric : IDisposable
{
    private readonly List<MetricVariable> _variables = [];

    /// <summary>Creates a metric with a Keras name.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    protected Metric(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The name used in logs and History, e.g. <c>"accuracy"</c>.</summary>
    public string Name { get; }

    /// <summary>The metric's current value (Keras' <c>result()</c>); 0 before any update for the mean-style metrics.</summary>
    public abstract double Result();

    /// <summary>Clears the state (Keras' <c>reset_state</c>): every variable back to zero.</summary>
    public virtual void ResetState()
    {
        foreach (var v in _variables) v.Reset();
    }

    /// <summary>Declares one piece of state (Keras' <c>add_variable</c> with zeros).</summary>
    private protected MetricVariable AddVariable(string name, int[] shape)
    {
        var v = new MetricVariable(name, shape);
        _variables.Add(v);
        return v;
    }

    /// <summary>Frees the device state.</summary>
    public void Dispose()
    {
        foreach (var v in _variables) v.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Resolves a Keras metric identifier (Keras' <c>metrics.get</c>): a class name (<c>"AUC"</c>), its snake_case
    /// form (<c>"auc"</c>, <c>"top_k_categorical_accuracy"</c>) or an alias (<c>"mse"</c>, <c>"mae"</c>, <c>"mape"</c>,
    /// <c>"msle"</c>, <c>"bce"</c>), built with Keras' defaults and named after the identifier as compile does.
    /// <c>"accuracy"</c>/<c>"acc"</c> picks binary, categorical or sparse accuracy from the shapes on first use.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown identifier; the message lists the known ones.</exception>
    public static Metric Get(string name) => MetricRegistry.Get(name);

    /// <summary>Lets a Keras name stand where a metric is expected: <c>metrics: ["accuracy"]</c>.</summary>
    public static implicit operator Metric(string name) => Get(name);

    /// <inheritdoc />
    public override string ToString() => $"<{GetType().Name} name={Name}>";

    /// <summary>Keras' <c>divide_no_nan</c> in float64.</summary>
    private protected static double DivideNoNan(double a, double b) => b == 0 ? 0 : a / b;

    /// <summary>Tensors must all live on one backend.</summary>
    private protected static IBackend BackendOf(Tensor a, Tensor b, Tensor? c = null)
    {
        if (!ReferenceEquals(a.Backend, b.Backend) || (c is not null && !ReferenceEquals(a.Backend, c.Backend)))
            throw new ArgumentException($"Metric inputs must live on one backend; received {a.Backend.Name} and {(ReferenceEquals(a.Backend, b.Backend) ? c!.Backend.Name : b.Backend.Name)}.");
        return a.Backend;
    }
}
