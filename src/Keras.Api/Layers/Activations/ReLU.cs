using KerasGpu.Utils;
using KerasGpu.Activations;

namespace KerasGpu.Layers;

/// <summary>
/// Rectified linear unit layer (Keras' <c>keras.layers.ReLU</c>): <c>max_value</c> at or above it, <c>x</c> from the
/// threshold up, <c>negative_slope · (x − threshold)</c> below. With the defaults it is <c>max(x, 0)</c> on the fused kernel.
/// </summary>
public sealed class ReLU : Layer
{
    private readonly ActivationFunction _function;

    /// <summary>Creates a ReLU layer.</summary>
    /// <param name="maxValue">Maximum activation value, ≥ 0; null (default) means unlimited.</param>
    /// <param name="negativeSlope">Slope below the threshold, ≥ 0; default 0.</param>
    /// <param name="threshold">Threshold below which values are damped, ≥ 0; default 0.</param>
    /// <param name="name">Layer name; default <c>re_lu</c>, <c>re_lu_1</c>, ...</param>
    /// <exception cref="ArgumentException">An argument is negative or NaN (Keras' messages).</exception>
    public ReLU(float? maxValue = null, float negativeSlope = 0f, float threshold = 0f, string? name = null)
        : base(Validate(maxValue, negativeSlope, threshold, name))
    {
        MaxValue = maxValue;
        NegativeSlope = negativeSlope;
        Threshold = threshold;
        _function = ActivationFunction.Relu(negativeSlope, maxValue, threshold);
        Built = true;
    }

    // Runs before the base constructor, so a bad argument does not consume an auto-name.
    private static string? Validate(float? maxValue, float negativeSlope, float threshold, string? name)
    {
        if (maxValue is float m && !(m >= 0f))
            throw new ArgumentException($"max_value of a ReLU layer cannot be a negative value. Received: max_value={PyFormat.ReprOfLiteral(m)}", nameof(maxValue));
        if (!(negativeSlope >= 0f))
            throw new ArgumentException($"negative_slope of a ReLU layer cannot be None or a negative value. Received: negative_slope={PyFormat.ReprOfLiteral(negativeSlope)}", nameof(negativeSlope));
        if (!(threshold >= 0f))
            throw new ArgumentException($"threshold of a ReLU layer cannot be None or a negative value. Received: threshold={PyFormat.ReprOfLiteral(threshold)}", nameof(threshold));
        return name;
    }

    /// <summary>The saturation value, or null for none.</summary>
    public float? MaxValue { get; }

    /// <summary>The slope below the threshold.</summary>
    public float NegativeSlope { get; }

    /// <summary>The threshold.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => _function.Call(inputs);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["max_value"] = MaxValue, ["negative_slope"] = NegativeSlope, ["threshold"] = Threshold,
    };
}
