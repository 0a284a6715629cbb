namespace KerasGpu.Initializers;

/// <summary>Every element set to one value (Keras' <c>Constant</c>).</summary>
/// <param name="value">The value; default 0.</param>
public sealed class Constant(float value = 0f) : Initializer
{
    /// <summary>The value every element takes.</summary>
    public float Value { get; } = value;

    /// <inheritdoc />
    public override string Name => "constant";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["value"] = Value };

    internal override void Fill(Tensor tensor) => tensor.Backend.Fill(tensor.Buffer, Value);
}
