namespace KerasGpu.Layers;

/// <summary>The elementwise minimum of a list of inputs (Keras' <c>keras.layers.Minimum</c>).</summary>
/// <param name="name">Layer name; default <c>minimum</c>, <c>minimum_1</c>, ...</param>
public sealed class Minimum(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var result = inputs[0];
        for (int i = 1; i < inputs.Count; i++) result = Ops.Minimum(result, inputs[i]);
        return result;
    }
}
