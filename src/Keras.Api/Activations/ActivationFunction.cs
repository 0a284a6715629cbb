using KerasGpu.Backend;

namespace KerasGpu.Activations;

/// <summary>
/// An activation function, given by Keras name (<c>"relu"</c>) or as an object. Elementwise ones map to a backend
/// <see cref="ActivationKind"/> so Dense can fuse them into its MatMul epilogue; softmax works along the last axis.
/// </summary>
public sealed class ActivationFunction
{
    private ActivationFunction(string name, ActivationKind? kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>Keras' name, e.g. <c>"relu"</c>.</summary>
    public string Name { get; }

    /// <summary>The elementwise kernel, or null for row-wise activations (softmax).</summary>
    internal ActivationKind? Kind { get; }

    /// <summary><c>x</c> (Keras' <c>linear</c>; what <c>activation=None</c> means).</summary>
    public static ActivationFunction Linear { get; } = new("linear", ActivationKind.Linear);

    /// <summary><c>max(x, 0)</c>.</summary>
    public static ActivationFunction Relu { get; } = new("relu", ActivationKind.Relu);

    /// <summary><c>1 / (1 + exp(−x))</c>.</summary>
    public static ActivationFunction Sigmoid { get; } = new("sigmoid", ActivationKind.Sigmoid);

    /// <summary><c>tanh(x)</c>.</summary>
    public static ActivationFunction Tanh { get; } = new("tanh", ActivationKind.Tanh);

    /// <summary>Softmax along the last axis.</summary>
    public static ActivationFunction Softmax { get; } = new("softmax", null);

    private static readonly ActivationFunction[] s_known = [Linear, Relu, Sigmoid, Softmax, Tanh];

    /// <summary>Resolves a Keras activation name.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ActivationFunction Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_known.FirstOrDefault(a => a.Name == name) ?? throw new ArgumentException(
            $"Could not interpret activation function identifier: {name}. Known activations: {string.Join(", ", s_known.Select(a => a.Name))}.",
            nameof(name));
    }

    /// <summary>Lets a Keras name stand where an activation is expected: <c>new Dense(64, activation: "relu")</c>.</summary>
    public static implicit operator ActivationFunction(string name) => Get(name);

    /// <summary>Applies the activation.</summary>
    public Tensor Call(Tensor x) => Kind is { } k ? (k == ActivationKind.Linear ? x : Ops.Activation(x, k)) : Ops.Softmax(x);

    /// <inheritdoc />
    public override string ToString() => Name;
}
