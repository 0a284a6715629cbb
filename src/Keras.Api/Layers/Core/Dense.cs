using KerasGpu.Activations;
using KerasGpu.Backend;
using KerasGpu.Initializers;

namespace KerasGpu.Layers;

/// <summary>
/// Densely-connected layer (Keras' <c>keras.layers.Dense</c>): <c>activation(inputs · kernel + bias)</c> on the last
/// axis. The kernel defaults to glorot_uniform and the bias to zeros; an elementwise activation is fused into the
/// MatMul's write-back.
/// </summary>
public sealed class Dense : Layer
{
    /// <summary>Creates a dense layer of <paramref name="units"/> outputs.</summary>
    /// <param name="units">Dimensionality of the output space (positive).</param>
    /// <param name="activation">Activation by name or object; null means linear.</param>
    /// <param name="useBias">Whether to add a bias vector.</param>
    /// <param name="kernelInitializer">Kernel initializer; default glorot_uniform.</param>
    /// <param name="biasInitializer">Bias initializer; default zeros.</param>
    /// <param name="name">Layer name; default <c>dense</c>, <c>dense_1</c>, ...</param>
    public Dense(int units, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, string? name = null) : base(name)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), units, $"Received an invalid value for `units`, expected a positive integer. Received: units={units}");
        Units = units;
        Activation = activation ?? ActivationFunction.Linear();
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
    }

    /// <summary>Number of output units.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the output.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }

    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The <c>[input_dim, units]</c> weight matrix (after building).</summary>
    public Variable? Kernel { get; private set; }

    /// <summary>The <c>[units]</c> bias (after building, when <see cref="UseBias"/>).</summary>
    public Variable? Bias { get; private set; }

    /// <inheritdoc />
    public override void Build(int?[] inputShape)
    {
        if (inputShape.Length < 2 || inputShape[^1] is not int inputDim)
            throw new ArgumentException($"Layer \"{Name}\" needs inputs of rank >= 2 with a known last axis; received shape {Shapes.Format(inputShape)}.");
        Kernel = AddWeight("kernel", [inputDim, Units], KernelInitializer);
        if (UseBias) Bias = AddWeight("bias", [Units], BiasInitializer);
        Built = true;
    }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => [.. inputShape[..^1], Units];

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex)
    {
        int expected = Kernel!.Value.Dims[0];
        if (shape.Length < 2 || shape[^1] != expected)
            throw new ArgumentException($"Input {inputIndex} of layer \"{Name}\" is incompatible with the layer: expected axis -1 of input shape to have value {expected}, but received input with shape {FormatBatch(shape)}");
    }

    private static string FormatBatch(int[] shape) => Shapes.Format(shape.Select(d => d < 0 ? (int?)null : d).ToArray());

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training)
    {
        if (Activation.Kind is ActivationKind kind) return Ops.Dense(inputs, Kernel!.Value, Bias?.Value, kind);
        return Activation.Call(Ops.Dense(inputs, Kernel!.Value, Bias?.Value, ActivationKind.Linear));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["units"] = Units, ["activation"] = Activation.Name, ["use_bias"] = UseBias,
        ["kernel_initializer"] = KernelInitializer.Name, ["bias_initializer"] = BiasInitializer.Name,
    };
}
