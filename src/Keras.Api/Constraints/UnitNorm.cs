namespace KerasGpu.Constraints;

/// <summary>
/// Scales the weights incident to each unit to unit L2 norm (Keras' <c>UnitNorm</c>): <c>w / (ε + norm)</c>, the norm
/// taken over <see cref="Axis"/>, ε = <see cref="Keras.Config.Epsilon"/>.
/// </summary>
public sealed class UnitNorm : Constraint
{
    /// <summary>Creates the constraint over one axis.</summary>
    /// <param name="axis">The axis the norm runs along; default 0.</param>
    public UnitNorm(int axis = 0) : this([axis]) { }

    /// <summary>Creates the constraint over several axes.</summary>
    /// <param name="axis">The axes the norm runs along.</param>
    /// <exception cref="ArgumentException">The axis list is empty or repeats an axis.</exception>
    public UnitNorm(int[] axis) => Axis = ValidateAxes(axis);

    /// <summary>The axes the norm runs along.</summary>
    public IReadOnlyList<int> Axis { get; }

    /// <inheritdoc />
    public override Tensor Call(Tensor w)
    {
        var norms = Norms(w, [.. Axis], nameof(UnitNorm));
        return Ops.Divide(w, Ops.Add(norms, Keras.Config.Epsilon));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["axis"] = AxisConfig([.. Axis]) };
}
