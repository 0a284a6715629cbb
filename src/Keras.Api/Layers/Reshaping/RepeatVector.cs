namespace KerasGpu.Layers;

/// <summary>Repeats each input vector n times: <c>(batch, features)</c> → <c>(batch, n, features)</c> (Keras' <c>keras.layers.RepeatVector</c>).</summary>
public sealed class RepeatVector : Layer
{
    /// <summary>Creates a repeat-vector layer.</summary>
    /// <param name="n">The number of repetitions (positive).</param>
    /// <param name="name">Layer name; default <c>repeat_vector</c>, <c>repeat_vector_1</c>, ...</param>
    /// <exception cref="ArgumentException"><paramref name="n"/> is not positive.</exception>
    public RepeatVector(int n, string? name = null) : base(name)
    {
        if (n <= 0) throw new ArgumentException($"Argument `n` should be a positive integer. Received: n={n}", nameof(n));
        N = n;
        Built = true;
    }

    /// <summary>The number of repetitions.</summary>
    public int N { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape)
    {
        if (inputShape.Length != 2)
            throw new ArgumentException($"Layer \"{Name}\" expects inputs of rank 2; received shape {Shapes.Format(inputShape)}.");
        return [inputShape[0], N, inputShape[1]];
    }

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex) => InputRank.Exactly(this, shape, inputIndex, 2);

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training)
    {
        int batch = inputs.Dims[0], features = inputs.Dims[1];
        return Ops.BroadcastTo(Ops.Reshape(inputs, [batch, 1, features]), [batch, N, features]);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["n"] = N };
}
