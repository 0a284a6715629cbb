using System.Collections;
using KerasGpu.Metrics;

namespace KerasGpu.Training;

/// <summary>
/// The <c>metrics</c> argument of <see cref="Model.Compile"/>. For a single-output model every metric applies to the
/// output (<c>metrics: ["accuracy"]</c>). For several outputs: a list with one entry per output, each a metric or a
/// list (<c>metrics: [["accuracy"], ["mse"]]</c> or <c>["accuracy", "mse"]</c> for two outputs); a dictionary by output
/// name (<c>metrics: new() { ["class"] = "accuracy", ["value"] = ["mse"] }</c>); or, as in Keras 2, a flat list whose
/// length differs from the output count, applied to every output.
/// </summary>
public sealed class CompileMetrics : IEnumerable<MetricList>
{
    private readonly List<MetricList> _list = [];
    private readonly Dictionary<string, MetricList> _byName = [];

    /// <summary>An empty specification, to fill as a list (<see cref="Add"/>) or a dictionary (the indexer).</summary>
    public CompileMetrics() { }

    /// <summary>The entries, when given as a list.</summary>
    public IReadOnlyList<MetricList> ByPosition => _list;

    /// <summary>The entries by output name, when given as a dictionary (in insertion order).</summary>
    public IReadOnlyDictionary<string, MetricList> ByName => _byName;

    /// <summary>Appends an entry (list form).</summary>
    /// <exception cref="InvalidOperationException">The specification is already a dictionary.</exception>
    public void Add(MetricList metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (_byName.Count > 0) throw new InvalidOperationException("Metrics are either a list or a dictionary; these are not a list.");
        _list.Add(metrics);
    }

    /// <summary>The metrics of the output named <paramref name="outputName"/> (dictionary form).</summary>
    /// <exception cref="InvalidOperationException">Setting: the specification is already a list.</exception>
    public MetricList this[string outputName]
    {
        get => _byName[outputName];
        set
        {
            ArgumentNullException.ThrowIfNull(outputName);
            ArgumentNullException.ThrowIfNull(value);
            if (_list.Count > 0) throw new InvalidOperationException("Metrics are either a list or a dictionary; these are not a dictionary.");
            _byName[outputName] = value;
        }
    }

    /// <summary>A flat list of metrics.</summary>
    public static implicit operator CompileMetrics?(Metric[]? metrics) => FromFlat(metrics);

    /// <summary>A flat list of metrics.</summary>
    public static implicit operator CompileMetrics?(List<Metric>? metrics) => FromFlat(metrics);

    private static CompileMetrics? FromFlat(IEnumerable<Metric>? metrics)
    {
        if (metrics is null) return null;
        var spec = new CompileMetrics();
        foreach (var m in metrics) spec.Add(m);
        return spec;
    }

    /// <summary>Whether nothing was given.</summary>
    public bool IsEmpty => _list.Count == 0 && _byName.Count == 0;

    /// <summary>Every metric object given, in order.</summary>
    internal IEnumerable<Metric> AllMetrics => (_byName.Count > 0 ? _byName.Values : (IEnumerable<MetricList>)_list).SelectMany(l => l);

    /// <inheritdoc />
    public IEnumerator<MetricList> GetEnumerator() => (_byName.Count > 0 ? _byName.Values : (IEnumerable<MetricList>)_list).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => _byName.Count > 0
        ? $"{{{string.Join(", ", _byName.Select(p => $"'{p.Key}': {p.Value}"))}}}"
        : $"[{string.Join(", ", _list)}]";
}
