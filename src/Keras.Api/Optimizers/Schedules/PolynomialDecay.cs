namespace KerasGpu.Optimizers.Schedules;

/// <summary>
/// Polynomial decay from <c>initial_learning_rate</c> to <c>end_learning_rate</c> over <c>decay_steps</c> (Keras'
/// <c>keras.optimizers.schedules.PolynomialDecay</c>):
/// <c>(initial − end)·(1 − step/decay_steps)^power + end</c> with the step capped at <c>decay_steps</c>; with
/// <see cref="Cycle"/>, <c>decay_steps</c> is instead scaled by <c>ceil(step/decay_steps)</c> (1 at step 0).
/// </summary>
public sealed class PolynomialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">Steps to reach the end learning rate; must be positive.</param>
    /// <param name="endLearningRate">The final learning rate, default 0.0001.</param>
    /// <param name="power">The polynomial's power, default 1.</param>
    /// <param name="cycle">Whether to restart the decay after each <paramref name="decaySteps"/> multiple.</param>
    /// <param name="name">Keras' name, default <c>"PolynomialDecay"</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> ≤ 0, or a value is not finite.</exception>
    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate = 0.0001, double power = 1.0,
        bool cycle = false, string name = "PolynomialDecay") : base(name)
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckFinite(endLearningRate, nameof(endLearningRate));
        CheckFinite(power, nameof(power));
        CheckPositiveSteps(decaySteps, nameof(decaySteps));
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        EndLearningRate = endLearningRate;
        Power = power;
        Cycle = cycle;
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps to reach <see cref="EndLearningRate"/>.</summary>
    public long DecaySteps { get; }

    /// <summary>The final learning rate.</summary>
    public double EndLearningRate { get; }

    /// <summary>The polynomial's power.</summary>
    public double Power { get; }

    /// <summary>Whether the decay restarts after each multiple of <see cref="DecaySteps"/>.</summary>
    public bool Cycle { get; }

    /// <inheritdoc />
    protected override double Evaluate(long step)
    {
        double s = step, decaySteps = DecaySteps;
        if (Cycle) decaySteps *= step == 0 ? 1.0 : Math.Ceiling(s / DecaySteps);
        else s = Math.Min(s, decaySteps);
        double p = s / decaySteps;
        return (InitialLearningRate - EndLearningRate) * Math.Pow(1 - p, Power) + EndLearningRate;
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["end_learning_rate"] = EndLearningRate,
        ["power"] = Power,
        ["cycle"] = Cycle,
        ["name"] = Name,
    };
}
