using KerasGpu.Layers;

namespace KerasGpu;

/// <summary>
/// A symbolic tensor (Keras' <c>KerasTensor</c>): a shape with an unknown batch dimension and the layer call that
/// produced it. Calling layers on KerasTensors builds the graph of a functional <see cref="Model"/>.
/// </summary>
public sealed class KerasTensor
{
    private static int s_count;
    private readonly int?[] _shape;

    internal KerasTensor(int?[] shape, DType dtype, Node node, int tensorIndex)
    {
        _shape = shape;
        DType = dtype;
        Node = node;
        TensorIndex = tensorIndex;
        int id = Interlocked.Increment(ref s_count) - 1;
        Name = id == 0 ? "keras_tensor" : $"keras_tensor_{id}";
    }

    /// <summary>The shape, <c>null</c> for unknown dimensions (the batch).</summary>
    public int?[] Shape => (int?[])_shape.Clone();

    internal int?[] Dims => _shape;

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>A unique name, like Keras' <c>keras_tensor_3</c>.</summary>
    public string Name { get; }

    /// <summary>The layer call that produced this tensor.</summary>
    internal Node Node { get; }

    /// <summary>Which of that call's outputs this is.</summary>
    internal int TensorIndex { get; }

    /// <inheritdoc />
    public override string ToString() => $"<KerasTensor shape={Shapes.Format(_shape)}, dtype={DType.KerasName()}, name={Name}>";
}
