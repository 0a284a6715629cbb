namespace KerasGpu.Layers;

/// <summary>The layer behind <see cref="Keras.Input"/>: it has no weights and produces the model's symbolic input.</summary>
public sealed class InputLayer : Layer
{
    /// <summary>Creates an input for samples of <paramref name="shape"/> (batch dimension excluded).</summary>
    public InputLayer(int[] shape, int? batchSize = null, DType dtype = DType.Float32, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d <= 0) throw new ArgumentException($"Input shape dimensions must be positive; received shape {Shapes.Format(shape)}.", nameof(shape));
        if (batchSize is <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Expected a positive batch size.");
        BatchShape = [batchSize, .. shape.Select(d => (int?)d)];
        DType = dtype;
        Built = true;
        var node = new Node(this, [], n => [new KerasTensor(BatchShape, dtype, n, 0)]);
        Output = node.Outputs[0];
    }

    /// <summary>The shape including the (usually unknown) batch dimension.</summary>
    public int?[] BatchShape { get; }

    /// <summary>The input's dtype.</summary>
    public DType DType { get; }

    /// <summary>The symbolic tensor this input produces.</summary>
    public KerasTensor Output { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => BatchShape;

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => inputs;

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex)
    {
        bool ok = shape.Length == BatchShape.Length;
        for (int i = 1; ok && i < shape.Length; i++) ok = BatchShape[i] is null || shape[i] < 0 || BatchShape[i] == shape[i];
        if (!ok)
            throw new ArgumentException($"Input {inputIndex} of layer \"{Name}\" is incompatible with the layer: expected shape={Shapes.Format(BatchShape)}, found shape={Shapes.Format(shape.Select(d => d < 0 ? (int?)null : d).ToArray())}");
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["batch_shape"] = BatchShape, ["dtype"] = DType.KerasName(), ["name"] = Name,
    };
}
