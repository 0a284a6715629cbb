namespace KerasGpu.Optimizers;

/// <summary>
/// RMSprop (Keras' <c>keras.optimizers.RMSprop</c>): <c>v = ρ·v + (1−ρ)·g²</c>, <c>w −= lr·g / sqrt(v + ε)</c> — note ε
/// inside the square root, unlike PyTorch — with optional momentum and centering. One fused kernel.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates RMSprop with Keras' defaults (learning rate 0.001, ρ 0.9, ε 1e−7).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.001.</param>
    /// <param name="rho">Discount factor of the squared-gradient average, in [0, 1].</param>
    /// <param name="momentum">Momentum factor in [0, 1].</param>
    /// <param name="epsilon">Small constant inside the square root.</param>
    /// <param name="centered">Whether to centre gradients by their running mean.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public RMSprop(LearningRateSource learningRate = default, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f,
        bool centered = false, float? weightDecay = null, float? clipnorm = null, float? clipvalue = null,
        float? globalClipnorm = null, bool useEma = false, float emaMomentum = 0.99f, int? emaOverwriteFrequency = null,
        string name = "rmsprop")
        : base(learningRate, 0.001f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        CheckFactor(rho, nameof(rho), 0f, 1f);
        CheckFactor(momentum, nameof(momentum), 0f, 1f);
        CheckEpsilon(epsilon);
        Rho = rho;
        Momentum = momentum;
        Epsilon = epsilon;
        Centered = centered;
    }

    /// <summary>Discount factor ρ of the squared-gradient average.</summary>
    public float Rho { get; }

    /// <summary>Momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>Small constant inside the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Whether gradients are centred by their running mean.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    protected override int SlotCount => 3; // velocity, momentum, average gradient

    /// <inheritdoc />
    protected override bool UsesSlot(int index) => index == 0 || (index == 1 && Momentum > 0) || (index == 2 && Centered);

    /// <inheritdoc />
    protected override bool UpdatesInPlace => true;

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step) =>
        variable.Value.Backend.RmsPropUpdate(variable.Value.Buffer, gradient.Buffer, slots[0]!.Buffer, slots[1]?.Buffer,
            slots[2]?.Buffer, gradient.Size, learningRate, Rho, Momentum, Epsilon);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["rho"] = (double)Rho, ["momentum"] = (double)Momentum, ["epsilon"] = (double)Epsilon, ["centered"] = Centered,
    };
}
