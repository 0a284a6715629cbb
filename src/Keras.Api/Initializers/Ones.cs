namespace KerasGpu.Initializers;

/// <summary>All ones (Keras' <c>Ones</c>).</summary>
public sealed class Ones : Initializer
{
    /// <inheritdoc />
    public override string Name => "ones";

    internal override void Fill(Tensor tensor) => tensor.Backend.Fill(tensor.Buffer, 1f);
}
