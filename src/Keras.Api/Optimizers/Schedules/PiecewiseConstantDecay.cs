namespace KerasGpu.Optimizers.Schedules;

/// <summary>
/// A piecewise constant learning rate (Keras' <c>keras.optimizers.schedules.PiecewiseConstantDecay</c>):
/// <c>values[0]</c> while <c>step ≤ boundaries[0]</c>, <c>values[i]</c> while <c>boundaries[i−1] &lt; step ≤ boundaries[i]</c>,
/// and <c>values[^1]</c> once <c>step &gt; boundaries[^1]</c>.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule.</summary>
    /// <param name="boundaries">Strictly increasing steps; at least one.</param>
    /// <param name="values">One more value than boundaries: the learning rate of each interval.</param>
    /// <param name="name">Keras' name, default <c>"PiecewiseConstant"</c>.</param>
    /// <exception cref="ArgumentException">The lengths do not match, there is no boundary, the boundaries are not
    /// strictly increasing, or a value is not finite.</exception>
    public PiecewiseConstantDecay(IReadOnlyList<long> boundaries, IReadOnlyList<double> values, string name = "PiecewiseConstant")
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (boundaries.Count != values.Count - 1)
            throw new ArgumentException("The length of boundaries should be 1 less than the length of values. Received: " +
                $"boundaries=[{string.Join(", ", boundaries)}] of length {boundaries.Count}, and values=[{string.Join(", ", values.Select(Py))}] of length {values.Count}.", nameof(values));
        if (boundaries.Count == 0)
            throw new ArgumentException("Expected at least one boundary (and two values). Received: boundaries=[] and values=" +
                $"[{string.Join(", ", values.Select(Py))}].", nameof(boundaries));
        for (int i = 1; i < boundaries.Count; i++)
            if (boundaries[i] <= boundaries[i - 1])
                throw new ArgumentException($"Expected strictly increasing boundaries. Received: boundaries=[{string.Join(", ", boundaries)}].", nameof(boundaries));
        foreach (double v in values) CheckFinite(v, nameof(values));
        _boundaries = [.. boundaries];
        _values = [.. values];
    }

    /// <summary>The boundaries, in steps.</summary>
    public IReadOnlyList<long> Boundaries => _boundaries;

    /// <summary>The learning rate of each interval.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc />
    protected override double Evaluate(long step)
    {
        // The first boundary at or after the step picks the interval; past the last, the last value.
        for (int i = 0; i < _boundaries.Length; i++)
            if (step <= _boundaries[i]) return _values[i];
        return _values[^1];
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["boundaries"] = _boundaries.ToArray(),
        ["values"] = _values.ToArray(),
        ["name"] = Name,
    };
}
