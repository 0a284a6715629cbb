namespace KerasGpu.Constraints;

/// <summary>
/// Caps the L2 norm of the weights incident to each unit (Keras' <c>MaxNorm</c>):
/// <c>w · clip(norm, 0, max_value) / (ε + norm)</c>, the norm taken over <see cref="Axis"/> (0 for a Dense kernel
/// <c>[input_dim, units]</c>: each unit's incoming vector; <c>[0, 1, 2]</c> for a Conv2D kernel), ε =
/// <see cref="Keras.Config.Epsilon"/>.
/// </summary>
public sealed class MaxNorm : Constraint
{
    /// <summary>Creates the constraint over one axis.</summary>
    /// <param name="maxValue">The largest norm; default 2.</param>
    /// <param name="axis">The axis the norm runs along; default 0.</param>
    public MaxNorm(double maxValue = 2, int axis = 0) : this(maxValue, [axis]) { }

    /// <summary>Creates the constraint over several axes.</summary>
    /// <param name="maxValue">The largest norm.</param>
    /// <param name="axis">The axes the norm runs along.</param>
    /// <exception cref="ArgumentException">The axis list is empty or repeats an axis.</exception>
    public MaxNorm(double maxValue, int[] axis)
    {
        MaxValue = maxValue;
        Axis = ValidateAxes(axis);
    }

    /// <summary>The largest norm.</summary>
    public double MaxValue { get; }

    /// <summary>The axes the norm runs along.</summary>
    public IReadOnlyList<int> Axis { get; }

    /// <inheritdoc />
    public override Tensor Call(Tensor w)
    {
        var norms = Norms(w, [.. Axis], nameof(MaxNorm));
        var desired = Ops.Clip(norms, 0f, (float)MaxValue);
        return Ops.Multiply(w, Ops.Divide(desired, Ops.Add(norms, Keras.Config.Epsilon)));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["max_value"] = MaxValue, ["axis"] = AxisConfig([.. Axis]) };
}
