using KerasGpu.Utils;

namespace KerasGpu.Callbacks;

/// <summary>
/// Sets the learning rate at the start of each epoch from a schedule of the epoch (Keras'
/// <c>keras.callbacks.LearningRateScheduler</c>): <c>lr = schedule(epoch, lr)</c> with the epoch 0-based and the current
/// rate as a float64. At each epoch end it records the rate in the logs as <c>learning_rate</c> (so History has it).
/// The optimizer must have a float learning rate (not a schedule), as in Keras.
/// </summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, double, double> _schedule;
    private readonly TextWriter? _output;

    /// <summary>Creates the callback from <c>schedule(epoch, lr)</c>.</summary>
    /// <param name="schedule">Returns the learning rate for a 0-based epoch given the current one.</param>
    /// <param name="verbose">0 quiet, 1 prints the rate set at each epoch.</param>
    /// <param name="output">Where verbose messages go (standard output when null).</param>
    public LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0, TextWriter? output = null)
    {
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Verbose = verbose;
        _output = output;
    }

    /// <summary>Creates the callback from <c>schedule(epoch)</c> (Keras' older one-argument form).</summary>
    /// <param name="schedule">Returns the learning rate for a 0-based epoch.</param>
    /// <param name="verbose">0 quiet, 1 prints the rate set at each epoch.</param>
    /// <param name="output">Where verbose messages go (standard output when null).</param>
    public LearningRateScheduler(Func<int, double> schedule, int verbose = 0, TextWriter? output = null)
        : this(WithoutRate(schedule), verbose, output)
    {
    }

    private static Func<int, double, double> WithoutRate(Func<int, double> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return (epoch, _) => schedule(epoch);
    }

    /// <summary>0 quiet, 1 prints the rate set at each epoch.</summary>
    public int Verbose { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The schedule returned a non-finite or negative rate, or the optimizer's
    /// learning rate is not settable (it was created with a schedule).</exception>
    public override void OnEpochBegin(int epoch, Logs logs)
    {
        var optimizer = RequireOptimizer();
        double learningRate = _schedule(epoch, optimizer.LearningRate);
        if (!double.IsFinite(learningRate) || learningRate < 0)
            throw new InvalidOperationException($"The output of the `schedule` function should be a finite, non-negative float. Got: {PyFormat.Repr(learningRate)} at epoch {epoch}.");
        optimizer.LearningRate = (float)learningRate;
        if (Verbose > 0)
            (_output ?? Console.Out).Write($"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {PyFormat.Repr(learningRate)}.\n");
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        var optimizer = RequireOptimizer();
        if (!ReferenceEquals(logs, Logs.Empty)) logs.Set("learning_rate", optimizer.LearningRate);
    }

    private Optimizers.Optimizer RequireOptimizer() => Model?.Optimizer
        ?? throw new InvalidOperationException("LearningRateScheduler needs a compiled model; use it as a Fit callback.");
}
