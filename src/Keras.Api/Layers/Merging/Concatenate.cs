namespace KerasGpu.Layers;

/// <summary>
/// Concatenates a list of inputs along <see cref="Axis"/> (Keras' <c>keras.layers.Concatenate</c>). All inputs need the
/// same rank and equal sizes on every other axis (unknown sizes match anything); there is no broadcasting.
/// </summary>
public sealed class Concatenate : Merge
{
    /// <summary>Creates a concatenation layer.</summary>
    /// <param name="axis">Axis along which to concatenate; Keras' default -1 (the last), negative counts from the end.</param>
    /// <param name="name">Layer name; default <c>concatenate</c>, <c>concatenate_1</c>, ...</param>
    public Concatenate(int axis = -1, string? name = null) : base(name) => Axis = axis;

    /// <summary>The concatenation axis.</summary>
    public int Axis { get; }

    internal override void BuildMany(IReadOnlyList<int?[]> shapes)
    {
        Validate(shapes);
        Built = true;
    }

    private void Validate(IReadOnlyList<int?[]> shapes)
    {
        if (shapes.Count < 1)
            throw new ArgumentException($"A `Concatenate` layer should be called on a list of at least 1 input. Received: input_shape={FormatShapes(shapes)}");
        string message = $"A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape={FormatShapes(shapes)}";
        int rank = shapes[0].Length;
        if (shapes.Any(s => s.Length != rank)) throw new ArgumentException(message);
        int axis = NormalizedAxis(rank);
        for (int d = 0; d < rank; d++)
        {
            if (d == axis) continue;
            if (shapes.Select(s => s[d]).Where(v => v is not null).Distinct().Count() > 1) throw new ArgumentException(message);
        }
    }

    private int NormalizedAxis(int rank)
    {
        int axis = Axis < 0 ? Axis + rank : Axis;
        if (axis < 0 || axis >= rank)
            throw new ArgumentException($"Layer \"{Name}\": axis {Axis} is out of bounds for inputs of rank {rank}.");
        return axis;
    }

    internal override int?[] ComputeOutputShapeMany(IReadOnlyList<int?[]> shapes)
    {
        Validate(shapes);
        int axis = NormalizedAxis(shapes[0].Length);
        var output = (int?[])shapes[0].Clone();
        foreach (var shape in shapes.Skip(1))
        {
            if (output[axis] is null || shape[axis] is null)
            {
                output[axis] = null;
                break;
            }
            output[axis] += shape[axis];
        }
        return output;
    }

    internal override Tensor CallMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        Validate([.. inputs.Select(t => t.Dims.Select(d => (int?)d).ToArray())]);
        return MergeFunction(inputs);
    }

    /// <inheritdoc />
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs) =>
        inputs.Count == 1 ? inputs[0] : Ops.Concatenate(inputs, NormalizedAxis(inputs[0].Rank));

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["axis"] = Axis };
}
