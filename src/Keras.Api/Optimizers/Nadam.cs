using KerasGpu.Backend;
using static KerasGpu.Optimizers.UpdateMath;

namespace KerasGpu.Optimizers;

/// <summary>
/// Nadam, Adam with Nesterov momentum (Keras' <c>keras.optimizers.Nadam</c>, Dozat 2015): with the momentum schedule
/// <c>μ_t = β1(1 − 0.5·0.96^t)</c> and its running product <c>Π_t</c>,
/// <c>m̂ = μ_{t+1}·m/(1 − Π_t·μ_{t+1}) + (1 − μ_t)·g/(1 − Π_t)</c>, <c>v̂ = v/(1 − β2^t)</c>,
/// <c>w −= lr·m̂/(sqrt(v̂) + ε)</c>. The product is an optimizer-wide scalar kept on the host (it depends only on the step).
/// Composed from elementwise primitives.
/// </summary>
public sealed class Nadam : Optimizer
{
    private float _uProduct = 1f;

    /// <summary>Creates Nadam with Keras' defaults (learning rate 0.001, β1 0.9, β2 0.999, ε 1e−7).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1].</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1].</param>
    /// <param name="epsilon">Added to the square root of the second moment.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public Nadam(LearningRateSource learningRate = default, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null, string name = "nadam")
        : base(learningRate, 0.001f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        CheckFactor(beta1, nameof(beta1), 0f, 1f);
        CheckFactor(beta2, nameof(beta2), 0f, 1f);
        CheckEpsilon(epsilon);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the square root of the second moment.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    protected override int SlotCount => 2; // momentum, velocity

    /// <inheritdoc />
    protected override int ExtraScalarCount => 1; // Keras' u_product variable

    private float MomentumAt(long step) => Beta1 * (1f - 0.5f * MathF.Pow(0.96f, step));

    /// <inheritdoc />
    protected override void BeforeUpdates(long step) => _uProduct *= MomentumAt(step);

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step)
    {
        Tensor w = variable.Value, g = gradient, m = slots[0]!, v = slots[1]!, t = Scratch(g), mHat = Scratch(g);
        float uT = MomentumAt(step), uNext = MomentumAt(step + 1);
        float uProduct = _uProduct, uProductNext = uProduct * uNext;
        float beta2Power = MathF.Pow(Beta2, step);
        Binary(BinaryOp.Subtract, g, m, t);
        ScaleAdd(t, 1f - Beta1, m, 1f, m);
        Unary(UnaryOp.Square, g, t);
        Binary(BinaryOp.Subtract, t, v, t);
        ScaleAdd(t, 1f - Beta2, v, 1f, v);
        ScaleAdd(m, uNext / (1f - uProductNext), g, (1f - uT) / (1f - uProduct), mHat);
        ScaleAdd(v, 1f / (1f - beta2Power), null, 0f, t);
        Unary(UnaryOp.Sqrt, t, t);
        ScaleAdd(t, 1f, null, Epsilon, t);
        Binary(BinaryOp.Divide, mHat, t, mHat);
        ScaleAdd(mHat, -learningRate, w, 1f, w);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["beta_1"] = (double)Beta1, ["beta_2"] = (double)Beta2, ["epsilon"] = (double)Epsilon,
    };
}
