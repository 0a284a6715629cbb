namespace KerasGpu.Layers;

/// <summary>Adds a list of inputs elementwise (Keras' <c>keras.layers.Add</c>); shapes broadcast as in <see cref="Merge"/>.</summary>
/// <param name="name">Layer name; default <c>add</c>, <c>add_1</c>, ...</param>
public sealed class Add(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var sum = inputs[0];
        for (int i = 1; i < inputs.Count; i++) sum = Ops.Add(sum, inputs[i]);
        return sum;
    }
}
