using KerasGpu.Callbacks;
using KerasGpu.Training;

namespace KerasGpu;

public partial class Model
{
    /// <summary>
    /// Trains the model (Keras' <c>fit</c>) and returns the per-epoch History. x and y take host arrays or plain .NET
    /// arrays (float[,] features; int[], byte[] or float[] labels; float[,] one-hot targets).
    /// </summary>
    /// <param name="x">Input features, samples first.</param>
    /// <param name="y">Targets, samples first.</param>
    /// <param name="batchSize">Samples per step; Keras' default 32.</param>
    /// <param name="epochs">Epochs to train (the last epoch's index + 1, counting from <paramref name="initialEpoch"/>).</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch; null ("auto") means 1.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the data, taken from the end before shuffling, held out for validation.</param>
    /// <param name="validationData">Explicit validation data; overrides <paramref name="validationSplit"/>.</param>
    /// <param name="shuffle">Shuffle the training samples before each epoch.</param>
    /// <param name="initialEpoch">Epoch at which to start (to resume a run).</param>
    /// <param name="callbacks">Callbacks besides History and the progress logger.</param>
    /// <exception cref="InvalidOperationException">Compile() has not been called.</exception>
    /// <exception cref="ArgumentException">Bad data or arguments; the message names what was expected and received.</exception>
    public History Fit(NDArray x, NDArray y, int? batchSize = null, int epochs = 1, int? verbose = null,
        double validationSplit = 0, (NDArray X, NDArray Y)? validationData = null, bool shuffle = true,
        int initialEpoch = 0, IEnumerable<Callback>? callbacks = null) =>
        Fit([x], [y], batchSize, epochs, verbose, validationSplit,
            validationData is { } v ? ([v.X], [v.Y]) : null, shuffle, initialEpoch, callbacks);

    /// <summary>Trains a model with several inputs and/or outputs: one array per input and per output.</summary>
    /// <inheritdoc cref="Fit(NDArray, NDArray, int?, int, int?, double, ValueTuple{NDArray, NDArray}?, bool, int, IEnumerable{Callback}?)"/>
    public History Fit(NDArray[] x, NDArray[] y, int? batchSize = null, int epochs = 1, int? verbose = null,
        double validationSplit = 0, (NDArray[] X, NDArray[] Y)? validationData = null, bool shuffle = true,
        int initialEpoch = 0, IEnumerable<Callback>? callbacks = null)
    {
        RequireCompiled("Fit");
        int batch = CheckBatchSize(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(initialEpoch);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, "`validation_split` must be in [0, 1).");
        var data = ArrayData.Create(x, y);
        ArrayData train = data;
        ArrayData? validation = null;
        if (validationData is { } v) validation = ArrayData.Create(v.X, v.Y, "validation x");
        else if (validationSplit > 0) (train, validation) = data.Split(validationSplit);
        return new Trainer(this).Fit(train, validation, batch, epochs, Verbosity(verbose), shuffle, initialEpoch, callbacks);
    }

    /// <summary>Returns <c>[loss, metrics...]</c> on the given data (Keras' <c>evaluate</c>); batch size 32 by default.</summary>
    /// <exception cref="InvalidOperationException">Compile() has not been called.</exception>
    /// <exception cref="ArgumentException">Bad data; the message names what was expected and received.</exception>
    public double[] Evaluate(NDArray x, NDArray y, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null) =>
        Evaluate([x], [y], batchSize, verbose, callbacks);

    /// <summary>Evaluates a model with several inputs and/or outputs.</summary>
    /// <inheritdoc cref="Evaluate(NDArray, NDArray, int?, int?, IEnumerable{Callback}?)"/>
    public double[] Evaluate(NDArray[] x, NDArray[] y, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null)
    {
        RequireCompiled("Evaluate");
        int batch = CheckBatchSize(batchSize);
        return new Trainer(this).Evaluate(ArrayData.Create(x, y), batch, Verbosity(verbose), callbacks);
    }

    /// <summary>Runs the model on x in batches and returns the outputs as a host array (Keras' <c>predict</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has several outputs (use the array overload).</exception>
    public NDArray Predict(NDArray x, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null)
    {
        var outputs = Predict([x], batchSize, verbose, callbacks);
        return outputs.Length == 1 ? outputs[0]
            : throw new InvalidOperationException($"Model \"{Name}\" has {outputs.Length} outputs; call Predict(NDArray[] x) to get them all.");
    }

    /// <summary>Predicts with a model of several inputs and/or outputs; one array per output.</summary>
    public NDArray[] Predict(NDArray[] x, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null)
    {
        int batch = CheckBatchSize(batchSize);
        return new Trainer(this).Predict(ArrayData.Create(x, null), batch, Verbosity(verbose), callbacks);
    }

    /// <summary>One training step on exactly this batch; returns its <c>[loss, metrics...]</c> (metrics reset first).</summary>
    public double[] TrainOnBatch(NDArray x, NDArray y) => new Trainer(this).TrainOnBatch(ArrayData.Create([x], [y]));

    private static int CheckBatchSize(int? batchSize)
    {
        int batch = batchSize ?? 32;
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batch, "Expected a positive batch size.");
        return batch;
    }

    private static int Verbosity(int? verbose) => verbose switch
    {
        null => 1,
        0 or 1 or 2 => verbose.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(verbose), verbose, "Expected verbose 0, 1 or 2 (or null for \"auto\")."),
    };
}
