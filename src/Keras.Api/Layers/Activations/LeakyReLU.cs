using KerasGpu.Utils;
using KerasGpu.Activations;

namespace KerasGpu.Layers;

/// <summary>
/// Leaky rectified linear unit layer (Keras' <c>keras.layers.LeakyReLU</c>): <c>x</c> for <c>x ≥ 0</c>, else
/// <c>negative_slope · x</c>. The layer's default slope is 0.3 (the function's, keras.activations.leaky_relu, is 0.2).
/// </summary>
public sealed class LeakyReLU : Layer
{
    /// <summary>Creates a leaky ReLU layer.</summary>
    /// <param name="negativeSlope">Slope for negative inputs, ≥ 0; default 0.3.</param>
    /// <param name="name">Layer name; default <c>leaky_re_lu</c>, <c>leaky_re_lu_1</c>, ...</param>
    /// <exception cref="ArgumentException"><paramref name="negativeSlope"/> is negative or NaN (Keras' message).</exception>
    public LeakyReLU(float negativeSlope = 0.3f, string? name = null) : base(Validate(negativeSlope, name))
    {
        NegativeSlope = negativeSlope;
        Built = true;
    }

    // Runs before the base constructor, so a bad argument does not consume an auto-name.
    private static string? Validate(float negativeSlope, string? name) => negativeSlope >= 0f ? name
        : throw new ArgumentException("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. " +
            $"Expected a float. Received: negative_slope={PyFormat.ReprOfLiteral(negativeSlope)}", nameof(negativeSlope));

    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => inputShape;

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => Ops.LeakyRelu(inputs, NegativeSlope);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["negative_slope"] = NegativeSlope };
}
