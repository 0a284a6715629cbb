namespace KerasGpu;

/// <summary>
/// A named, persistent weight (Keras' <c>keras.Variable</c>): a float32 tensor that lives outside every
/// <see cref="TensorScope"/> and that optimizers update in place.
/// </summary>
public sealed class Variable : IDisposable
{
    internal Variable(string name, Tensor value, bool trainable)
    {
        Name = name;
        Value = value;
        Trainable = trainable;
    }

    /// <summary>The weight's name within its layer, e.g. <c>"kernel"</c>.</summary>
    public string Name { get; }

    /// <summary>The device tensor holding the weight.</summary>
    public Tensor Value { get; }

    /// <summary>Whether optimizers update this weight.</summary>
    public bool Trainable { get; }

    /// <summary>The penalty added to the training loss for this weight (Keras' <c>regularizer</c>), if any.</summary>
    public Regularizers.Regularizer? Regularizer { get; internal set; }

    /// <summary>The projection applied after each optimizer update (Keras' <c>constraint</c>), if any.</summary>
    public Constraints.Constraint? Constraint { get; internal set; }

    /// <summary>The weight's shape.</summary>
    public int[] Shape => Value.Shape;

    /// <summary>Downloads the current value.</summary>
    public NDArray Numpy() => Value.ToNDArray();

    /// <summary>Overwrites the value from a host array of the same shape.</summary>
    /// <exception cref="ArgumentException">The shape differs.</exception>
    public void Assign(NDArray value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Shapes.Equal(value.Shape, Value.Dims))
            throw new ArgumentException($"Variable \"{Name}\" has shape {Shapes.Format(Value.Dims)}; received a value of shape {Shapes.Format(value.Shape)}.");
        var floats = value.DType == DType.Float32 ? value : value.AsType<float>();
        Value.Backend.Upload(floats.AsSpan<float>(), Value.Buffer);
    }

    /// <summary>Releases the device memory.</summary>
    public void Dispose() => Value.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"<Variable name={Name}, shape={Shapes.Format(Value.Dims)}, dtype=float32>";
}
