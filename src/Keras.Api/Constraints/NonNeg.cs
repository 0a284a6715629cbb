namespace KerasGpu.Constraints;

/// <summary>Constrains the weights to be non-negative: <c>max(w, 0)</c> (Keras' <c>NonNeg</c>).</summary>
public sealed class NonNeg : Constraint
{
    /// <inheritdoc />
    public override Tensor Call(Tensor w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return Ops.Maximum(w, Ops.Scalar(w.Backend, 0f));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();
}
