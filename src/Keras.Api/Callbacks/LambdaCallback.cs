namespace KerasGpu.Callbacks;

/// <summary>
/// A callback made of delegates, one per hook (Keras' <c>keras.callbacks.LambdaCallback</c>): pass only those you need,
/// e.g. <c>new LambdaCallback(onEpochEnd: (epoch, logs) =&gt; Console.WriteLine(logs["loss"]))</c>. Epoch and batch
/// hooks receive the index and the logs; begin/end hooks receive the logs.
/// </summary>
/// <param name="onEpochBegin">At the start of every epoch.</param>
/// <param name="onEpochEnd">At the end of every epoch.</param>
/// <param name="onTrainBegin">At the start of training.</param>
/// <param name="onTrainEnd">At the end of training.</param>
/// <param name="onTrainBatchBegin">Before every training batch.</param>
/// <param name="onTrainBatchEnd">After every training batch.</param>
/// <param name="onTestBegin">At the start of evaluation (and of validation inside Fit).</param>
/// <param name="onTestEnd">At the end of evaluation.</param>
/// <param name="onTestBatchBegin">Before every evaluation batch.</param>
/// <param name="onTestBatchEnd">After every evaluation batch.</param>
/// <param name="onPredictBegin">At the start of prediction.</param>
/// <param name="onPredictEnd">At the end of prediction.</param>
/// <param name="onPredictBatchBegin">Before every prediction batch.</param>
/// <param name="onPredictBatchEnd">After every prediction batch.</param>
public sealed class LambdaCallback(
    Action<int, Logs>? onEpochBegin = null,
    Action<int, Logs>? onEpochEnd = null,
    Action<Logs>? onTrainBegin = null,
    Action<Logs>? onTrainEnd = null,
    Action<int, Logs>? onTrainBatchBegin = null,
    Action<int, Logs>? onTrainBatchEnd = null,
    Action<Logs>? onTestBegin = null,
    Action<Logs>? onTestEnd = null,
    Action<int, Logs>? onTestBatchBegin = null,
    Action<int, Logs>? onTestBatchEnd = null,
    Action<Logs>? onPredictBegin = null,
    Action<Logs>? onPredictEnd = null,
    Action<int, Logs>? onPredictBatchBegin = null,
    Action<int, Logs>? onPredictBatchEnd = null) : Callback
{
    /// <inheritdoc />
    public override void OnEpochBegin(int epoch, Logs logs) => onEpochBegin?.Invoke(epoch, logs);
    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, Logs logs) => onEpochEnd?.Invoke(epoch, logs);
    /// <inheritdoc />
    public override void OnTrainBegin(Logs logs) => onTrainBegin?.Invoke(logs);
    /// <inheritdoc />
    public override void OnTrainEnd(Logs logs) => onTrainEnd?.Invoke(logs);
    /// <inheritdoc />
    public override void OnTrainBatchBegin(int batch, Logs logs) => onTrainBatchBegin?.Invoke(batch, logs);
    /// <inheritdoc />
    public override void OnTrainBatchEnd(int batch, Logs logs) => onTrainBatchEnd?.Invoke(batch, logs);
    /// <inheritdoc />
    public override void OnTestBegin(Logs logs) => onTestBegin?.Invoke(logs);
    /// <inheritdoc />
    public override void OnTestEnd(Logs logs) => onTestEnd?.Invoke(logs);
    /// <inheritdoc />
    public override void OnTestBatchBegin(int batch, Logs logs) => onTestBatchBegin?.Invoke(batch, logs);
    /// <inheritdoc />
    public override void OnTestBatchEnd(int batch, Logs logs) => onTestBatchEnd?.Invoke(batch, logs);
    /// <inheritdoc />
    public override void OnPredictBegin(Logs logs) => onPredictBegin?.Invoke(logs);
    /// <inheritdoc />
    public override void OnPredictEnd(Logs logs) => onPredictEnd?.Invoke(logs);
    /// <inheritdoc />
    public override void OnPredictBatchBegin(int batch, Logs logs) => onPredictBatchBegin?.Invoke(batch, logs);
    /// <inheritdoc />
    public override void OnPredictBatchEnd(int batch, Logs logs) => onPredictBatchEnd?.Invoke(batch, logs);
}
