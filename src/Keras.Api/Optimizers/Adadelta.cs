using KerasGpu.Backend;
using static KerasGpu.Optimizers.UpdateMath;

namespace KerasGpu.Optimizers;

/// <summary>
/// Adadelta (Keras' <c>keras.optimizers.Adadelta</c>, Zeiler 2012): <c>E[g²] = ρ·E[g²] + (1 − ρ)·g²</c>,
/// <c>Δ = −sqrt(E[Δ²] + ε)·g / sqrt(E[g²] + ε)</c>, <c>E[Δ²] = ρ·E[Δ²] + (1 − ρ)·Δ²</c>, <c>w += lr·Δ</c>.
/// Composed from elementwise primitives.
/// </summary>
public sealed class Adadelta : Optimizer
{
    /// <summary>Creates Adadelta with Keras' defaults (learning rate 0.001, ρ 0.95, ε 1e−7); the paper's form uses learning rate 1.</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="rho">The decay rate, in [0, 1].</param>
    /// <param name="epsilon">Added inside both square roots.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public Adadelta(LearningRateSource learningRate = default, float rho = 0.95f, float epsilon = 1e-7f,
        float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null, string name = "adadelta")
        : base(learningRate, 0.001f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        CheckFactor(rho, nameof(rho), 0f, 1f);
        CheckEpsilon(epsilon);
        Rho = rho;
        Epsilon = epsilon;
    }

    /// <summary>The decay rate.</summary>
    public float Rho { get; }

    /// <summary>Added inside both square roots.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    protected override int SlotCount => 2; // accumulated gradient, accumulated delta

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step)
    {
        Tensor w = variable.Value, g = gradient, accumulatedGrad = slots[0]!, accumulatedDelta = slots[1]!;
        Tensor t = Scratch(g), negativeDelta = Scratch(g);
        Unary(UnaryOp.Square, g, t);
        ScaleAdd(accumulatedGrad, Rho, t, 1f - Rho, accumulatedGrad);
        ScaleAdd(accumulatedDelta, 1f, null, Epsilon, negativeDelta);
        Unary(UnaryOp.Sqrt, negativeDelta, negativeDelta);
        Binary(BinaryOp.Multiply, negativeDelta, g, negativeDelta);
        ScaleAdd(accumulatedGrad, 1f, null, Epsilon, t);
        Unary(UnaryOp.Sqrt, t, t);
        Binary(BinaryOp.Divide, negativeDelta, t, negativeDelta);
        Unary(UnaryOp.Square, negativeDelta, t);
        ScaleAdd(accumulatedDelta, Rho, t, 1f - Rho, accumulatedDelta);
        ScaleAdd(negativeDelta, -learningRate, w, 1f, w);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["rho"] = (double)Rho, ["epsilon"] = (double)Epsilon,
    };
}
