namespace KerasGpu.Initializers;

/// <summary>
/// <c>gain</c> times the identity matrix (Keras' <c>Identity</c>): ones on the main diagonal of a 2-D, possibly
/// rectangular, matrix and zeros elsewhere.
/// </summary>
/// <param name="gain">Multiplier of the identity; default 1.</param>
public sealed class Identity(float gain = 1f) : Initializer
{
    /// <summary>Multiplier of the identity matrix.</summary>
    public float Gain { get; } = gain;

    /// <inheritdoc />
    public override string Name => "identity";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["gain"] = Gain };

    internal override void CheckShape(int[] shape)
    {
        if (shape.Length != 2)
            throw new ArgumentException($"Identity matrix initializer can only be used for 2D matrices. Received: shape={Shapes.Format(shape)} of rank {shape.Length}.");
    }

    internal override void Fill(Tensor tensor)
    {
        CheckShape(tensor.Dims);
        int rows = tensor.Dims[0], cols = tensor.Dims[1];
        var values = new float[(long)rows * cols];
        for (int i = 0; i < Math.Min(rows, cols); i++) values[(long)i * cols + i] = Gain;
        Upload(tensor, values);
    }
}
