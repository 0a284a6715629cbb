using KerasGpu.Backend;
using static KerasGpu.Optimizers.UpdateMath;

namespace KerasGpu.Optimizers;

/// <summary>
/// Adamax, Adam with the infinity norm (Keras' <c>keras.optimizers.Adamax</c>): <c>m += (g − m)(1 − β1)</c>,
/// <c>u = max(β2·u, |g|)</c>, <c>w −= lr·m / ((1 − β1^t)(u + ε))</c>. Composed from elementwise primitives.
/// </summary>
public sealed class Adamax : Optimizer
{
    /// <summary>Creates Adamax with Keras' defaults (learning rate 0.001, β1 0.9, β2 0.999, ε 1e−7).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1].</param>
    /// <param name="beta2">Decay of the infinity norm, in [0, 1].</param>
    /// <param name="epsilon">Added to the norm.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public Adamax(LearningRateSource learningRate = default, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null, string name = "adamax")
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

    /// <summary>Decay of the exponentially weighted infinity norm.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the norm.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    protected override int SlotCount => 2; // momentum m, norm u

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step)
    {
        Tensor w = variable.Value, g = gradient, m = slots[0]!, u = slots[1]!, t = Scratch(g);
        float beta1Power = MathF.Pow(Beta1, step);
        Binary(BinaryOp.Subtract, g, m, t);
        ScaleAdd(t, 1f - Beta1, m, 1f, m);
        ScaleAdd(u, Beta2, null, 0f, u);
        Unary(UnaryOp.Abs, g, t);
        Binary(BinaryOp.Maximum, u, t, u);
        ScaleAdd(u, 1f - beta1Power, null, (1f - beta1Power) * Epsilon, t); // (1 − β1^t)(u + ε)
        Binary(BinaryOp.Divide, m, t, t);
        ScaleAdd(t, -learningRate, w, 1f, w);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["beta_1"] = (double)Beta1, ["beta_2"] = (double)Beta2, ["epsilon"] = (double)Epsilon,
    };
}
