namespace KerasGpu.Optimizers.Schedules;

/// <summary>
/// Cosine decay with an optional linear warmup (Keras' <c>keras.optimizers.schedules.CosineDecay</c>, SGDR without
/// restarts). Without a warmup target: <c>initial·((1 − alpha)·0.5·(1 + cos(π·min(step, decay_steps)/decay_steps)) + alpha)</c>.
/// With one: for <c>step &lt; warmup_steps</c> a line from <c>initial</c> to <c>warmup_target</c>, then the same cosine from
/// <c>warmup_target</c> over the next <c>decay_steps</c> steps.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="decaySteps">Steps to decay over; must be positive.</param>
    /// <param name="alpha">The final learning rate as a fraction of the decay's starting rate, default 0.</param>
    /// <param name="name">Keras' name, default <c>"CosineDecay"</c>.</param>
    /// <param name="warmupTarget">The learning rate reached at the end of the warmup; null skips the warmup.</param>
    /// <param name="warmupSteps">Steps of linear warmup, default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> ≤ 0, <paramref name="warmupSteps"/> &lt; 0,
    /// or a value is not finite.</exception>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0.0, string name = "CosineDecay",
        double? warmupTarget = null, long warmupSteps = 0) : base(name)
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckFinite(alpha, nameof(alpha));
        if (warmupTarget is double target) CheckFinite(target, nameof(warmupTarget));
        CheckPositiveSteps(decaySteps, nameof(decaySteps));
        if (warmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"Argument `warmup_steps` must be >= 0. Received: warmup_steps={warmupSteps}");
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        Alpha = alpha;
        WarmupTarget = warmupTarget;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Steps to decay over.</summary>
    public long DecaySteps { get; }

    /// <summary>The final learning rate as a fraction of the decay's starting rate.</summary>
    public double Alpha { get; }

    /// <summary>The learning rate at the end of the warmup, or null for no warmup.</summary>
    public double? WarmupTarget { get; }

    /// <summary>Steps of linear warmup.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc />
    protected override double Evaluate(long step)
    {
        double s = step, decaySteps = DecaySteps;
        if (WarmupTarget is not double target)
            return Decay(Math.Min(s, decaySteps), decaySteps, InitialLearningRate);
        double warmupSteps = WarmupSteps;
        s = Math.Min(s, decaySteps + warmupSteps);
        return s < warmupSteps
            ? (target - InitialLearningRate) * (s / warmupSteps) + InitialLearningRate
            : Decay(s - warmupSteps, decaySteps, target);
    }

    private double Decay(double step, double decaySteps, double from)
    {
        double cosine = 0.5 * (1.0 + Math.Cos(Math.PI * (step / decaySteps)));
        return from * ((1 - Alpha) * cosine + Alpha);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["decay_steps"] = DecaySteps,
        ["alpha"] = Alpha,
        ["name"] = Name,
        ["warmup_target"] = WarmupTarget,
        ["warmup_steps"] = WarmupSteps,
    };
}
