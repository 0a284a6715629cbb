namespace KerasGpu.Layers;

/// <summary>
/// Reshapes each sample to <see cref="TargetShape"/> (Keras' <c>keras.layers.Reshape</c>); the batch axis is kept, and
/// one target dimension may be −1, inferred from the sample size.
/// </summary>
public sealed class Reshape : Layer
{
    /// <summary>Creates a reshape layer.</summary>
    /// <param name="targetShape">The shape of each sample, without the batch axis; at most one −1.</param>
    /// <param name="name">Layer name; default <c>reshape</c>, <c>reshape_1</c>, ...</param>
    /// <exception cref="ArgumentException">A dimension is below −1, or −1 appears more than once.</exception>
    public Reshape(int[] targetShape, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Any(d => d < -1))
            throw new ArgumentException($"Each dimension in `target_shape` must be a non-negative integer, or `-1` for a single unknown dimension. Received: target_shape={Shapes.Format(targetShape)}.", nameof(targetShape));
        if (targetShape.Count(d => d == -1) > 1)
            throw new ArgumentException($"There must be at most one unknown dimension (-1) in `target_shape`. Received: target_shape={Shapes.Format(targetShape)}.", nameof(targetShape));
        _targetShape = [.. targetShape];
        Built = true;
    }

    private readonly int[] _targetShape;

    /// <summary>The shape of each sample, as given (−1 for the inferred dimension; a copy).</summary>
    public int[] TargetShape => [.. _targetShape];

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The sample size does not fit the target shape.</exception>
    public override int?[] ComputeOutputShape(int?[] inputShape) => [inputShape[0], .. ResolveSample(inputShape[1..])];

    /// <summary>Keras' <c>compute_reshape_output_shape</c> for one sample: −1 resolved when the input is fully known.</summary>
    private int?[] ResolveSample(int?[] sample)
    {
        int[] target = _targetShape;
        if (sample.Any(d => d is null)) return [.. target.Select(d => d == -1 ? null : (int?)d)];
        long inputSize = sample.Aggregate(1L, (p, d) => p * d!.Value);
        int unknown = Array.IndexOf(target, -1);
        long known = target.Where(d => d != -1).Aggregate(1L, (p, d) => p * d);
        if (unknown < 0)
        {
            if (known != inputSize)
                throw new ArgumentException($"The total size of the tensor must be unchanged. Received: input_shape={Shapes.Format(sample)}, target_shape={Shapes.Format(target)}");
            return [.. target.Select(d => (int?)d)];
        }
        if (known == 0 || inputSize % known != 0)
            throw new ArgumentException($"The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified dimensions in target_shape. Received: input_shape={Shapes.Format(sample)}, target_shape={Shapes.Format(target)}");
        var resolved = target.Select(d => (int?)d).ToArray();
        resolved[unknown] = (int)(inputSize / known);
        return resolved;
    }

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex)
    {
        InputRank.AtLeast(this, shape, inputIndex, 1);
        ResolveSample([.. shape[1..].Select(d => d < 0 ? null : (int?)d)]);
    }

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training)
    {
        var sample = ResolveSample([.. inputs.Dims[1..].Select(d => (int?)d)]);
        return Ops.Reshape(inputs, [inputs.Dims[0], .. sample.Select(d => d!.Value)]);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["target_shape"] = TargetShape };
}
