namespace KerasGpu.Layers;

/// <summary>Multiplies a list of inputs elementwise (Keras' <c>keras.layers.Multiply</c>).</summary>
/// <param name="name">Layer name; default <c>multiply</c>, <c>multiply_1</c>, ...</param>
public sealed class Multiply(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var product = inputs[0];
        for (int i = 1; i < inputs.Count; i++) product = Ops.Multiply(product, inputs[i]);
        return product;
    }
}
