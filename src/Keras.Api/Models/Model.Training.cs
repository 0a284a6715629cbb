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
    /// <param name="batchSize">Samples per step; Keras' default 32 (or <c>ceil(samples / stepsPerEpoch)</c> when only
    /// <paramref name="stepsPerEpoch"/> is given).</param>
    /// <param name="epochs">Epochs to train (the last epoch's index + 1, counting from <paramref name="initialEpoch"/>).</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch; null ("auto") means 1.</param>
    /// <param name="validationSplit">Fraction in [0, 1) of the data, taken from the end before shuffling, held out for validation.</param>
    /// <param name="validationData">Explicit validation data; overrides <paramref name="validationSplit"/>.</param>
    /// <param name="shuffle">Shuffle the training samples before each pass over them.</param>
    /// <param name="initialEpoch">Epoch at which to start (to resume a run).</param>
    /// <param name="callbacks">Callbacks besides History and the progress logger.</param>
    /// <param name="sampleWeight">Per-sample weights of the loss (shape <c>(samples,)</c>; for a single-output model any
    /// shape that prefixes the per-sample loss). Metrics stay unweighted, as Keras' <c>metrics</c>.</param>
    /// <param name="classWeight">Class index → weight, turned into sample weights from the targets (integer labels, or
    /// the argmax of one-hot targets); single-output models only, and not together with <paramref name="sampleWeight"/>.</param>
    /// <param name="stepsPerEpoch">Batches per epoch; an epoch then continues the current pass over the data (a new
    /// shuffled pass starts when it is used up), and never runs past the end of a pass.</param>
    /// <param name="validationFreq">Validate every this many epochs (Keras' integer <c>validation_freq</c>).</param>
    /// <exception cref="InvalidOperationException">Compile() has not been called.</exception>
    /// <exception cref="ArgumentException">Bad data or arguments; the message names what was expected and received.</exception>
    public History Fit(NDArray x, NDArray y, int? batchSize = null, int epochs = 1, int? verbose = null,
        double validationSplit = 0, (NDArray X, NDArray Y)? validationData = null, bool shuffle = true,
        int initialEpoch = 0, IEnumerable<Callback>? callbacks = null, NDArray? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null, int? stepsPerEpoch = null, int validationFreq = 1) =>
        Fit([x], [y], batchSize, epochs, verbose, validationSplit,
            validationData is { } v ? ([v.X], [v.Y]) : null, shuffle, initialEpoch, callbacks, sampleWeight, classWeight,
            stepsPerEpoch, validationFreq);

    /// <summary>Trains a model with several inputs and/or outputs: one array per input and per output.</summary>
    /// <inheritdoc cref="Fit(NDArray, NDArray, int?, int, int?, double, ValueTuple{NDArray, NDArray}?, bool, int, IEnumerable{Callback}?, NDArray?, IReadOnlyDictionary{int, double}?, int?, int)"/>
    public History Fit(NDArray[] x, NDArray[] y, int? batchSize = null, int epochs = 1, int? verbose = null,
        double validationSplit = 0, (NDArray[] X, NDArray[] Y)? validationData = null, bool shuffle = true,
        int initialEpoch = 0, IEnumerable<Callback>? callbacks = null, NDArray? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null, int? stepsPerEpoch = null, int validationFreq = 1)
    {
        RequireCompiled("Fit");
        if (stepsPerEpoch is <= 0) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, "Expected a positive `steps_per_epoch` (or null for one pass over the data).");
        if (validationFreq <= 0) throw new ArgumentOutOfRangeException(nameof(validationFreq), validationFreq, "Expected a positive `validation_freq` (validate every N epochs).");
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(initialEpoch);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, "`validation_split` must be in [0, 1).");
        var data = ArrayData.Create(x, y, sampleWeight: sampleWeight);
        if (classWeight is not null) CheckClassWeight(y, sampleWeight);
        ArrayData train = data;
        ArrayData? validation = null;
        if (validationData is { } v) validation = ArrayData.Create(v.X, v.Y, "validation x");
        else if (validationSplit > 0) (train, validation) = data.Split(validationSplit);
        // As in Keras, class weights apply to the training part only (the split happens first).
        if (classWeight is not null) train = train.WithSampleWeight(ArrayData.ClassWeightsToSampleWeights(train.Y![0], classWeight));
        int batch = batchSize is null && stepsPerEpoch is int s ? (train.Count + s - 1) / s : CheckBatchSize(batchSize);
        return new Trainer(this).Fit(train, validation, batch, epochs, Verbosity(verbose), shuffle, initialEpoch, callbacks,
            stepsPerEpoch, validationFreq);
    }

    /// <summary>Keras' class_weight rules: not with sample weights, single-output models, per-sample class targets.</summary>
    private static void CheckClassWeight(NDArray[] y, NDArray? sampleWeight)
    {
        if (sampleWeight is not null) throw new ArgumentException("You cannot `class_weight` and `sample_weight` at the same time.", "classWeight");
        if (y.Length != 1) throw new ArgumentException("`class_weight` is only supported for Models with a single output.", "classWeight");
        if (y[0].Rank > 2)
            throw new ArgumentException($"`class_weight` needs targets of shape (samples,), (samples, 1) or one-hot (samples, classes); received targets of shape {Shapes.Format(y[0].Shape)}.", "classWeight");
    }

    /// <summary>Returns <c>[loss, metrics...]</c> on the given data (Keras' <c>evaluate</c>); batch size 32 by default.</summary>
    /// <param name="x">Input features, samples first.</param>
    /// <param name="y">Targets, samples first.</param>
    /// <param name="batchSize">Samples per step; default 32.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line; null ("auto") means 1.</param>
    /// <param name="callbacks">Callbacks; their OnTest* hooks run.</param>
    /// <param name="sampleWeight">Per-sample weights of the loss.</param>
    /// <exception cref="InvalidOperationException">Compile() has not been called.</exception>
    /// <exception cref="ArgumentException">Bad data; the message names what was expected and received.</exception>
    public double[] Evaluate(NDArray x, NDArray y, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null,
        NDArray? sampleWeight = null) =>
        Evaluate([x], [y], batchSize, verbose, callbacks, sampleWeight);

    /// <summary>Evaluates a model with several inputs and/or outputs; the values are in <see cref="MetricsNames"/> order.</summary>
    /// <inheritdoc cref="Evaluate(NDArray, NDArray, int?, int?, IEnumerable{Callback}?, NDArray?)"/>
    public double[] Evaluate(NDArray[] x, NDArray[] y, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null,
        NDArray? sampleWeight = null)
    {
        var trainer = new Trainer(this);
        return trainer.InOrder(EvaluateLogs(trainer, x, y, batchSize, verbose, callbacks, sampleWeight));
    }

    /// <summary>Keras' <c>evaluate(..., return_dict=True)</c>: the loss and metrics by log name (e.g. <c>"loss"</c>,
    /// <c>"class_loss"</c>, <c>"class_accuracy"</c>), sorted by name.</summary>
    /// <param name="x">Input features, samples first.</param>
    /// <param name="y">Targets, samples first.</param>
    /// <param name="returnDict">Must be true (this overload returns the dictionary; the others return a list).</param>
    /// <param name="batchSize">Samples per step; default 32.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line; null ("auto") means 1.</param>
    /// <param name="callbacks">Callbacks; their OnTest* hooks run.</param>
    /// <param name="sampleWeight">Per-sample weights of the loss.</param>
    /// <exception cref="ArgumentException"><paramref name="returnDict"/> is false, or bad data.</exception>
    public IReadOnlyDictionary<string, double> Evaluate(NDArray[] x, NDArray[] y, bool returnDict, int? batchSize = null,
        int? verbose = null, IEnumerable<Callback>? callbacks = null, NDArray? sampleWeight = null)
    {
        CheckReturnDict(returnDict);
        return new Logs(EvaluateLogs(new Trainer(this), x, y, batchSize, verbose, callbacks, sampleWeight));
    }

    /// <inheritdoc cref="Evaluate(NDArray[], NDArray[], bool, int?, int?, IEnumerable{Callback}?, NDArray?)"/>
    public IReadOnlyDictionary<string, double> Evaluate(NDArray x, NDArray y, bool returnDict, int? batchSize = null,
        int? verbose = null, IEnumerable<Callback>? callbacks = null, NDArray? sampleWeight = null) =>
        Evaluate([x], [y], returnDict, batchSize, verbose, callbacks, sampleWeight);

    private IReadOnlyList<KeyValuePair<string, double>> EvaluateLogs(Trainer trainer, NDArray[] x, NDArray[] y, int? batchSize,
        int? verbose, IEnumerable<Callback>? callbacks, NDArray? sampleWeight)
    {
        RequireCompiled("Evaluate");
        int batch = CheckBatchSize(batchSize);
        return trainer.Evaluate(ArrayData.Create(x, y, sampleWeight: sampleWeight), batch, Verbosity(verbose), callbacks);
    }

    private static void CheckReturnDict(bool returnDict)
    {
        if (!returnDict) throw new ArgumentException("This overload returns a dictionary and needs returnDict: true; call the overload without returnDict for a list.", nameof(returnDict));
    }

    /// <summary>Runs the model on x in batches and returns the outputs as a host array (Keras' <c>predict</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has several outputs (use the array overload).</exception>
    public NDArray Predict(NDArray x, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null)
    {
        var outputs = Predict([x], batchSize, verbose, callbacks);
        return outputs.Length == 1 ? outputs[0]
            : throw new InvalidOperationException($"Model \"{Name}\" has {outputs.Length} outputs; call Predict(NDArray[] x) to get them all.");
    }

    /// <summary>Predicts with a model of several inputs and/or outputs; one array per output. Callbacks' OnPredict* hooks run.</summary>
    public NDArray[] Predict(NDArray[] x, int? batchSize = null, int? verbose = null, IEnumerable<Callback>? callbacks = null)
    {
        int batch = CheckBatchSize(batchSize);
        return new Trainer(this).Predict(ArrayData.Create(x, null), batch, Verbosity(verbose), callbacks);
    }

    /// <summary>One training step on exactly this batch; returns its <c>[loss, metrics...]</c> (metrics reset first).</summary>
    /// <param name="x">The batch's inputs.</param>
    /// <param name="y">The batch's targets.</param>
    /// <param name="sampleWeight">Per-sample weights of the loss.</param>
    /// <param name="classWeight">Class index → weight (single-output models; not with <paramref name="sampleWeight"/>).</param>
    public double[] TrainOnBatch(NDArray x, NDArray y, NDArray? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null) =>
        TrainOnBatch([x], [y], sampleWeight, classWeight);

    /// <summary>One training step of a model with several inputs and/or outputs.</summary>
    /// <inheritdoc cref="TrainOnBatch(NDArray, NDArray, NDArray?, IReadOnlyDictionary{int, double}?)"/>
    public double[] TrainOnBatch(NDArray[] x, NDArray[] y, NDArray? sampleWeight = null, IReadOnlyDictionary<int, double>? classWeight = null)
    {
        var trainer = new Trainer(this);
        return trainer.InOrder(TrainOnBatchLogs(trainer, x, y, sampleWeight, classWeight));
    }

    /// <summary>One training step; returns the batch's logs by name (Keras' <c>return_dict=True</c>).</summary>
    /// <param name="x">The batch's inputs.</param>
    /// <param name="y">The batch's targets.</param>
    /// <param name="returnDict">Must be true.</param>
    /// <param name="sampleWeight">Per-sample weights of the loss.</param>
    /// <param name="classWeight">Class index → weight (single-output models; not with <paramref name="sampleWeight"/>).</param>
    public IReadOnlyDictionary<string, double> TrainOnBatch(NDArray[] x, NDArray[] y, bool returnDict, NDArray? sampleWeight = null,
        IReadOnlyDictionary<int, double>? classWeight = null)
    {
        CheckReturnDict(returnDict);
        return new Logs(TrainOnBatchLogs(new Trainer(this), x, y, sampleWeight, classWeight));
    }

    private IReadOnlyList<KeyValuePair<string, double>> TrainOnBatchLogs(Trainer trainer, NDArray[] x, NDArray[] y, NDArray? sampleWeight,
        IReadOnlyDictionary<int, double>? classWeight)
    {
        RequireCompiled("TrainOnBatch");
        var data = ArrayData.Create(x, y, sampleWeight: sampleWeight);
        if (classWeight is not null)
        {
            CheckClassWeight(y, sampleWeight);
            data = data.WithSampleWeight(ArrayData.ClassWeightsToSampleWeights(y[0], classWeight));
        }
        return trainer.TrainOnBatch(data);
    }

    /// <summary>Evaluates exactly this batch (Keras' <c>test_on_batch</c>); returns <c>[loss, metrics...]</c>.</summary>
    /// <param name="x">The batch's inputs.</param>
    /// <param name="y">The batch's targets.</param>
    /// <param name="sampleWeight">Per-sample weights of the loss.</param>
    public double[] TestOnBatch(NDArray x, NDArray y, NDArray? sampleWeight = null) => TestOnBatch([x], [y], sampleWeight);

    /// <summary>Evaluates one batch of a model with several inputs and/or outputs.</summary>
    /// <inheritdoc cref="TestOnBatch(NDArray, NDArray, NDArray?)"/>
    public double[] TestOnBatch(NDArray[] x, NDArray[] y, NDArray? sampleWeight = null)
    {
        var trainer = new Trainer(this);
        RequireCompiled("TestOnBatch");
        return trainer.InOrder(trainer.TestOnBatch(ArrayData.Create(x, y, sampleWeight: sampleWeight)));
    }

    /// <summary>Evaluates one batch and returns its logs by name (Keras' <c>return_dict=True</c>).</summary>
    /// <param name="x">The batch's inputs.</param>
    /// <param name="y">The batch's targets.</param>
    /// <param name="returnDict">Must be true.</param>
    /// <param name="sampleWeight">Per-sample weights of the loss.</param>
    public IReadOnlyDictionary<string, double> TestOnBatch(NDArray[] x, NDArray[] y, bool returnDict, NDArray? sampleWeight = null)
    {
        CheckReturnDict(returnDict);
        RequireCompiled("TestOnBatch");
        return new Logs(new Trainer(this).TestOnBatch(ArrayData.Create(x, y, sampleWeight: sampleWeight)));
    }

    /// <summary>The model's outputs for exactly this batch (Keras' <c>predict_on_batch</c>).</summary>
    /// <exception cref="InvalidOperationException">The model has several outputs (use the array overload).</exception>
    public NDArray PredictOnBatch(NDArray x)
    {
        var outputs = PredictOnBatch([x]);
        return outputs.Length == 1 ? outputs[0]
            : throw new InvalidOperationException($"Model \"{Name}\" has {outputs.Length} outputs; call PredictOnBatch(NDArray[] x) to get them all.");
    }

    /// <summary>The outputs of a model with several inputs and/or outputs for exactly this batch.</summary>
    public NDArray[] PredictOnBatch(NDArray[] x)
    {
        var data = ArrayData.Create(x, null);
        return new Trainer(this).Predict(data, data.Count, verbose: 0, userCallbacks: null);
    }

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
