namespace KerasGpu.Callbacks;

/// <summary>Records each epoch's logs (Keras' <c>keras.callbacks.History</c>); Fit returns it.</summary>
public sealed class History : Callback
{
    private readonly Dictionary<string, List<double>> _values = [];
    private readonly List<int> _epochs = [];

    /// <summary>Per-epoch values by name, in Keras' key order: <c>history["val_loss"]</c>.</summary>
    public IReadOnlyList<double> this[string key] => _values.TryGetValue(key, out var v) ? v
        : throw new KeyNotFoundException($"History has no \"{key}\"; it has: {string.Join(", ", _values.Keys)}.");

    /// <summary>The recorded names (Keras' <c>history.history.keys()</c>).</summary>
    public IReadOnlyCollection<string> Keys => _values.Keys;

    /// <summary>The epochs recorded (0-based, as Keras' <c>history.epoch</c>).</summary>
    public IReadOnlyList<int> Epoch => _epochs;

    /// <inheritdoc />
    public override void OnTrainBegin(Logs logs)
    {
        _values.Clear();
        _epochs.Clear();
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        _epochs.Add(epoch);
        foreach (var (k, v) in logs)
        {
            if (!_values.TryGetValue(k, out var list)) _values[k] = list = [];
            list.Add(v);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(Environment.NewLine, _values.Select(p => $"{p.Key}: [{string.Join(", ", p.Value.Select(v => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)))}]"));
}
