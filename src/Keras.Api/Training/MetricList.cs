using System.Collections;
using KerasGpu.Metrics;

namespace KerasGpu.Training;

/// <summary>
/// The metrics of one output in <see cref="CompileMetrics"/>: one metric (<c>"accuracy"</c>) or a list
/// (<c>["accuracy", someMetric]</c>).
/// </summary>
public sealed class MetricList : IEnumerable<Metric>
{
    private readonly List<Metric> _metrics = [];

    /// <summary>An empty list, to fill with <see cref="Add"/>.</summary>
    public MetricList() { }

    private MetricList(Metric single)
    {
        _metrics.Add(single);
        IsSingle = true;
    }

    /// <summary>True when given as one metric rather than a list (Keras tells <c>"acc"</c> from <c>["acc"]</c>).</summary>
    public bool IsSingle { get; }

    /// <summary>The metrics.</summary>
    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>Appends a metric.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="metric"/> is null.</exception>
    public void Add(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric, "metrics");
        _metrics.Add(metric);
    }

    /// <summary>One metric.</summary>
    public static implicit operator MetricList(Metric metric) => new(metric ?? throw new ArgumentNullException(nameof(metric), "Expected metric, received `None`"));

    /// <summary>One metric by Keras name.</summary>
    public static implicit operator MetricList(string name) => new(Metric.Get(name));

    /// <inheritdoc />
    public IEnumerator<Metric> GetEnumerator() => _metrics.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => IsSingle ? _metrics[0].Name : $"[{string.Join(", ", _metrics.Select(m => m.Name))}]";
}
