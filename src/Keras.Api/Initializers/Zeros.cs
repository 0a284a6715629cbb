namespace KerasGpu.Initializers;

/// <summary>All zeros (Keras' <c>Zeros</c>, the default bias initializer).</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc />
    public override string Name => "zeros";

    internal override void Fill(Tensor tensor) => tensor.Backend.Fill(tensor.Buffer, 0f);
}
