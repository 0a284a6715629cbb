namespace KerasGpu.Layers;

/// <summary>The elementwise maximum of a list of inputs (Keras' <c>keras.layers.Maximum</c>).</summary>
/// <param name="name">Layer name; default <c>maximum</c>, <c>maximum_1</c>, ...</param>
public sealed class Maximum(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var result = inputs[0];
        for (int i = 1; i < inputs.Count; i++) result = Ops.Maximum(result, inputs[i]);
        return result;
    }
}
