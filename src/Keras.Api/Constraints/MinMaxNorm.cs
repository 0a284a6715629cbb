namespace KerasGpu.Constraints;

/// <summary>
/// Keeps the L2 norm of the weights incident to each unit between bounds (Keras' <c>MinMaxNorm</c>):
/// <c>w · desired / (ε + norm)</c> with <c>desired = rate · clip(norm, min_value, max_value) + (1 − rate) · norm</c>;
/// rate 1 enforces the bounds strictly, a smaller rate moves towards them at each step. ε = <see cref="Keras.Config.Epsilon"/>.
/// </summary>
public sealed class MinMaxNorm : Constraint
{
    /// <summary>Creates the constraint over one axis.</summary>
    /// <param name="minValue">The smallest norm; default 0.</param>
    /// <param name="maxValue">The largest norm; default 1.</param>
    /// <param name="rate">How strongly to enforce the bounds; default 1.</param>
    /// <param name="axis">The axis the norm runs along; default 0.</param>
    public MinMaxNorm(double minValue = 0.0, double maxValue = 1.0, double rate = 1.0, int axis = 0) : this(minValue, maxValue, rate, [axis]) { }

    /// <summary>Creates the constraint over several axes.</summary>
    /// <param name="minValue">The smallest norm.</param>
    /// <param name="maxValue">The largest norm.</param>
    /// <param name="rate">How strongly to enforce the bounds.</param>
    /// <param name="axis">The axes the norm runs along.</param>
    /// <exception cref="ArgumentException">The axis list is empty or repeats an axis, or minValue exceeds maxValue.</exception>
    public MinMaxNorm(double minValue, double maxValue, double rate, int[] axis)
    {
        if (minValue > maxValue)
            throw new ArgumentException($"MinMaxNorm expects min_value <= max_value. Received: min_value={minValue}, max_value={maxValue}");
        MinValue = minValue;
        MaxValue = maxValue;
        Rate = rate;
        Axis = ValidateAxes(axis);
    }

    /// <summary>The smallest norm.</summary>
    public double MinValue { get; }

    /// <summary>The largest norm.</summary>
    public double MaxValue { get; }

    /// <summary>How strongly the bounds are enforced (1: strictly).</summary>
    public double Rate { get; }

    /// <summary>The axes the norm runs along.</summary>
    public IReadOnlyList<int> Axis { get; }

    /// <inheritdoc />
    public override Tensor Call(Tensor w)
    {
        var norms = Norms(w, [.. Axis], nameof(MinMaxNorm));
        var desired = Ops.Add(Ops.Scale(Ops.Clip(norms, (float)MinValue, (float)MaxValue), (float)Rate), Ops.Scale(norms, (float)(1 - Rate)));
        return Ops.Multiply(w, Ops.Divide(desired, Ops.Add(norms, Keras.Config.Epsilon)));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["min_value"] = MinValue, ["max_value"] = MaxValue, ["rate"] = Rate, ["axis"] = AxisConfig([.. Axis]),
    };
}
