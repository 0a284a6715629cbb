using System.Collections;

namespace KerasGpu.Callbacks;

/// <summary>
/// Metric values passed to callbacks, in Keras' order (compiled metrics, then loss, then <c>val_*</c>). Batch logs
/// are lazy: values are read from the device the first time someone looks at them.
/// </summary>
public sealed class Logs : IReadOnlyDictionary<string, double>
{
    private readonly Func<IReadOnlyList<KeyValuePair<string, double>>>? _read;
    private List<KeyValuePair<string, double>>? _values;

    /// <summary>Empty logs.</summary>
    public static Logs Empty { get; } = new([]);

    /// <summary>Logs with known values.</summary>
    public Logs(IEnumerable<KeyValuePair<string, double>> values) => _values = [.. values];

    internal Logs(Func<IReadOnlyList<KeyValuePair<string, double>>> read) => _read = read;

    /// <summary>True once the values have been read (always, for eager logs).</summary>
    public bool IsMaterialized => _values is not null;

    /// <summary>The values in order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Items => _values ??= [.. _read!()];

    /// <inheritdoc />
    public double this[string key] => TryGetValue(key, out double v) ? v : throw new KeyNotFoundException($"No log named \"{key}\"; logs have: {string.Join(", ", Keys)}.");
    /// <inheritdoc />
    public IEnumerable<string> Keys => Items.Select(p => p.Key);
    /// <inheritdoc />
    public IEnumerable<double> Values => Items.Select(p => p.Value);
    /// <inheritdoc />
    public int Count => Items.Count;
    /// <inheritdoc />
    public bool ContainsKey(string key) => Items.Any(p => p.Key == key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out double value)
    {
        foreach (var p in Items) if (p.Key == key) { value = p.Value; return true; }
        value = 0;
        return false;
    }

    /// <summary>Sets a value as Keras' <c>logs[key] = value</c> does: replaced in place if present, else appended, so
    /// callbacks later in the list (History last) see it.</summary>
    internal void Set(string key, double value)
    {
        if (ReferenceEquals(this, Empty)) throw new InvalidOperationException("The shared empty logs cannot be written to.");
        var items = _values ??= [.. _read!()];
        int i = items.FindIndex(p => p.Key == key);
        if (i >= 0) items[i] = new(key, value);
        else items.Add(new(key, value));
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => Items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(" - ", Items.Select(p => $"{p.Key}: {p.Value:0.####}"));
}
