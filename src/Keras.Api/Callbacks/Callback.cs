namespace KerasGpu.Callbacks;

/// <summary>
/// Hooks into Fit, Evaluate and Predict (Keras' <c>keras.callbacks.Callback</c>). Logs map metric names to values;
/// reading a batch log's values makes the trainer read them from the device, so only read what you need.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained, set before <see cref="OnTrainBegin"/>.</summary>
    public Model? Model { get; internal set; }

    /// <summary>Run parameters: <c>verbose</c>, <c>epochs</c>, <c>steps</c>.</summary>
    public IReadOnlyDictionary<string, int> Params { get; internal set; } = new Dictionary<string, int>();

    /// <summary>At the start of Fit.</summary>
    public virtual void OnTrainBegin(Logs logs) { }
    /// <summary>At the end of Fit.</summary>
    public virtual void OnTrainEnd(Logs logs) { }
    /// <summary>At the start of an epoch (0-based).</summary>
    public virtual void OnEpochBegin(int epoch, Logs logs) { }
    /// <summary>At the end of an epoch, with the epoch's metrics and <c>val_*</c> metrics.</summary>
    public virtual void OnEpochEnd(int epoch, Logs logs) { }
    /// <summary>Before a training batch.</summary>
    public virtual void OnTrainBatchBegin(int batch, Logs logs) { }
    /// <summary>After a training batch, with the running metrics.</summary>
    public virtual void OnTrainBatchEnd(int batch, Logs logs) { }
    /// <summary>At the start of Evaluate (and of validation inside Fit).</summary>
    public virtual void OnTestBegin(Logs logs) { }
    /// <summary>At the end of Evaluate (and of validation inside Fit).</summary>
    public virtual void OnTestEnd(Logs logs) { }
    /// <summary>Before an evaluation batch.</summary>
    public virtual void OnTestBatchBegin(int batch, Logs logs) { }
    /// <summary>After an evaluation batch.</summary>
    public virtual void OnTestBatchEnd(int batch, Logs logs) { }
    /// <summary>At the start of Predict.</summary>
    public virtual void OnPredictBegin(Logs logs) { }
    /// <summary>At the end of Predict.</summary>
    public virtual void OnPredictEnd(Logs logs) { }
    /// <summary>Before a prediction batch.</summary>
    public virtual void OnPredictBatchBegin(int batch, Logs logs) { }
    /// <summary>After a prediction batch.</summary>
    public virtual void OnPredictBatchEnd(int batch, Logs logs) { }
}
