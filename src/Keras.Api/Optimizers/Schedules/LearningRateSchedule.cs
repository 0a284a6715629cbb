using System.Globalization;

namespace KerasGpu.Optimizers.Schedules;

/// <summary>
/// A learning rate that changes with the optimizer step (Keras' <c>keras.optimizers.schedules.LearningRateSchedule</c>).
/// Pass one as an optimizer's learning rate; the optimizer evaluates it on the host at
/// <see cref="Optimizer.Iterations"/> (0 for the first update) before each update, so no device value is read.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Creates a schedule with Keras' name for it.</summary>
    protected LearningRateSchedule(string name) => Name = name ?? throw new ArgumentNullException(nameof(name));

    /// <summary>The schedule's name (Keras' <c>name</c> argument).</summary>
    public string Name { get; }

    /// <summary>The learning rate at optimizer step <paramref name="step"/> (Keras' <c>__call__(step)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public float Call(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "Expected a non-negative optimizer step.");
        return (float)Evaluate(step);
    }

    /// <summary>The schedule's formula, in float64, at a non-negative step.</summary>
    protected abstract double Evaluate(long step);

    /// <summary>Keras' <c>get_config()</c>: the constructor arguments by their Keras names.</summary>
    public abstract IReadOnlyDictionary<string, object?> GetConfig();

    /// <summary>Python's spelling of a float for error messages (<c>0.5</c>, <c>1e-05</c>).</summary>
    internal static string Py(double value) => Utils.PyFormat.Repr(value);

    internal static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"Argument `{ToSnake(name)}` must be a finite number. Received: {ToSnake(name)}={Py(value)}");
    }

    internal static void CheckPositiveSteps(long steps, string name)
    {
        if (steps <= 0)
            throw new ArgumentOutOfRangeException(name, steps, $"Argument `{ToSnake(name)}` must be > 0. Received: {ToSnake(name)}={steps.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Keras' argument name for a C# parameter name (<c>decaySteps</c> → <c>decay_steps</c>).</summary>
    internal static string ToSnake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <inheritdoc />
    public override string ToString() => $"<{GetType().Name} name={Name}>";
}
