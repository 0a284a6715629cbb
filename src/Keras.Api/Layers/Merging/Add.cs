namespace KerasGpu.Layers;

/// <summary>Adds a list of inputs of the same shape elementwise (Keras' <c>keras.layers.Add</c>).</summary>
/// <param name="name">Layer name; default <c>add</c>, <c>add_1</c>, ...</param>
public sealed class Add(string? name = null) : Layer(name)
{
    internal override void BuildMany(IReadOnlyList<int?[]> shapes)
    {
        if (shapes.Count < 2)
            throw new ArgumentException($"A merge layer should be called on a list of at least 2 inputs. Received: {shapes.Count} input(s).");
        ComputeOutputShapeMany(shapes);
        Built = true;
    }

    internal override int?[] ComputeOutputShapeMany(IReadOnlyList<int?[]> shapes)
    {
        var first = shapes[0];
        foreach (var s in shapes.Skip(1))
            if (s.Length != first.Length || s.Zip(first).Any(p => p.First is int a && p.Second is int b && a != b))
                throw new ArgumentException($"Inputs of layer \"{Name}\" must have the same shape; received {string.Join(" and ", shapes.Select(Shapes.Format))}.");
        return first;
    }

    internal override Tensor CallMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        var sum = inputs[0];
        for (int i = 1; i < inputs.Count; i++) sum = Ops.Add(sum, inputs[i]);
        return sum;
    }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) =>
        throw new ArgumentException($"Layer \"{Name}\" merges several inputs; call it on a list of tensors.");

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) =>
        throw new ArgumentException($"Layer \"{Name}\" merges several inputs; call it on a list of tensors.");
}
