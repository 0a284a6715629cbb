namespace KerasGpu.Callbacks;

/// <summary>
/// Ends training when a batch's loss is NaN or infinite (Keras' <c>keras.callbacks.TerminateOnNaN</c>): by default it
/// prints a line and sets <see cref="Model.StopTraining"/> (Fit stops after that batch, still running validation and
/// the end-of-training hooks); with <see cref="RaiseError"/> it throws at once. It reads the running loss after every
/// batch, which waits for the device each step.
/// </summary>
/// <param name="raiseError">Throw instead of stopping gracefully.</param>
/// <param name="output">Where the message goes; the console by default.</param>
public sealed class TerminateOnNaN(bool raiseError = false, TextWriter? output = null) : Callback
{
    /// <summary>Whether a bad loss throws rather than stopping training.</summary>
    public bool RaiseError { get; } = raiseError;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The loss is NaN or infinite and <see cref="RaiseError"/> is set.</exception>
    public override void OnTrainBatchEnd(int batch, Logs logs)
    {
        if (!logs.TryGetValue("loss", out double loss) || double.IsFinite(loss)) return;
        if (RaiseError)
            throw new InvalidOperationException(
                $"NaN or Inf loss encountered at batch {batch}. Loss value: {Utils.PyFormat.Repr(loss)}. Terminating training immediately.");
        (output ?? Console.Out).WriteLine($"Batch {batch}: Invalid loss, terminating training");
        if (Model is not null) Model.StopTraining = true;
    }
}
