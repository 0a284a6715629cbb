namespace KerasGpu.Optimizers;

/// <summary>
/// RMSprop (Keras' <c>keras.optimizers.RMSprop</c>): <c>v = ρ·v + (1−ρ)·g²</c>, <c>w −= lr·g / sqrt(v + ε)</c> — note ε
/// inside the square root, unlike PyTorch — with optional momentum and centering.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates RMSprop with Keras' defaults (learning rate 0.001, ρ 0.9, ε 1e−7).</summary>
    public RMSprop(float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f,
        bool centered = false, string name = "rmsprop") : base(learningRate, name)
    {
        CheckFactor(rho, nameof(rho), 0f, 1f);
        CheckFactor(momentum, nameof(momentum), 0f, 1f);
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Expected a non-negative epsilon.");
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
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step) =>
        variable.Value.Backend.RmsPropUpdate(variable.Value.Buffer, gradient.Buffer, slots[0]!.Buffer, slots[1]?.Buffer,
            slots[2]?.Buffer, gradient.Size, learningRate, Rho, Momentum, Epsilon);
}
