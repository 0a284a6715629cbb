using KerasGpu.Metrics;
using KerasGpu.Utils;

namespace KerasGpu.Callbacks;

/// <summary>
/// Reduces the learning rate when a monitored quantity has stopped improving (Keras'
/// <c>keras.callbacks.ReduceLROnPlateau</c>). At each epoch end it records the current learning rate in the logs as
/// <c>learning_rate</c> (so History has it); after <see cref="Patience"/> epochs without an improvement of more than
/// <see cref="MinDelta"/>, it sets <c>lr = max(lr·factor, min_lr)</c> and waits <see cref="Cooldown"/> epochs before counting again.
/// </summary>
public sealed class ReduceLROnPlateau : Callback
{
    private readonly TextWriter? _output;
    private readonly TextWriter? _warnings;
    private bool? _lowerIsBetter;
    private double _signedMinDelta;
    private double? _best;

    /// <summary>Creates the callback with Keras' defaults.</summary>
    /// <param name="monitor">The log to watch, default <c>"val_loss"</c>.</param>
    /// <param name="factor">Multiplier of the learning rate on a plateau; must be below 1. Default 0.1.</param>
    /// <param name="patience">Epochs without improvement before reducing. Default 10.</param>
    /// <param name="verbose">0 quiet, 1 prints a line on each reduction.</param>
    /// <param name="mode"><c>"auto"</c>, <c>"min"</c> or <c>"max"</c>. Auto lowers for losses and raises for accuracies;
    /// for other metrics pass the mode.</param>
    /// <param name="minDelta">Smallest change that counts as an improvement. Default 1e−4.</param>
    /// <param name="cooldown">Epochs to wait after a reduction before resuming. Default 0.</param>
    /// <param name="minLr">Lower bound on the learning rate. Default 0.</param>
    /// <param name="output">Where verbose messages go (standard output when null).</param>
    /// <param name="warnings">Where warnings go (standard error when null).</param>
    /// <exception cref="ArgumentException">A factor ≥ 1, an unknown mode, or a negative patience, cooldown or minimum
    /// learning rate.</exception>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0,
        string mode = "auto", double minDelta = 1e-4, int cooldown = 0, double minLr = 0.0, TextWriter? output = null,
        TextWriter? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(mode);
        if (!(factor < 1.0))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={PyFormat.Repr(factor)}");
        if (!(factor >= 0.0))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau needs a non-negative factor. Received factor={PyFormat.Repr(factor)}");
        if (mode is not ("auto" or "min" or "max"))
            throw new ArgumentException($"ReduceLROnPlateau mode '{mode}' is unknown; expected one of \"auto\", \"min\", \"max\".", nameof(mode));
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(minLr >= 0) || !double.IsFinite(minLr))
            throw new ArgumentOutOfRangeException(nameof(minLr), minLr, $"Expected a finite, non-negative min_lr. Received: min_lr={PyFormat.Repr(minLr)}");
        if (!double.IsFinite(minDelta))
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, $"Expected a finite min_delta. Received: min_delta={PyFormat.Repr(minDelta)}");
        Monitor = monitor;
        Factor = factor;
        Patience = patience;
        Verbose = verbose;
        Mode = mode;
        MinDelta = Math.Abs(minDelta);
        Cooldown = cooldown;
        MinLr = minLr;
        _output = output;
        _warnings = warnings;
    }

    /// <summary>The log being watched.</summary>
    public string Monitor { get; }

    /// <summary>Multiplier of the learning rate on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement before reducing.</summary>
    public int Patience { get; }

    /// <summary>0 quiet, 1 prints each reduction.</summary>
    public int Verbose { get; }

    /// <summary><c>"auto"</c>, <c>"min"</c> or <c>"max"</c>.</summary>
    public string Mode { get; }

    /// <summary>Smallest change that counts as an improvement (absolute value).</summary>
    public double MinDelta { get; }

    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>Lower bound on the learning rate.</summary>
    public double MinLr { get; }

    /// <summary>Epochs since the last improvement (Keras' <c>wait</c>).</summary>
    public int Wait { get; private set; }

    /// <summary>Epochs of cooldown left (Keras' <c>cooldown_counter</c>).</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>The best monitored value so far, or null before the first.</summary>
    public double? Best => _best;

    /// <inheritdoc />
    public override void OnTrainBegin(Logs logs)
    {
        _best = null;
        CooldownCounter = 0;
        Wait = 0;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        var optimizer = Model?.Optimizer
            ?? throw new InvalidOperationException("ReduceLROnPlateau needs a compiled model; use it as a Fit callback.");
        _lowerIsBetter ??= ResolveDirection();
        double lr = optimizer.LearningRate;
        if (!ReferenceEquals(logs, Logs.Empty)) logs.Set("learning_rate", lr);
        if (!logs.TryGetValue(Monitor, out double current))
        {
            (_warnings ?? Console.Error).WriteLine($"Learning rate reduction is conditioned on metric `{Monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}.");
            return;
        }
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            Wait = 0;
        }
        if (IsImprovement(current))
        {
            _best = current;
            Wait = 0;
        }
        else if (CooldownCounter == 0 && ++Wait >= Patience && Reduce(optimizer, lr, epoch))
        {
            CooldownCounter = Cooldown;
            Wait = 0;
        }
    }

    private bool Reduce(Optimizers.Optimizer optimizer, double oldLr, int epoch)
    {
        // Keras compares with min_lr as float32 and computes the new rate in float64 (and prints that).
        if (!(oldLr > (float)MinLr)) return false;
        double newLr = Math.Max(oldLr * Factor, MinLr);
        optimizer.LearningRate = (float)newLr;
        if (Verbose > 0)
            (_output ?? Console.Out).Write($"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {PyFormat.Repr(newLr)}.\n");
        return true;
    }

    private bool IsImprovement(double current) =>
        _best is not double best || (_lowerIsBetter!.Value ? current - _signedMinDelta < best : current - _signedMinDelta > best);

    private bool ResolveDirection()
    {
        bool lower = Mode switch
        {
            "min" => true,
            "max" => false,
            _ => MonitorDirection.LowerIsBetter(Model, Monitor, "ReduceLROnPlateau"),
        };
        _signedMinDelta = lower ? -MinDelta : MinDelta;
        return lower;
    }
}
