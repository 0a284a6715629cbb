namespace KerasGpu.Regularizers;

/// <summary>
/// The base of every weight regularizer (Keras' <c>keras.regularizers.Regularizer</c>): a penalty on a weight whose value
/// is added to the training loss. Layers take one by object or by Keras name (<c>kernelRegularizer: "l2"</c>).
/// </summary>
public abstract class Regularizer
{
    /// <summary>The penalty for <paramref name="x"/>, a scalar tensor (differentiable through the tape).</summary>
    public abstract Tensor Call(Tensor x);

    /// <summary>Keras' <c>get_config()</c>.</summary>
    public abstract IReadOnlyDictionary<string, object?> GetConfig();

    private static readonly Dictionary<string, Func<Regularizer>> s_byName = new()
    {
        ["L1"] = () => new L1(), ["l1"] = () => new L1(),
        ["L2"] = () => new L2(), ["l2"] = () => new L2(),
        ["L1L2"] = () => new L1L2(), ["l1l2"] = () => new L1L2(), ["l1_l2"] = () => new L1L2(),
        ["OrthogonalRegularizer"] = () => new OrthogonalRegularizer(), ["orthogonal_regularizer"] = () => new OrthogonalRegularizer(),
    };

    /// <summary>
    /// Resolves a Keras regularizer name (case-sensitive, as Keras): <c>"l1"</c>, <c>"l2"</c>, <c>"l1_l2"</c>,
    /// <c>"orthogonal_regularizer"</c> or the class names. Each call returns a new instance with Keras' defaults.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Regularizer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name, out var create) ? create() : throw new ArgumentException(
            $"Could not interpret regularizer identifier: {name}. Known regularizers: l1, l2, l1_l2, orthogonal_regularizer.", nameof(name));
    }

    /// <summary>Lets a Keras name stand where a regularizer is expected.</summary>
    public static implicit operator Regularizer(string name) => Get(name);

    /// <summary>Keras' <c>validate_float_arg</c>: a finite, non-negative factor.</summary>
    internal static double ValidateFactor(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value
        : throw new ArgumentException($"Invalid value for argument {name}: expected a non-negative float. Received: {name}={value}", name);
}
