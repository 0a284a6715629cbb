namespace KerasGpu.Layers;

/// <summary>Subtracts the second of exactly two inputs from the first (Keras' <c>keras.layers.Subtract</c>).</summary>
/// <param name="name">Layer name; default <c>subtract</c>, <c>subtract_1</c>, ...</param>
public sealed class Subtract(string? name = null) : Merge(name)
{
    private protected override void CheckCount(int count)
    {
        if (count != 2)
            throw new ArgumentException($"A `Subtract` layer should be called on exactly 2 inputs. Received: {count} input(s)");
    }

    /// <inheritdoc />
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs) => Ops.Subtract(inputs[0], inputs[1]);
}
