using KerasGpu.Constraints;
using KerasGpu.Initializers;
using KerasGpu.Regularizers;

namespace KerasGpu.Layers;

/// <summary>
/// Parametric rectified linear unit (Keras' <c>keras.layers.PReLU</c>): <c>x</c> for <c>x ≥ 0</c>, else
/// <c>alpha · x</c>, with a trainable <c>alpha</c> per feature: one per element of the input shape without the batch
/// axis, shared (size 1) along <c>shared_axes</c>.
/// </summary>
public sealed class PReLU : Layer
{
    private readonly int[]? _sharedAxes;
    private int?[]? _inputSpec;

    /// <summary>Creates a PReLU layer.</summary>
    /// <param name="alphaInitializer">Initializer of alpha; default zeros (so the layer starts as a ReLU).</param>
    /// <param name="alphaRegularizer">Optional regularizer of alpha.</param>
    /// <param name="alphaConstraint">Optional constraint of alpha.</param>
    /// <param name="sharedAxes">
    /// Input axes (1-based: axis 0 is the batch) along which alpha is shared, e.g. <c>[1, 2]</c> for one alpha per
    /// channel of <c>(batch, height, width, channels)</c> feature maps; null (default) shares nothing.
    /// </param>
    /// <param name="name">Layer name; default <c>p_re_lu</c>, <c>p_re_lu_1</c>, ...</param>
    /// <exception cref="ArgumentException">A shared axis is below 1 or repeated.</exception>
    public PReLU(Initializer? alphaInitializer = null, Regularizer? alphaRegularizer = null, Constraint? alphaConstraint = null,
        int[]? sharedAxes = null, string? name = null) : base(ValidateSharedAxes(sharedAxes, name))
    {
        AlphaInitializer = alphaInitializer ?? new Zeros();
        AlphaRegularizer = alphaRegularizer;
        AlphaConstraint = alphaConstraint;
        _sharedAxes = sharedAxes is null ? null : (int[])sharedAxes.Clone();
    }

    // Runs before the base constructor, so a bad argument does not consume an auto-name.
    private static string? ValidateSharedAxes(int[]? sharedAxes, string? name)
    {
        if (sharedAxes is null) return name;
        if (sharedAxes.Any(a => a < 1))
            throw new ArgumentException($"PReLU shared_axes index input axes from 1 (axis 0 is the batch); received shared_axes=[{string.Join(", ", sharedAxes)}].", nameof(sharedAxes));
        if (sharedAxes.Distinct().Count() != sharedAxes.Length)
            throw new ArgumentException($"PReLU shared_axes must not repeat; received shared_axes=[{string.Join(", ", sharedAxes)}].", nameof(sharedAxes));
        return name;
    }

    /// <summary>Initializer of alpha.</summary>
    public Initializer AlphaInitializer { get; }

    /// <summary>Regularizer of alpha, if any.</summary>
    public Regularizer? AlphaRegularizer { get; }

    /// <summary>Constraint of alpha, if any.</summary>
    public Constraint? AlphaConstraint { get; }

    /// <summary>The shared axes (a copy), or null.</summary>
    public int[]? SharedAxes => _sharedAxes is null ? null : (int[])_sharedAxes.Clone();

    /// <summary>The trainable slopes, of the input shape without the batch axis with 1 on shared axes (after building).</summary>
    public Variable? Alpha { get; private set; }

    /// <inheritdoc />
    public override void Build(int?[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length < 2)
            throw new ArgumentException($"Layer \"{Name}\" needs inputs of rank >= 2 (batch first); received shape {Shapes.Format(inputShape)}.");
        if (_sharedAxes is not null && _sharedAxes.Any(a => a >= inputShape.Length))
            throw new ArgumentException($"Layer \"{Name}\": shared axis {_sharedAxes.First(a => a >= inputShape.Length)} is out of range for input shape {Shapes.Format(inputShape)}.");
        var paramShape = new int[inputShape.Length - 1];
        var spec = new int?[inputShape.Length];
        for (int axis = 1; axis < inputShape.Length; axis++)
        {
            if (_sharedAxes?.Contains(axis) == true) { paramShape[axis - 1] = 1; continue; }
            paramShape[axis - 1] = inputShape[axis] ?? throw new ArgumentException(
                $"Layer \"{Name}\" needs every unshared input axis known to size alpha; axis {axis} of input shape {Shapes.Format(inputShape)} is None.");
            spec[axis] = inputShape[axis];
        }
        Alpha = AddWeight("alpha", paramShape, AlphaInitializer, trainable: true, AlphaRegularizer, AlphaConstraint);
        _inputSpec = spec;
        Built = true;
    }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex)
    {
        if (_inputSpec is null) return;
        string received = Shapes.Format(shape.Select(d => d < 0 ? (int?)null : d).ToArray());
        if (shape.Length != _inputSpec.Length)
            throw new ArgumentException($"Input {inputIndex} of layer \"{Name}\" is incompatible with the layer: expected ndim={_inputSpec.Length}, found ndim={shape.Length}. Full shape received: {received}");
        for (int axis = 1; axis < shape.Length; axis++)
            if (_inputSpec[axis] is int expected && shape[axis] >= 0 && shape[axis] != expected)
                throw new ArgumentException($"Input {inputIndex} of layer \"{Name}\" is incompatible with the layer: expected axis {axis} of input shape to have value {expected}, but received input with shape {received}");
    }

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) =>
        // relu(x) − alpha · relu(−x), as Keras writes it: alpha broadcasts over the batch and the shared axes.
        Ops.Subtract(Ops.Relu(inputs), Ops.Multiply(Alpha!.Value, Ops.Relu(Ops.Negative(inputs))));

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["alpha_initializer"] = AlphaInitializer.Name,
        ["alpha_regularizer"] = AlphaRegularizer?.GetConfig(),
        ["alpha_constraint"] = AlphaConstraint?.GetConfig(),
        ["shared_axes"] = SharedAxes,
    };
}
