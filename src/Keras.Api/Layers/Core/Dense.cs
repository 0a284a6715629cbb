using KerasGpu.Activations;
using KerasGpu.Backend;
using KerasGpu.Constraints;
using KerasGpu.Initializers;
using KerasGpu.Regularizers;

namespace KerasGpu.Layers;

/// <summary>
/// Densely-connected layer (Keras' <c>keras.layers.Dense</c>): <c>activation(inputs · kernel + bias)</c> on the last
/// axis. The kernel defaults to glorot_uniform and the bias to zeros; an elementwise activation is fused into the
/// MatMul's write-back. Inputs of rank above 2 are treated as a batch of rows over their leading axes: the kernel
/// applies to the last axis, so <c>(batch, d0, ..., input_dim)</c> maps to <c>(batch, d0, ..., units)</c>.
/// </summary>
/// <remarks>
/// Weight regularizers are evaluated when <see cref="Losses"/> is read, for trainable weights only (Keras'
/// weight-regularization losses).
/// The activity regularizer is evaluated on the output of every call, divided by the batch size (the output's first
/// dimension; Keras' <c>divide_no_nan</c>, so an empty batch gives 0) and recorded: <see cref="Losses"/> then holds the
/// weight penalties followed by the activity penalty of the most recent call, which is differentiable when that call
/// ran under a <see cref="Autodiff.GradientTape"/>. The recorded penalty lives in the call's <see cref="TensorScope"/>;
/// once that scope has ended it is no longer reported. A layer shared by several calls in one forward pass reports the
/// last call's penalty only.
/// </remarks>
public sealed class Dense : Layer
{
    /// <summary>Creates a dense layer of <paramref name="units"/> outputs.</summary>
    /// <param name="units">Dimensionality of the output space (positive).</param>
    /// <param name="activation">Activation by name or object; null means linear.</param>
    /// <param name="useBias">Whether to add a bias vector.</param>
    /// <param name="kernelInitializer">Kernel initializer; default glorot_uniform.</param>
    /// <param name="biasInitializer">Bias initializer; default zeros.</param>
    /// <param name="kernelRegularizer">Penalty on the kernel, by name or object; default none.</param>
    /// <param name="biasRegularizer">Penalty on the bias; default none.</param>
    /// <param name="activityRegularizer">Penalty on the layer's output, per sample of the batch; default none.</param>
    /// <param name="kernelConstraint">Projection of the kernel after each optimizer update; default none.</param>
    /// <param name="biasConstraint">Projection of the bias after each optimizer update; default none.</param>
    /// <param name="name">Layer name; default <c>dense</c>, <c>dense_1</c>, ...</param>
    public Dense(int units, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null, string? name = null) : base(name)
    {
        if (units <= 0)
            throw new ArgumentOutOfRangeException(nameof(units), units, $"Received an invalid value for `units`, expected a positive integer. Received: units={units}");
        Units = units;
        Activation = activation ?? ActivationFunction.Linear();
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
        KernelConstraint = kernelConstraint;
        BiasConstraint = biasConstraint;
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

    /// <summary>Penalty on the kernel, if any.</summary>
    public Regularizer? KernelRegularizer { get; }

    /// <summary>Penalty on the bias, if any.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <summary>Penalty on the layer's output (divided by the batch size), if any.</summary>
    public Regularizer? ActivityRegularizer { get; }

    /// <summary>Projection of the kernel after each optimizer update, if any.</summary>
    public Constraint? KernelConstraint { get; }

    /// <summary>Projection of the bias after each optimizer update, if any.</summary>
    public Constraint? BiasConstraint { get; }

    private Tensor? _activityLoss;

    /// <summary>The <c>[input_dim, units]</c> weight matrix (after building).</summary>
    public Variable? Kernel { get; private set; }

    /// <summary>The <c>[units]</c> bias (after building, when <see cref="UseBias"/>).</summary>
    public Variable? Bias { get; private set; }

    /// <inheritdoc />
    public override void Build(int?[] inputShape)
    {
        if (inputShape.Length < 2 || inputShape[^1] is not int inputDim)
            throw new ArgumentException($"Layer \"{Name}\" needs inputs of rank >= 2 with a known last axis; received shape {Shapes.Format(inputShape)}.");
        Kernel = AddWeight("kernel", [inputDim, Units], KernelInitializer, regularizer: KernelRegularizer, constraint: KernelConstraint);
        if (UseBias) Bias = AddWeight("bias", [Units], BiasInitializer, regularizer: BiasRegularizer, constraint: BiasConstraint);
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
        // Ops.Dense treats every leading axis as rows, so rank > 2 needs no reshape.
        var outputs = Activation.Kind is ActivationKind kind
            ? Ops.Dense(inputs, Kernel!.Value, Bias?.Value, kind)
            : Activation.Call(Ops.Dense(inputs, Kernel!.Value, Bias?.Value, ActivationKind.Linear));
        if (ActivityRegularizer is not null) _activityLoss = ActivityPenalty(ActivityRegularizer, outputs);
        return outputs;
    }

    /// <summary>Keras' activity penalty: the regularizer on the output, divided by the batch size (0 for an empty batch).</summary>
    private static Tensor ActivityPenalty(Regularizer regularizer, Tensor outputs)
    {
        var penalty = regularizer.Call(outputs);
        int batch = outputs.Dims[0];
        return batch == 0 ? Ops.Scale(penalty, 0f) : Ops.Scale(penalty, 1f / batch);
    }

    /// <summary>
    /// The penalties of the trainable weights (computed now; a frozen layer's weights are not penalised, as in Keras'
    /// <c>_get_regularization_losses</c>) followed by the activity penalty of the most recent call, while that call's
    /// tensors are alive (see the remarks on <see cref="Dense"/>).
    /// </summary>
    public override IReadOnlyList<Tensor> Losses
    {
        get
        {
            var weightLosses = base.Losses;
            return _activityLoss is { IsDisposed: false } activity ? [.. weightLosses, activity] : weightLosses;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["units"] = Units, ["activation"] = Activation.Name, ["use_bias"] = UseBias,
        ["kernel_initializer"] = KernelInitializer.Name, ["bias_initializer"] = BiasInitializer.Name,
        ["kernel_regularizer"] = Serialized(KernelRegularizer, KernelRegularizer?.GetConfig()),
        ["bias_regularizer"] = Serialized(BiasRegularizer, BiasRegularizer?.GetConfig()),
        ["activity_regularizer"] = Serialized(ActivityRegularizer, ActivityRegularizer?.GetConfig()),
        ["kernel_constraint"] = Serialized(KernelConstraint, KernelConstraint?.GetConfig()),
        ["bias_constraint"] = Serialized(BiasConstraint, BiasConstraint?.GetConfig()),
    };

    /// <summary>Keras' serialized form of a regularizer or constraint: its class name and config, or null.</summary>
    private static IReadOnlyDictionary<string, object?>? Serialized(object? item, IReadOnlyDictionary<string, object?>? config) =>
        item is null ? null : new Dictionary<string, object?> { ["class_name"] = item.GetType().Name, ["config"] = config };
}
