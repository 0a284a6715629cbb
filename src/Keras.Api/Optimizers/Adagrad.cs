using KerasGpu.Backend;
using static KerasGpu.Optimizers.UpdateMath;

namespace KerasGpu.Optimizers;

/// <summary>
/// Adagrad (Keras' <c>keras.optimizers.Adagrad</c>): <c>acc += g²</c>, <c>w −= lr·g / sqrt(acc + ε)</c>, with the
/// accumulator starting at <c>initial_accumulator_value</c>. Composed from elementwise primitives.
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates Adagrad with Keras' defaults (learning rate 0.001, initial accumulator 0.1, ε 1e−7).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="initialAccumulatorValue">Starting value of the accumulator (non-negative).</param>
    /// <param name="epsilon">Added inside the square root.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public Adagrad(LearningRateSource learningRate = default, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f,
        float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null, string name = "adagrad")
        : base(learningRate, 0.001f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        if (!(initialAccumulatorValue >= 0) || !float.IsFinite(initialAccumulatorValue))
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), initialAccumulatorValue,
                $"`initial_accumulator_value` needs to be positive or zero. Received: initial_accumulator_value={Py(initialAccumulatorValue)}.");
        CheckEpsilon(epsilon);
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
    }

    /// <summary>Starting value of the accumulator.</summary>
    public float InitialAccumulatorValue { get; }

    /// <summary>Added inside the square root.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    protected override int SlotCount => 1; // accumulator

    /// <inheritdoc />
    protected override float SlotInitialValue(int index) => InitialAccumulatorValue;

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step)
    {
        Tensor w = variable.Value, g = gradient, accumulator = slots[0]!, t = Scratch(g);
        Unary(UnaryOp.Square, g, t);
        Binary(BinaryOp.Add, accumulator, t, accumulator);
        ScaleAdd(accumulator, 1f, null, Epsilon, t);
        Unary(UnaryOp.Sqrt, t, t);
        Binary(BinaryOp.Divide, g, t, t);
        ScaleAdd(t, -learningRate, w, 1f, w);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["initial_accumulator_value"] = (double)InitialAccumulatorValue, ["epsilon"] = (double)Epsilon,
    };
}
