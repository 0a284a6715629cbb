using KerasGpu.Activations;

namespace KerasGpu.Layers;

/// <summary>Applies an activation function to its input (Keras' <c>keras.layers.Activation</c>).</summary>
/// <param name="activation">The activation, by name or object.</param>
/// <param name="name">Layer name; default <c>activation</c>, <c>activation_1</c>, ...</param>
public sealed class Activation(ActivationFunction activation, string? name = null) : Layer(name)
{
    /// <summary>The activation function.</summary>
    public ActivationFunction Function { get; } = activation ?? throw new ArgumentNullException(nameof(activation));

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => Function.Call(inputs);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["activation"] = Function.Name };
}
