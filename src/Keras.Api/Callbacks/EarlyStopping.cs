namespace KerasGpu.Callbacks;

/// <summary>
/// Stops training when a monitored quantity has stopped improving (Keras' <c>keras.callbacks.EarlyStopping</c>). At the
/// end of each epoch it compares <see cref="Monitor"/> with the best value so far; after <see cref="Patience"/> epochs
/// without an improvement of more than <see cref="MinDelta"/> it sets <see cref="Model.StopTraining"/>. With
/// <see cref="RestoreBestWeights"/> the model ends with the weights of its best epoch.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private readonly TextWriter? _output;
    private bool _minimize;

    /// <summary>Creates the callback; arguments and defaults are Keras'.</summary>
    /// <param name="monitor">The log to watch, e.g. <c>"val_loss"</c> or <c>"val_accuracy"</c>.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (its absolute value is used).</param>
    /// <param name="patience">Epochs without improvement after which training stops.</param>
    /// <param name="verbose">1 prints a line when the callback stops training or restores weights.</param>
    /// <param name="mode"><c>"auto"</c>, <c>"min"</c> or <c>"max"</c>; auto infers the direction from the monitored name.</param>
    /// <param name="baseline">A value the monitored quantity must beat for the patience count to restart, or null.</param>
    /// <param name="restoreBestWeights">Whether to end with the weights of the best epoch.</param>
    /// <param name="startFromEpoch">Epochs to wait before monitoring starts (a warm-up).</param>
    /// <param name="output">Where messages go; the console by default.</param>
    /// <exception cref="ArgumentException">Unknown mode.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Negative patience or start epoch, or a non-finite min delta.</exception>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, int verbose = 0, string mode = "auto",
        double? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        if (mode is not ("auto" or "min" or "max"))
            throw new ArgumentException($"EarlyStopping mode '{mode}' is unknown; expected one of \"auto\", \"min\", \"max\".", nameof(mode));
        if (!double.IsFinite(minDelta)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "`min_delta` must be a finite number.");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(startFromEpoch);
        Monitor = monitor;
        MinDelta = Math.Abs(minDelta);
        Patience = patience;
        Verbose = verbose;
        Mode = mode;
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
        StartFromEpoch = startFromEpoch;
        _output = output;
    }

    /// <summary>The monitored log name.</summary>
    public string Monitor { get; }
    /// <summary>The smallest change that counts as an improvement (non-negative).</summary>
    public double MinDelta { get; }
    /// <summary>Epochs without improvement after which training stops.</summary>
    public int Patience { get; }
    /// <summary>Verbosity: 0 silent, 1 prints actions.</summary>
    public int Verbose { get; }
    /// <summary><c>"auto"</c>, <c>"min"</c> or <c>"max"</c>.</summary>
    public string Mode { get; }
    /// <summary>The value to beat for the patience count to restart, or null.</summary>
    public double? Baseline { get; }
    /// <summary>Whether the best epoch's weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }
    /// <summary>Epochs before monitoring starts.</summary>
    public int StartFromEpoch { get; }

    /// <summary>Epochs since the last improvement (Keras' <c>wait</c>).</summary>
    public int Wait { get; private set; }
    /// <summary>The epoch (0-based) at which training was stopped, or 0 (Keras' <c>stopped_epoch</c>).</summary>
    public int StoppedEpoch { get; private set; }
    /// <summary>The best monitored value so far, or null before the first.</summary>
    public double? Best { get; private set; }
    /// <summary>The epoch (0-based) of <see cref="Best"/>.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>The weights saved at the best epoch (with <see cref="RestoreBestWeights"/>), or null.</summary>
    public IReadOnlyList<NDArray>? BestWeights { get; private set; }

    /// <summary>
    /// Resets the state (so one instance serves several Fit calls) and settles the direction of improvement: in mode
    /// <c>"auto"</c> the loss goes down and a compiled metric goes the way Keras' metric class says (accuracies up, errors
    /// down). Keras settles it at the first epoch's end; here it fails before any training when it cannot be told.
    /// </summary>
    /// <exception cref="ArgumentException">Mode <c>"auto"</c> cannot tell whether the monitored quantity should go up or down.</exception>
    public override void OnTrainBegin(Logs logs)
    {
        Wait = 0;
        StoppedEpoch = 0;
        Best = null;
        BestWeights = null;
        BestEpoch = 0;
        _minimize = Mode switch
        {
            "min" => true,
            "max" => false,
            _ => MonitorDirection.LowerIsBetter(Model, Monitor, nameof(EarlyStopping)),
        };
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        if (!logs.TryGetValue(Monitor, out double current))
        {
            (_output ?? Console.Error).WriteLine(
                $"Warning: Early stopping conditioned on metric `{Monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}");
            return;
        }
        if (epoch < StartFromEpoch) return;
        var model = Model ?? throw new InvalidOperationException("EarlyStopping has no model; it runs inside Fit().");
        if (RestoreBestWeights && BestWeights is null)
        {
            // Until something improves, the first monitored epoch's weights are the best ones.
            BestWeights = model.GetWeights();
            BestEpoch = epoch;
        }
        Wait++;
        if (IsImprovement(current, Best))
        {
            Best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) BestWeights = model.GetWeights();
            // The patience count restarts only when the baseline is beaten too.
            if (Baseline is null || IsImprovement(current, Baseline)) Wait = 0;
            return;
        }
        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            model.StopTraining = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(Logs logs)
    {
        var output = _output ?? Console.Out;
        if (StoppedEpoch > 0 && Verbose > 0) output.WriteLine($"Epoch {StoppedEpoch + 1}: early stopping");
        if (RestoreBestWeights && BestWeights is not null && Model is not null)
        {
            if (Verbose > 0) output.WriteLine($"Restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
            Model.SetWeights(BestWeights);
        }
    }

    /// <summary>Keras' test: <c>current − min_delta &lt; reference</c> when minimizing, <c>current − min_delta &gt; reference</c> when maximizing (min_delta signed towards the goal).</summary>
    private bool IsImprovement(double current, double? reference) => reference is not double r || (_minimize
        ? current + MinDelta < r
        : current - MinDelta > r);
}
