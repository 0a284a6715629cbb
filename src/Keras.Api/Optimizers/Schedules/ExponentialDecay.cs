namespace KerasGpu.Optimizers.Schedules;

/// <summary>
/// <c>initial_learning_rate · decay_rate^(step / decay_steps)</c>, with the exponent floored when
/// <see cref="Staircase"/> (Keras' <c>keras.optimizers.schedules.ExponentialDecay</c>).
/// </summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">Steps per factor of <paramref name="decayRate"/>; must be positive.</param>
    /// <param name="decayRate">The factor applied every <paramref name="decaySteps"/> steps.</param>
    /// <param name="staircase">Decay at discrete intervals (integer division of the step).</param>
    /// <param name="name">Keras' name, default <c>"ExponentialDecay"</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> ≤ 0, or a rate is not finite.</exception>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false,
        string name = "ExponentialDecay") : base(name)
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

    /// <summary>Steps per factor of <see cref="DecayRate"/>.</summary>
    public long DecaySteps { get; }

    /// <summary>The decay factor.</summary>
    public double DecayRate { get; }

    /// <summary>Whether the exponent is floored.</summary>
    public bool Staircase { get; }

    /// <inheritdoc />
    protected override double Evaluate(long step)
    {
        double p = (double)step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate * Math.Pow(DecayRate, p);
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
