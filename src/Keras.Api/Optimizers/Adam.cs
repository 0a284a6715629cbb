namespace KerasGpu.Optimizers;

/// <summary>
/// Adam (Keras' <c>keras.optimizers.Adam</c>) in Keras' "epsilon-hat" form:
/// <c>α = lr·sqrt(1 − β2^t)/(1 − β1^t)</c>, <c>w −= α·m / (sqrt(v) + ε)</c>, optionally AMSGrad. One fused kernel.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>Creates Adam with Keras' defaults (learning rate 0.001, β1 0.9, β2 0.999, ε 1e−7).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1].</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1].</param>
    /// <param name="epsilon">Added to the square root of the second moment.</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public Adam(LearningRateSource learningRate = default, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f,
        bool amsgrad = false, float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null,
        string name = "adam")
        : base(learningRate, 0.001f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        CheckFactor(beta1, nameof(beta1), 0f, 1f);
        CheckFactor(beta2, nameof(beta2), 0f, 1f);
        CheckEpsilon(epsilon);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Amsgrad = amsgrad;
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the square root of the second moment.</summary>
    public float Epsilon { get; }

    /// <summary>Whether the AMSGrad variant is used.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc />
    protected override int SlotCount => 3; // m, v, v̂

    /// <inheritdoc />
    protected override bool UsesSlot(int index) => index < 2 || Amsgrad;

    /// <inheritdoc />
    protected override bool UpdatesInPlace => true;

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step)
    {
        // Keras computes the powers in float32 from the float32 betas; so do we.
        float beta1Power = MathF.Pow(Beta1, step), beta2Power = MathF.Pow(Beta2, step);
        float alpha = learningRate * MathF.Sqrt(1f - beta2Power) / (1f - beta1Power);
        variable.Value.Backend.AdamUpdate(variable.Value.Buffer, gradient.Buffer, slots[0]!.Buffer, slots[1]!.Buffer,
            slots[2]?.Buffer, gradient.Size, alpha, Beta1, Beta2, Epsilon);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["beta_1"] = (double)Beta1, ["beta_2"] = (double)Beta2, ["epsilon"] = (double)Epsilon, ["amsgrad"] = Amsgrad,
    };
}
