namespace KerasGpu.Optimizers.Schedules;

/// <summary>
/// Cosine decay with warm restarts, SGDR (Keras' <c>keras.optimizers.schedules.CosineDecayRestarts</c>): the multiplier
/// decays from 1 to <c>alpha</c> over <c>first_decay_steps</c>, then restarts; period <c>i</c> lasts <c>t_mul^i</c> times
/// longer and starts at <c>m_mul^i</c> times the initial learning rate.
/// </summary>
public sealed class CosineDecayRestarts : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The learning rate at step 0.</param>
    /// <param name="firstDecaySteps">Length of the first period; must be positive.</param>
    /// <param name="tMul">Growth of each period's length, default 2; must be positive.</param>
    /// <param name="mMul">Factor on each period's starting learning rate, default 1.</param>
    /// <param name="alpha">The minimum learning rate as a fraction of the initial one, default 0.</param>
    /// <param name="name">Keras' name, default <c>"SGDRDecay"</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstDecaySteps"/> ≤ 0, <paramref name="tMul"/> ≤ 0,
    /// or a value is not finite.</exception>
    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul = 2.0, double mMul = 1.0,
        double alpha = 0.0, string name = "SGDRDecay") : base(name)
    {
        CheckFinite(initialLearningRate, nameof(initialLearningRate));
        CheckFinite(tMul, nameof(tMul));
        CheckFinite(mMul, nameof(mMul));
        CheckFinite(alpha, nameof(alpha));
        CheckPositiveSteps(firstDecaySteps, nameof(firstDecaySteps));
        if (!(tMul > 0))
            throw new ArgumentOutOfRangeException(nameof(tMul), tMul, $"Argument `t_mul` must be > 0. Received: t_mul={Py(tMul)}");
        InitialLearningRate = initialLearningRate;
        FirstDecaySteps = firstDecaySteps;
        TMul = tMul;
        MMul = mMul;
        Alpha = alpha;
    }

    /// <summary>The learning rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Length of the first period.</summary>
    public long FirstDecaySteps { get; }

    /// <summary>Growth of each period's length.</summary>
    public double TMul { get; }

    /// <summary>Factor on each period's starting learning rate.</summary>
    public double MMul { get; }

    /// <summary>The minimum learning rate as a fraction of the initial one.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    protected override double Evaluate(long step)
    {
        double fraction = (double)step / FirstDecaySteps, restart;
        if (TMul == 1.0)
        {
            restart = Math.Floor(fraction);
            fraction -= restart;
        }
        else
        {
            // Periods grow geometrically: the restart index solves (t_mul^i − 1)/(t_mul − 1) ≤ fraction.
            restart = Math.Floor(Math.Log(1.0 - fraction * (1.0 - TMul)) / Math.Log(TMul));
            double elapsed = (1.0 - Math.Pow(TMul, restart)) / (1.0 - TMul);
            fraction = (fraction - elapsed) / Math.Pow(TMul, restart);
        }
        double cosine = 0.5 * Math.Pow(MMul, restart) * (1.0 + Math.Cos(Math.PI * fraction));
        return InitialLearningRate * ((1 - Alpha) * cosine + Alpha);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["initial_learning_rate"] = InitialLearningRate,
        ["first_decay_steps"] = FirstDecaySteps,
        ["t_mul"] = TMul,
        ["m_mul"] = MMul,
        ["alpha"] = Alpha,
        ["name"] = Name,
    };
}
