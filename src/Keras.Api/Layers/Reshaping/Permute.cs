namespace KerasGpu.Layers;

/// <summary>
/// Permutes the non-batch axes (Keras' <c>keras.layers.Permute</c>). <see cref="Dims"/> is 1-based, as in Keras:
/// <c>new Permute([2, 1])</c> swaps the two axes of <c>(batch, a, b)</c>, giving <c>(batch, b, a)</c>.
/// </summary>
public sealed class Permute : Layer
{
    /// <summary>Creates a permute layer.</summary>
    /// <param name="dims">A permutation of <c>1..n</c> for inputs of rank n + 1.</param>
    /// <param name="name">Layer name; default <c>permute</c>, <c>permute_1</c>, ...</param>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation of 1..n.</exception>
    public Permute(int[] dims, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (!dims.Order().SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw new ArgumentException($"Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. Received dims={Shapes.Format(dims)}", nameof(dims));
        _dims = [.. dims];
        Built = true;
    }

    private readonly int[] _dims;

    /// <summary>The 1-based permutation of the non-batch axes (a copy).</summary>
    public int[] Dims => [.. _dims];

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape)
    {
        if (inputShape.Length != _dims.Length + 1)
            throw new ArgumentException($"Layer \"{Name}\" expects inputs of rank {_dims.Length + 1}; received shape {Shapes.Format(inputShape)}.");
        return [inputShape[0], .. _dims.Select(d => inputShape[d])];
    }

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex) => InputRank.Exactly(this, shape, inputIndex, _dims.Length + 1);

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => Ops.Transpose(inputs, [0, .. _dims]);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["dims"] = Dims };
}
