using KerasGpu.Utils;

namespace KerasGpu.Callbacks;

/// <summary>
/// Prints Keras 3's progress lines (Keras' <c>keras.callbacks.ProgbarLogger</c>): <c>Epoch 1/2</c> when there are
/// several epochs, a bar refreshed in place on a terminal (one final line per epoch when output is redirected), or one
/// line per epoch with verbose 2. It asks the trainer for metric values only when the line will actually refresh.
/// </summary>
public sealed class ProgbarLogger : Callback
{
    private readonly TextWriter? _output;
    private Progbar? _bar;
    private int _seen;
    private int? _target;
    private bool _inFit;

    /// <summary>Creates the logger; output defaults to the console.</summary>
    public ProgbarLogger(TextWriter? output = null) => _output = output;

    private int Verbose => Params.TryGetValue("verbose", out int v) ? v : 1;

    private void Reset(int? target)
    {
        _seen = 0;
        _target = target;
        _bar = null;
        _ = Bar; // start the clock now, as Keras' _maybe_init_progbar does, so verbose 2 reports real step times
    }

    private Progbar Bar => _bar ??= new Progbar(_target, verbose: Verbose, output: _output ?? Console.Out, statelessMetrics: []);

    private void Update(int batch, Logs? logs)
    {
        _seen = batch + 1;
        if (Verbose != 1) return;
        if (logs is not null && Bar.WantsRefresh(_seen, false)) Bar.Update(_seen, logs.Items, false);
        else Bar.Update(_seen, null, false);
    }

    private void FinalizeBar(Logs logs)
    {
        _target ??= _seen;
        Bar.Target = _target;
        Bar.Update(_target.Value, logs.Items, true);
    }

    /// <inheritdoc />
    public override void OnTrainBegin(Logs logs) => _inFit = true;

    /// <inheritdoc />
    public override void OnTrainEnd(Logs logs) => _inFit = false;

    /// <inheritdoc />
    public override void OnEpochBegin(int epoch, Logs logs)
    {
        Reset(Params.TryGetValue("steps", out int s) ? s : null);
        int epochs = Params.TryGetValue("epochs", out int e) ? e : 1;
        if (Verbose != 0 && epochs > 1) (_output ?? Console.Out).WriteLine($"Epoch {epoch + 1}/{epochs}");
    }

    /// <inheritdoc />
    public override void OnTrainBatchEnd(int batch, Logs logs) => Update(batch, logs);

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, Logs logs) => FinalizeBar(logs);

    /// <inheritdoc />
    public override void OnTestBegin(Logs logs)
    {
        if (!_inFit) Reset(Params.TryGetValue("steps", out int s) ? s : null);
    }

    /// <inheritdoc />
    public override void OnTestBatchEnd(int batch, Logs logs)
    {
        if (!_inFit) Update(batch, logs);
    }

    /// <inheritdoc />
    public override void OnTestEnd(Logs logs)
    {
        if (!_inFit) FinalizeBar(logs);
    }

    /// <inheritdoc />
    public override void OnPredictBegin(Logs logs) => Reset(Params.TryGetValue("steps", out int s) ? s : null);

    /// <inheritdoc />
    public override void OnPredictBatchEnd(int batch, Logs logs) => Update(batch, null);

    /// <inheritdoc />
    public override void OnPredictEnd(Logs logs) => FinalizeBar(logs);
}
