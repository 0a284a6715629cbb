namespace KerasGpu.Optimizers;

/// <summary>
/// AdamW (Keras' <c>keras.optimizers.AdamW</c>): <see cref="Adam"/> with decoupled weight decay, default 0.004 —
/// <c>w −= w·weight_decay·lr</c> before each Adam step (Loshchilov &amp; Hutter). The fused Adam kernel plus one
/// ScaleAdd per variable.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW with Keras' defaults (learning rate 0.001, weight decay 0.004, β1 0.9, β2 0.999, ε 1e−7).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="weightDecay">The decoupled weight decay factor (required by Keras; non-negative).</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1].</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1].</param>
    /// <param name="epsilon">Added to the square root of the second moment.</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public AdamW(LearningRateSource learningRate = default, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-7f, bool amsgrad = false, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null,
        string name = "adam_w")
        : base(learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma,
            emaMomentum, emaOverwriteFrequency, name)
    {
    }
}
