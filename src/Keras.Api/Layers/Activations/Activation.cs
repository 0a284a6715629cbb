using KerasGpu.Activations;

namespace KerasGpu.Layers;

/// <summary>Applies an activation function to its input (Keras' <c>keras.layers.Activation</c>).</summary>
public sealed class Activation : Layer
{
    /// <summary>Creates the layer (built at once: it has no weights).</summary>
    /// <param name="activation">The activation, by name (<c>"relu"</c>) or object.</param>
    /// <param name="name">Layer name; default <c>activation</c>, <c>activation_1</c>, ...</param>
    public Activation(ActivationFunction activation, string? name = null)
        : base(activation is null ? throw new ArgumentNullException(nameof(activation)) : name)
    {
        Function = activation;
        Built = true;
    }

    /// <summary>The activation function.</summary>
    public ActivationFunction Function { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => Function.Call(inputs);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["activation"] = Function.Name };
}
