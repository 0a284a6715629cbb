namespace KerasGpu.Layers;

/// <summary>
/// Exponential linear unit layer (Keras' <c>keras.layers.ELU</c>): <c>x</c> for <c>x ≥ 0</c>, else
/// <c>alpha · (eˣ − 1)</c>.
/// </summary>
public sealed class ELU : Layer
{
    /// <summary>Creates an ELU layer (built at once: it has no weights).</summary>
    /// <param name="alpha">Scale of the negative section; default 1.</param>
    /// <param name="name">Layer name; default <c>elu</c>, <c>elu_1</c>, ...</param>
    public ELU(float alpha = 1f, string? name = null) : base(name)
    {
        Alpha = alpha;
        Built = true;
    }

    /// <summary>Scale of the negative section.</summary>
    public float Alpha { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => Ops.Elu(inputs, Alpha);

    /// <inheritdoc />
    /// <remarks>Adds <c>alpha</c>, which Keras 3's ELU leaves out of its config, so that the config recreates the layer.</remarks>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["alpha"] = Alpha };
}
