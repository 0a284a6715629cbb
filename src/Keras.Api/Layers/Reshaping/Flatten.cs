namespace KerasGpu.Layers;

/// <summary>
/// Flattens every axis but the batch axis: <c>(batch, d1, ..., dn)</c> → <c>(batch, d1·…·dn)</c>, and <c>(batch,)</c> →
/// <c>(batch, 1)</c> (Keras' <c>keras.layers.Flatten</c>). With <c>channels_first</c> the channel axis is moved last
/// first, so the element order matches a channels-last model.
/// </summary>
public sealed class Flatten : Layer
{
    /// <summary>Creates a flatten layer.</summary>
    /// <param name="dataFormat"><c>"channels_last"</c> (default) or <c>"channels_first"</c>, case-insensitive.</param>
    /// <param name="name">Layer name; default <c>flatten</c>, <c>flatten_1</c>, ...</param>
    /// <exception cref="ArgumentException">Unknown data format.</exception>
    public Flatten(string? dataFormat = null, string? name = null) : base(name)
    {
        string format = (dataFormat ?? "channels_last").ToLowerInvariant();
        if (format is not ("channels_first" or "channels_last"))
            throw new ArgumentException($"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. Received: data_format={dataFormat}", nameof(dataFormat));
        DataFormat = format;
        Built = true;
    }

    /// <summary><c>channels_last</c> or <c>channels_first</c>.</summary>
    public string DataFormat { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape)
    {
        var rest = inputShape[1..];
        int? flat = rest.Length == 0 ? 1 : rest.Any(d => d is null) ? null : checked(rest.Aggregate(1, (p, d) => p * d!.Value));
        return [inputShape[0], flat];
    }

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex) => InputRank.AtLeast(this, shape, inputIndex, 1);

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training)
    {
        int rank = inputs.Rank;
        if (DataFormat == "channels_first" && rank > 2)
            inputs = Ops.Transpose(inputs, [0, .. Enumerable.Range(2, rank - 2), 1]);
        return Ops.Reshape(inputs, [inputs.Dims[0], rank == 1 ? 1 : -1]);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["data_format"] = DataFormat };
}
