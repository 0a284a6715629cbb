namespace KerasGpu.Layers;

/// <summary>The elementwise mean of a list of inputs (Keras' <c>keras.layers.Average</c>): their sum divided by the count.</summary>
/// <param name="name">Layer name; default <c>average</c>, <c>average_1</c>, ...</param>
public sealed class Average(string? name = null) : Merge(name)
{
    /// <inheritdoc />
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var sum = inputs[0];
        for (int i = 1; i < inputs.Count; i++) sum = Ops.Add(sum, inputs[i]);
        return Ops.Scale(sum, 1f / inputs.Count);
    }
}
