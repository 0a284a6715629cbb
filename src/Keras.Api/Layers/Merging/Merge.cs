namespace KerasGpu.Layers;

/// <summary>
/// The base of the elementwise merge layers (Keras' <c>keras.layers.Merge</c>): called on a list of tensors, it checks
/// that they share a batch size and broadcast together (a dimension of 1 stretches, as in NumPy, aligned from the
/// right), expands lower-rank inputs at axis 1 until the ranks agree, and folds them with
/// <see cref="MergeFunction"/>.
/// </summary>
public abstract class Merge : Layer
{
    private bool _reshapeRequired;

    /// <summary>Creates a merge layer named <paramref name="name"/> (auto-named from the class when null).</summary>
    protected Merge(string? name) : base(name) { }

    /// <summary>Combines inputs that already have equal ranks (broadcasting between them is allowed).</summary>
    protected abstract Tensor MergeFunction(IReadOnlyList<Tensor> inputs);

    internal override void BuildMany(IReadOnlyList<int?[]> shapes)
    {
        CheckCount(shapes.Count);
        var batchSizes = shapes.Where(s => s.Length > 0 && s[0] is not null).Select(s => s[0]).Distinct().Count();
        if (batchSizes > 1)
            throw new ArgumentException($"Cannot merge tensors with different batch sizes. Received tensors with shapes {FormatShapes(shapes)}");
        ComputeOutputShapeMany(shapes);
        _reshapeRequired = shapes.Select(s => s.Length).Distinct().Count() != 1;
        Built = true;
    }

    internal override int?[] ComputeOutputShapeMany(IReadOnlyList<int?[]> shapes)
    {
        CheckCount(shapes.Count);
        int?[] output = shapes[0][1..];
        for (int i = 1; i < shapes.Count; i++) output = ElementwiseShape(output, shapes[i][1..]);
        var batch = shapes.Where(s => s.Length > 0 && s[0] is not null).Select(s => s[0]).Distinct().ToList();
        return [batch.Count == 1 ? batch[0] : null, .. output];
    }

    internal override Tensor CallMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        CheckCount(inputs.Count);
        // Concrete shapes must still broadcast (the symbolic check let unknown dimensions through).
        ComputeOutputShapeMany([.. inputs.Select(t => t.Dims.Select(d => (int?)d).ToArray())]);
        if (!_reshapeRequired && inputs.Select(t => t.Rank).Distinct().Count() == 1) return MergeFunction(inputs);
        int maxRank = inputs.Max(t => t.Rank);
        var expanded = new List<Tensor>();
        foreach (var x in inputs)
        {
            var y = x;
            for (int r = x.Rank; r < maxRank; r++) y = Ops.ExpandDims(y, 1);
            expanded.Add(y);
        }
        return MergeFunction(expanded);
    }

    /// <summary>Keras' <c>_compute_elemwise_op_output_shape</c>: NumPy broadcasting of two shapes without the batch.</summary>
    private protected int?[] ElementwiseShape(int?[] shape1, int?[] shape2)
    {
        if (shape1.Length < shape2.Length) return ElementwiseShape(shape2, shape1);
        if (shape2.Length == 0) return shape1;
        var output = shape1[..^shape2.Length].ToList();
        for (int k = 0; k < shape2.Length; k++)
        {
            int? i = shape1[shape1.Length - shape2.Length + k], j = shape2[k];
            if (i is null || j is null) output.Add(null);
            else if (i == 1) output.Add(j);
            else if (j == 1) output.Add(i);
            else if (i != j)
                throw new ArgumentException($"Inputs have incompatible shapes. Received shapes {Shapes.Format(shape1)} and {Shapes.Format(shape2)}");
            else output.Add(i);
        }
        return [.. output];
    }

    /// <summary>How many inputs the layer accepts; Keras' merge layers take at least one.</summary>
    private protected virtual void CheckCount(int count)
    {
        if (count < 1)
            throw new ArgumentException($"A merge layer should be called on a list of at least 1 input. Received {count} inputs.");
    }

    /// <summary>A list of shapes as Python prints it: <c>[(None, 4), (None, 5)]</c>.</summary>
    private protected static string FormatShapes(IReadOnlyList<int?[]> shapes) => $"[{string.Join(", ", shapes.Select(Shapes.Format))}]";

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) =>
        throw new ArgumentException($"A merge layer should be called on a list of inputs. Received: input_shape={Shapes.Format(inputShape)} (not a list of shapes)");

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) =>
        throw new ArgumentException($"A merge layer should be called on a list of inputs. Received: inputs with shape {Shapes.Format(inputs.Dims)} (not a list of tensors)");
}
