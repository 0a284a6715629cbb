namespace KerasGpu.Optimizers.Schedules;

/// <summary>
/// <c>initial_learning_rate / (1 + decay_rate · step / decay_steps)</c>, with <c>step / decay_steps</c> floored when
/// <see cref="Staircase"/> (Keras' <c>keras.optimizers.schedules.InverseTimeDecay</c>).
/// </summary>
public sealed class InverseTimeDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">How often the decay applies; must be positive.</param>
    /// <param name="decayRate">The decay rate.</param>
    /// <param name="staircase">Decay at discrete intervals (integer division of the step).</param>
    /// <param name="name">Keras' name, default <c>"InverseTimeDecay"</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> ≤ 0, or a rate is not finite.</exception>
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false,
        string name = "InverseTimeDecay") : base(name)
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckFinite(decayRate, nameof(decayRate));
        CheckPositiveSteps(decaySteps, nameof(decaySteps));
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        DecayRate = decayRate;
        Staircase = staircase;
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>How often the decay applies.</summary>
    public long DecaySteps { get; }

    /// <summary>The decay rate.</summary>
    public double DecayRate { get; }

    /// <summary>Whether <c>step / decay_steps</c> is floored.</summary>
    public bool Staircase { get; }

    /// <inheritdoc />
    protected override double Evaluate(long step)
    {
        double p = (double)step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate / (1 + DecayRate * p);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase,
        ["name"] = Name,
    };
}
