using KerasGpu.Backend;
using static KerasGpu.Optimizers.UpdateMath;

namespace KerasGpu.Optimizers;

/// <summary>
/// Lion (Keras' <c>keras.optimizers.Lion</c>, Chen et al. 2023): <c>w −= lr·sign(β1·m + (1 − β1)·g)</c>, then
/// <c>m = β2·m + (1 − β2)·g</c>. Composed from elementwise primitives.
/// </summary>
public sealed class Lion : Optimizer
{
    /// <summary>Creates Lion with Keras' defaults (learning rate 0.001, β1 0.9, β2 0.99).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="beta1">Interpolation between momentum and gradient for the update, in (0, 1].</param>
    /// <param name="beta2">Decay of the momentum, in [0, 1].</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public Lion(LearningRateSource learningRate = default, float beta1 = 0.9f, float beta2 = 0.99f,
        float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null, string name = "lion")
        : base(learningRate, 0.001f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        if (!(beta1 > 0 && beta1 <= 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1,
                $"Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1={Py(beta1)}.");
        CheckFactor(beta2, nameof(beta2), 0f, 1f);
        Beta1 = beta1;
        Beta2 = beta2;
    }

    /// <summary>Interpolation between momentum and gradient for the update's sign.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the momentum.</summary>
    public float Beta2 { get; }

    /// <inheritdoc />
    protected override int SlotCount => 1; // momentum

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step)
    {
        Tensor w = variable.Value, g = gradient, m = slots[0]!, t = Scratch(g);
        ScaleAdd(m, Beta1, g, 1f - Beta1, t);
        Unary(UnaryOp.Sign, t, t);
        ScaleAdd(t, -learningRate, w, 1f, w);
        ScaleAdd(m, Beta2, g, 1f - Beta2, m);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["beta_1"] = (double)Beta1, ["beta_2"] = (double)Beta2,
    };
}
