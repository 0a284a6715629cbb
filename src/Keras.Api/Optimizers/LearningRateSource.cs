using KerasGpu.Optimizers.Schedules;

namespace KerasGpu.Optimizers;

/// <summary>
/// What an optimizer's <c>learningRate</c> argument may be, as in Keras: a float (settable later), a
/// <see cref="LearningRateSchedule"/>, or a function of the optimizer step (<see cref="Optimizer.Iterations"/>, 0 for the
/// first update). Converts implicitly from each, so <c>new Adam(0.01f)</c>, <c>new Adam(schedule)</c> and
/// <c>new Adam(new Func&lt;long, float&gt;(step =&gt; 0.01f / (step + 1)))</c> all work (C# applies no implicit conversion to
/// a bare lambda, hence the explicit delegate). The default value stands for the optimizer's Keras default.
/// </summary>
public readonly struct LearningRateSource
{
    private LearningRateSource(float? value, LearningRateSchedule? schedule, Func<long, float>? function)
    {
        Value = value;
        Schedule = schedule;
        Function = function;
    }

    /// <summary>The constant learning rate, if that is what this is.</summary>
    public float? Value { get; }

    /// <summary>The schedule, if that is what this is.</summary>
    public LearningRateSchedule? Schedule { get; }

    /// <summary>The function of the step, if that is what this is.</summary>
    public Func<long, float>? Function { get; }

    /// <summary>True for <c>default</c>: the optimizer uses its Keras default learning rate.</summary>
    public bool IsDefault => Value is null && Schedule is null && Function is null;

    /// <summary>A constant learning rate.</summary>
    public static implicit operator LearningRateSource(float value) => new(value, null, null);

    /// <summary>A learning rate schedule.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> is null.</exception>
    public static implicit operator LearningRateSource(LearningRateSchedule schedule) =>
        new(null, schedule ?? throw new ArgumentNullException(nameof(schedule)), null);

    /// <summary>A function of the optimizer step (Keras' callable learning rate).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public static implicit operator LearningRateSource(Func<long, float> function) =>
        new(null, null, function ?? throw new ArgumentNullException(nameof(function)));

    /// <inheritdoc />
    public override string ToString() =>
        Value is float v ? Utils.PyFormat.Repr(v) : Schedule is { } s ? s.ToString() : Function is not null ? "<function>" : "<default>";
}
