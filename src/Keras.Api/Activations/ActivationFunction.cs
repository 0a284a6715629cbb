using KerasGpu.Utils;
using KerasGpu.Backend;

namespace KerasGpu.Activations;

/// <summary>
/// An activation function (Keras' <c>keras.activations.*</c>): created by name (<c>"gelu"</c>, through
/// <see cref="Get"/> or the implicit conversion from a string), by a factory with Keras' arguments
/// (<c>ActivationFunction.Relu(maxValue: 6)</c>), or from any <c>Func&lt;Tensor, Tensor&gt;</c>.
/// Relu, sigmoid and tanh with their default arguments map to a backend <see cref="ActivationKind"/>, so Dense fuses
/// them into its MatMul epilogue; the others are compositions of <see cref="Ops"/>.
/// </summary>
public sealed class ActivationFunction
{
    private readonly Func<Tensor, Tensor> _function;

    /// <summary>Wraps a custom activation (Keras accepts any callable): <paramref name="name"/> is what configs show.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public ActivationFunction(string name, Func<Tensor, Tensor> function)
        : this(name, null, function ?? throw new ArgumentNullException(nameof(function)), null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("An activation needs a non-empty name.", nameof(name));
    }

    private ActivationFunction(string name, ActivationKind? kind, Func<Tensor, Tensor> function, IReadOnlyDictionary<string, object?>? config)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kind = kind;
        _function = function;
        Config = config ?? new Dictionary<string, object?>();
    }

    /// <summary>Keras' name, e.g. <c>"relu"</c> (aliases resolve to the canonical name: <c>"swish"</c> → <c>"silu"</c>).</summary>
    public string Name { get; }

    /// <summary>The arguments besides the input, by Keras' names (e.g. <c>{"alpha": 1.0}</c> for elu); empty when there are none.</summary>
    public IReadOnlyDictionary<string, object?> Config { get; }

    /// <summary>The elementwise kernel (Dense fuses it), or null when the activation is a composition of ops.</summary>
    internal ActivationKind? Kind { get; }

    /// <summary>Applies the activation.</summary>
    public Tensor Call(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Kind switch
        {
            ActivationKind.Linear => x,
            ActivationKind k => Ops.Activation(x, k),
            null => _function(x),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    // ---- by name -------------------------------------------------------------------------------------------------

    private static readonly Dictionary<string, Func<ActivationFunction>> s_byName = new()
    {
        ["celu"] = () => Celu(),
        ["elu"] = () => Elu(),
        ["exponential"] = Exponential,
        ["gelu"] = () => Gelu(),
        ["glu"] = () => Glu(),
        ["hard_shrink"] = () => HardShrink(),
        ["hard_sigmoid"] = HardSigmoid,
        ["hard_silu"] = HardSilu,
        ["hard_swish"] = HardSwish,
        ["hard_tanh"] = HardTanh,
        ["leaky_relu"] = () => LeakyRelu(),
        ["linear"] = Linear,
        ["log_sigmoid"] = LogSigmoid,
        ["log_softmax"] = () => LogSoftmax(),
        ["mish"] = Mish,
        ["relu"] = () => Relu(),
        ["relu6"] = Relu6,
        ["selu"] = Selu,
        ["sigmoid"] = Sigmoid,
        ["silu"] = Silu,
        ["soft_shrink"] = () => SoftShrink(),
        ["softmax"] = () => Softmax(),
        ["softplus"] = Softplus,
        ["softsign"] = Softsign,
        ["sparse_plus"] = SparsePlus,
        ["sparse_sigmoid"] = SparseSigmoid,
        ["sparsemax"] = () => Sparsemax(),
        ["squareplus"] = () => Squareplus(),
        ["swish"] = Swish,
        ["tanh"] = Tanh,
        ["tanh_shrink"] = TanhShrink,
    };

    /// <summary>The names <see cref="Get"/> resolves, aliases included, in alphabetical order.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = [.. s_byName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Resolves a Keras activation name with Keras' default arguments (Keras' <c>keras.activations.get</c>); null means
    /// linear, as <c>activation=None</c> does.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Unknown name (Keras' message, plus the known names), or <c>"threshold"</c>, which has no defaults for its arguments.
    /// </exception>
    public static ActivationFunction Get(string? name)
    {
        if (name is null) return Linear();
        if (s_byName.TryGetValue(name, out var create)) return create();
        if (name == "threshold")
            throw new ArgumentException("The activation \"threshold\" has required arguments `threshold` and `default_value`, " +
                "so it cannot be used by name; use ActivationFunction.Threshold(threshold, defaultValue).", nameof(name));
        throw new ArgumentException(
            $"Could not interpret activation function identifier: {name}. Known activations: {string.Join(", ", KnownNames)}.",
            nameof(name));
    }

    /// <summary>Lets a Keras name stand where an activation is expected: <c>new Dense(64, activation: "relu")</c>.</summary>
    public static implicit operator ActivationFunction(string name) => Get(name);

    // ---- the Keras activations -----------------------------------------------------------------------------------

    private static Dictionary<string, object?> Args(params (string Key, object? Value)[] args) =>
        args.ToDictionary(a => a.Key, a => a.Value);

    /// <summary><c>x</c> unchanged (Keras' <c>linear</c>; what <c>activation=None</c> means).</summary>
    public static ActivationFunction Linear() => new("linear", ActivationKind.Linear, x => x, null);

    /// <summary>
    /// Rectified linear unit. With the defaults <c>max(x, 0)</c> (a fused kernel). Otherwise, as Keras composes it:
    /// values above <paramref name="threshold"/> pass (0 at or below it), capped at <paramref name="maxValue"/>, and
    /// <c>negativeSlope · (x − threshold)</c> is added below the threshold.
    /// </summary>
    /// <param name="negativeSlope">Slope below the threshold; default 0.</param>
    /// <param name="maxValue">Saturation value; null (default) means none.</param>
    /// <param name="threshold">Values at or below it are damped or zeroed; default 0.</param>
    /// <exception cref="ArgumentException"><paramref name="maxValue"/> is negative or NaN.</exception>
    public static ActivationFunction Relu(float negativeSlope = 0f, float? maxValue = null, float threshold = 0f)
    {
        if (maxValue is float m && !(m >= 0f))
            throw new ArgumentException($"max_value of relu cannot be negative. Received: max_value={PyFormat.ReprOfLiteral(m)}", nameof(maxValue));
        var config = Args(("negative_slope", negativeSlope), ("max_value", maxValue), ("threshold", threshold));
        if (negativeSlope == 0f && maxValue is null && threshold == 0f)
            return new("relu", ActivationKind.Relu, Ops.Relu, config);
        return new("relu", null, x => ReluWithOptions(x, negativeSlope, maxValue, threshold), config);
    }

    // Keras' ReLU.static_call, op by op.
    private static Tensor ReluWithOptions(Tensor x, float negativeSlope, float? maxValue, float threshold)
    {
        if (negativeSlope != 0f && maxValue is null && threshold == 0f) return Ops.LeakyRelu(x, negativeSlope);
        Tensor? negativePart = negativeSlope == 0f ? null
            : Ops.Relu(threshold != 0f ? Ops.Subtract(threshold, x) : Ops.Negative(x));
        var y = threshold != 0f
            ? Ops.Where(Ops.Greater(x, Ops.Scalar(x.Backend, threshold)), x, Ops.Scalar(x.Backend, 0f))
            : Ops.Relu(x);
        if (maxValue is float max) y = Ops.Clip(y, 0f, max);
        return negativePart is null ? y : Ops.Subtract(y, Ops.Scale(negativePart, negativeSlope));
    }

    /// <summary>Leaky ReLU: <c>x</c> for <c>x ≥ 0</c>, else <c>negativeSlope · x</c> (default 0.2, as keras.activations).</summary>
    public static ActivationFunction LeakyRelu(float negativeSlope = 0.2f) =>
        new("leaky_relu", null, x => Ops.LeakyRelu(x, negativeSlope), Args(("negative_slope", negativeSlope)));

    /// <summary>ReLU capped at 6.</summary>
    public static ActivationFunction Relu6() => new("relu6", null, Ops.Relu6, null);

    /// <summary>Exponential linear unit: <c>x</c> for <c>x ≥ 0</c>, else <c>alpha · (eˣ − 1)</c>.</summary>
    public static ActivationFunction Elu(float alpha = 1f) =>
        new("elu", null, x => Ops.Elu(x, alpha), Args(("alpha", alpha)));

    /// <summary>Scaled exponential linear unit, <c>1.0507 · elu(x, 1.6733)</c>.</summary>
    public static ActivationFunction Selu() => new("selu", null, Ops.Selu, null);

    /// <summary>Continuously differentiable ELU: <c>max(x, 0) + alpha · (exp(min(x, 0) / alpha) − 1)</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="alpha"/> is zero.</exception>
    public static ActivationFunction Celu(float alpha = 1f)
    {
        if (alpha == 0f) throw new ArgumentException("celu divides by alpha, so alpha must be nonzero; received alpha=0.0.", nameof(alpha));
        return new("celu", null, x => Ops.Celu(x, alpha), Args(("alpha", alpha)));
    }

    /// <summary>
    /// Gaussian error linear unit, <c>x · Φ(x)</c>. keras.activations.gelu defaults to the exact erf form
    /// (<paramref name="approximate"/> false); true selects the tanh approximation.
    /// </summary>
    public static ActivationFunction Gelu(bool approximate = false) =>
        new("gelu", null, x => Ops.Gelu(x, approximate), Args(("approximate", approximate)));

    /// <summary>Gated linear unit: halves <c>a, b</c> of <paramref name="axis"/>, <c>a · sigmoid(b)</c> (the axis halves).</summary>
    public static ActivationFunction Glu(int axis = -1) => new("glu", null, x => Ops.Glu(x, axis), Args(("axis", axis)));

    /// <summary><c>1 / (1 + exp(−x))</c>.</summary>
    public static ActivationFunction Sigmoid() => new("sigmoid", ActivationKind.Sigmoid, Ops.Sigmoid, null);

    /// <summary>Sparse sigmoid: <c>clip((x + 1) / 2, 0, 1)</c>.</summary>
    public static ActivationFunction SparseSigmoid() => new("sparse_sigmoid", null, Ops.SparseSigmoid, null);

    /// <summary>Hard sigmoid: <c>clip(x / 6 + 0.5, 0, 1)</c>.</summary>
    public static ActivationFunction HardSigmoid() => new("hard_sigmoid", null, Ops.HardSigmoid, null);

    /// <summary><c>log(sigmoid(x))</c>.</summary>
    public static ActivationFunction LogSigmoid() => new("log_sigmoid", null, Ops.LogSigmoid, null);

    /// <summary>SiLU, also called swish: <c>x · sigmoid(x)</c>.</summary>
    public static ActivationFunction Silu() => new("silu", null, Ops.Silu, null);

    /// <summary>Swish, Keras' alias of <see cref="Silu"/> (the result is named <c>"silu"</c>, as Keras serializes it).</summary>
    public static ActivationFunction Swish() => Silu();

    /// <summary>Hard SiLU, also called hard swish: <c>x · hard_sigmoid(x)</c>.</summary>
    public static ActivationFunction HardSilu() => new("hard_silu", null, Ops.HardSilu, null);

    /// <summary>Hard swish, Keras' alias of <see cref="HardSilu"/> (named <c>"hard_silu"</c>).</summary>
    public static ActivationFunction HardSwish() => HardSilu();

    /// <summary>Mish: <c>x · tanh(softplus(x))</c>.</summary>
    public static ActivationFunction Mish() => new("mish", null, x => Ops.Multiply(x, Ops.Tanh(Ops.Softplus(x))), null);

    /// <summary><c>log(eˣ + 1)</c>.</summary>
    public static ActivationFunction Softplus() => new("softplus", null, Ops.Softplus, null);

    /// <summary><c>x / (|x| + 1)</c>.</summary>
    public static ActivationFunction Softsign() => new("softsign", null, Ops.Softsign, null);

    /// <summary>Soft shrink: <c>x ∓ threshold</c> outside <c>[−threshold, threshold]</c>, else 0.</summary>
    public static ActivationFunction SoftShrink(float threshold = 0.5f) =>
        new("soft_shrink", null, x => Ops.SoftShrink(x, threshold), Args(("threshold", threshold)));

    /// <summary>Sparse plus: 0, <c>(x + 1)² / 4</c> or <c>x</c> on <c>(−∞, −1]</c>, <c>(−1, 1)</c>, <c>[1, ∞)</c>.</summary>
    public static ActivationFunction SparsePlus() => new("sparse_plus", null, Ops.SparsePlus, null);

    /// <summary>Squareplus: <c>(x + √(x² + b)) / 2</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> is negative.</exception>
    public static ActivationFunction Squareplus(float b = 4f)
    {
        if (!(b >= 0f)) throw new ArgumentException($"squareplus expects b ≥ 0; received b={PyFormat.ReprOfLiteral(b)}.", nameof(b));
        return new("squareplus", null, x => Ops.Squareplus(x, b), Args(("b", b)));
    }

    /// <summary><c>tanh(x)</c>.</summary>
    public static ActivationFunction Tanh() => new("tanh", ActivationKind.Tanh, Ops.Tanh, null);

    /// <summary><c>x − tanh(x)</c>.</summary>
    public static ActivationFunction TanhShrink() => new("tanh_shrink", null, Ops.TanhShrink, null);

    /// <summary>Clips to <c>[−1, 1]</c>.</summary>
    public static ActivationFunction HardTanh() => new("hard_tanh", null, Ops.HardTanh, null);

    /// <summary><c>x</c> where <c>|x| &gt; threshold</c>, else 0.</summary>
    public static ActivationFunction HardShrink(float threshold = 0.5f) =>
        new("hard_shrink", null, x => Ops.HardShrink(x, threshold), Args(("threshold", threshold)));

    /// <summary><c>x</c> where <c>x &gt; threshold</c>, else <paramref name="defaultValue"/>.</summary>
    public static ActivationFunction Threshold(float threshold, float defaultValue) =>
        new("threshold", null, x => Ops.Threshold(x, threshold, defaultValue),
            Args(("threshold", threshold), ("default_value", defaultValue)));

    /// <summary><c>eˣ</c>.</summary>
    public static ActivationFunction Exponential() => new("exponential", null, Ops.Exp, null);

    /// <summary>Softmax along <paramref name="axis"/> (default the last, which runs on the fused kernel).</summary>
    public static ActivationFunction Softmax(int axis = -1) =>
        new("softmax", null, x => axis == -1 ? Ops.Softmax(x) : Ops.Softmax(x, axis), Args(("axis", axis)));

    /// <summary>Sparsemax along <paramref name="axis"/>: the projection onto the probability simplex (sparse outputs summing to 1).</summary>
    public static ActivationFunction Sparsemax(int axis = -1) =>
        new("sparsemax", null, x => Ops.Sparsemax(x, axis), Args(("axis", axis)));

    /// <summary>Log-softmax along <paramref name="axis"/>.</summary>
    public static ActivationFunction LogSoftmax(int axis = -1) =>
        new("log_softmax", null, x => Ops.LogSoftmax(x, axis), Args(("axis", axis)));
}
