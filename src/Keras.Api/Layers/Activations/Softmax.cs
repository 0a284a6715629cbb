namespace KerasGpu.Layers;

/// <summary>
/// Softmax layer (Keras' <c>keras.layers.Softmax</c>): <c>exp(x − max) / Σ exp(x − max)</c> along <c>axis</c>, or jointly
/// over several axes. The last axis runs on the fused kernel; other axes are moved to the end and back.
/// </summary>
public sealed class Softmax : Layer
{
    private readonly int[] _axes;
    private readonly int? _configAxis; // set when the layer was made with one int, which the config then shows as such

    /// <summary>Softmax along one axis.</summary>
    /// <param name="axis">The normalized axis; default −1 (the last).</param>
    /// <param name="name">Layer name; default <c>softmax</c>, <c>softmax_1</c>, ...</param>
    public Softmax(int axis = -1, string? name = null) : base(name)
    {
        _axes = [axis];
        _configAxis = axis;
        Built = true;
    }

    /// <summary>Softmax jointly over several axes (each slice they span sums to 1).</summary>
    /// <param name="axes">The normalized axes (at least one, none repeated).</param>
    /// <param name="name">Layer name; default <c>softmax</c>, <c>softmax_1</c>, ...</param>
    /// <exception cref="ArgumentException">No axes, or an axis repeated.</exception>
    public Softmax(int[] axes, string? name = null) : base(ValidateAxes(axes, name))
    {
        _axes = (int[])axes.Clone();
        _configAxis = null;
        Built = true;
    }

    // Runs before the base constructor, so a bad argument does not consume an auto-name.
    private static string? ValidateAxes(int[] axes, string? name)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length == 0) throw new ArgumentException("Softmax expects at least one axis; received none.", nameof(axes));
        if (axes.Distinct().Count() != axes.Length)
            throw new ArgumentException($"Softmax axes must not repeat; received ({string.Join(", ", axes)}).", nameof(axes));
        return name;
    }

    /// <summary>The normalized axes (one unless the layer was made with several).</summary>
    public IReadOnlyList<int> Axes => Array.AsReadOnly(_axes);

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex)
    {
        foreach (int axis in _axes)
            if (axis < -shape.Length || axis >= shape.Length)
                throw new ArgumentException($"Input {inputIndex} of layer \"{Name}\" is incompatible with the layer: " +
                    $"softmax axis {axis} is out of range for an input of rank {shape.Length}.");
    }

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) =>
        _axes is [-1] ? Ops.Softmax(inputs) : Ops.Softmax(inputs, _axes);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["axis"] = _configAxis is int axis ? axis : _axes.ToArray() };
}
