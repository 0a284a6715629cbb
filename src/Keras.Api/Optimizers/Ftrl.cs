using KerasGpu.Backend;
using static KerasGpu.Optimizers.UpdateMath;

namespace KerasGpu.Optimizers;

/// <summary>
/// FTRL-Proximal (Keras' <c>keras.optimizers.Ftrl</c>, McMahan et al. 2013) with online L1/L2 and shrinkage L2:
/// with <c>p = −learning_rate_power</c>, <c>n' = n + g²</c>, <c>z += g + 2·λ_s·w − (n'^p − n^p)/lr·w</c>,
/// <c>w = (clip(z, −λ1, λ1) − z) / (n'^p/lr + 2·(λ2 + β/(2·lr)))</c>, <c>n = n'</c>. Composed from elementwise primitives.
/// </summary>
public sealed class Ftrl : Optimizer
{
    /// <summary>Creates FTRL with Keras' defaults (learning rate 0.001, power −0.5, initial accumulator 0.1, no regularisation, β 0).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="learningRatePower">How the learning rate decreases; ≤ 0 (0 for a fixed rate).</param>
    /// <param name="initialAccumulatorValue">Starting value of the accumulator n (≥ 0).</param>
    /// <param name="l1RegularizationStrength">L1 strength λ1 (≥ 0).</param>
    /// <param name="l2RegularizationStrength">Stabilising L2 strength λ2 (≥ 0).</param>
    /// <param name="l2ShrinkageRegularizationStrength">Magnitude-penalty L2 strength λ_s (≥ 0).</param>
    /// <param name="beta">The paper's β.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public Ftrl(LearningRateSource learningRate = default, float learningRatePower = -0.5f, float initialAccumulatorValue = 0.1f,
        float l1RegularizationStrength = 0f, float l2RegularizationStrength = 0f, float l2ShrinkageRegularizationStrength = 0f,
        float beta = 0f, float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null, string name = "ftrl")
        : base(learningRate, 0.001f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        if (!(initialAccumulatorValue >= 0) || !float.IsFinite(initialAccumulatorValue))
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), initialAccumulatorValue,
                $"`initial_accumulator_value` needs to be positive or zero. Received: initial_accumulator_value={Py(initialAccumulatorValue)}.");
        if (!(learningRatePower <= 0) || !float.IsFinite(learningRatePower))
            throw new ArgumentOutOfRangeException(nameof(learningRatePower), learningRatePower,
                $"`learning_rate_power` needs to be negative or zero. Received: learning_rate_power={Py(learningRatePower)}.");
        CheckStrength(l1RegularizationStrength, nameof(l1RegularizationStrength), "l1_regularization_strength");
        CheckStrength(l2RegularizationStrength, nameof(l2RegularizationStrength), "l2_regularization_strength");
        CheckStrength(l2ShrinkageRegularizationStrength, nameof(l2ShrinkageRegularizationStrength), "l2_shrinkage_regularization_strength");
        if (!float.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, $"Expected a finite beta. Received: beta={Py(beta)}");
        LearningRatePower = learningRatePower;
        InitialAccumulatorValue = initialAccumulatorValue;
        L1RegularizationStrength = l1RegularizationStrength;
        L2RegularizationStrength = l2RegularizationStrength;
        L2ShrinkageRegularizationStrength = l2ShrinkageRegularizationStrength;
        Beta = beta;
    }

    private static void CheckStrength(float value, string parameter, string kerasName)
    {
        if (!(value >= 0) || !float.IsFinite(value))
            throw new ArgumentOutOfRangeException(parameter, value, $"`{kerasName}` needs to be positive or zero. Received: {kerasName}={Py(value)}.");
    }

    /// <summary>How the learning rate decreases (≤ 0).</summary>
    public float LearningRatePower { get; }

    /// <summary>Starting value of the accumulator.</summary>
    public float InitialAccumulatorValue { get; }

    /// <summary>L1 strength.</summary>
    public float L1RegularizationStrength { get; }

    /// <summary>Stabilising L2 strength.</summary>
    public float L2RegularizationStrength { get; }

    /// <summary>Magnitude-penalty (shrinkage) L2 strength.</summary>
    public float L2ShrinkageRegularizationStrength { get; }

    /// <summary>The paper's β.</summary>
    public float Beta { get; }

    /// <inheritdoc />
    protected override int SlotCount => 2; // accumulator n, linear z

    /// <inheritdoc />
    protected override float SlotInitialValue(int index) => index == 0 ? InitialAccumulatorValue : 0f;

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step)
    {
        Tensor w = variable.Value, g = gradient, accumulator = slots[0]!, linear = slots[1]!;
        Tensor gradToUse = Scratch(g), newAccumulator = Scratch(g), newPower = Scratch(g), t = Scratch(g);
        float l2 = L2RegularizationStrength + Beta / (2f * learningRate);
        var power = Constant(g.Backend, -LearningRatePower);
        ScaleAdd(w, 2f * L2ShrinkageRegularizationStrength, g, 1f, gradToUse);
        Unary(UnaryOp.Square, g, newAccumulator);
        Binary(BinaryOp.Add, accumulator, newAccumulator, newAccumulator);
        Binary(BinaryOp.Power, newAccumulator, power, newPower);
        Binary(BinaryOp.Power, accumulator, power, t);
        Binary(BinaryOp.Subtract, newPower, t, t);
        ScaleAdd(t, 1f / learningRate, null, 0f, t);
        Binary(BinaryOp.Multiply, t, w, t);
        Binary(BinaryOp.Subtract, gradToUse, t, t);
        Binary(BinaryOp.Add, linear, t, linear);
        ScaleAdd(newPower, 1f / learningRate, null, 2f * l2, newPower); // the quadratic term
        Binary(BinaryOp.Maximum, linear, Constant(g.Backend, -L1RegularizationStrength), t);
        Binary(BinaryOp.Minimum, t, Constant(g.Backend, L1RegularizationStrength), t);
        Binary(BinaryOp.Subtract, t, linear, t);
        Binary(BinaryOp.Divide, t, newPower, w);
        Copy(newAccumulator, accumulator);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["learning_rate_power"] = (double)LearningRatePower,
        ["initial_accumulator_value"] = (double)InitialAccumulatorValue,
        ["l1_regularization_strength"] = (double)L1RegularizationStrength,
        ["l2_regularization_strength"] = (double)L2RegularizationStrength,
        ["l2_shrinkage_regularization_strength"] = (double)L2ShrinkageRegularizationStrength,
        ["beta"] = (double)Beta,
    };
}
