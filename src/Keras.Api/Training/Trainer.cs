using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Callbacks;
using KerasGpu.Metrics;

namespace KerasGpu.Training;

/// <summary>
/// The epoch and batch loops behind Fit, Evaluate and Predict. Data is uploaded once; each step gathers its batch on
/// the device, runs forward, the loss, the gradient tape and the fused optimizer update inside one
/// <see cref="TensorScope"/>, and accumulates loss and metric sums on the device. Nothing is read back during a step
/// unless a callback (the progress line, at most every 0.05 s) asks for the running values.
/// </summary>
internal sealed class Trainer(Model model)
{
    private IBackend Backend => Keras.Config.CurrentBackend;

    /// <summary>Checks the data against the model and compiled loss, builds the model if needed, resolves metrics,
    /// and returns the target layouts to upload. Nothing on the model changes if this throws, except building an
    /// unbuilt Sequential for the data's shape.</summary>
    public IReadOnlyList<(DType, int[])[]> Prepare(ArrayData data, CompiledObjective? compiled, bool needTargets)
    {
        var shapes = data.X.Select(a => a.Shape).ToList();
        model.CheckInputs(shapes);
        model.EnsureBuilt(shapes);
        model.CheckInputs(shapes);
        var outputShapes = model.OutputShapes!;
        if (!needTargets || compiled is null) return [];
        var y = data.Y ?? throw new ArgumentException("Targets (y) are required.");
        if (y.Length != outputShapes.Length)
            throw new ArgumentException($"Model \"{model.Name}\" has {outputShapes.Length} output(s), but received {y.Length} target array(s).");
        var metrics = compiled.MetricsPerOutput(model.OutputNames);
        var layouts = new List<(DType, int[])[]>();
        for (int o = 0; o < y.Length; o++)
        {
            int[] pred = [data.Count, .. outputShapes[o][1..].Select(d => d ?? 1)];
            compiled.Loss.ValidateTargets(y[o], pred);
            bool sparse = compiled.Loss.TargetDType == DType.Int32;
            foreach (var m in metrics[o]) m.Resolve(y[o].Shape, pred, sparse);
            var dtypes = metrics[o].Select(m => m.TargetDType).Append(compiled.Loss.TargetDType).Distinct();
            var layout = dtypes.Select(dt => (dt, dt == DType.Int32 ? pred[..^1] : sparse ? y[o].Shape : compiled.Loss.TargetShape(pred))).ToArray();
            foreach (var (dt, shape) in layout)
                if (Shapes.Size(shape) != y[o].Size)
                    throw new ArgumentException($"Targets of shape {Shapes.Format(y[o].Shape)} cannot serve metric(s) needing {dt.KerasName()} targets of shape {Shapes.Format(shape)} for output {Shapes.Format(pred)}.");
            layouts.Add([.. layout.Select(l => (l.dt, l.Item2[1..]))]); // per-sample shapes; the sample count is the data's
        }
        return layouts;
    }

    public History Fit(ArrayData train, ArrayData? validation, int batchSize, int epochs, int verbose, bool shuffle,
        int initialEpoch, IEnumerable<Callback>? userCallbacks)
    {
        var compiled = model.RequireCompiled("Fit");
        var layouts = Prepare(train, compiled, needTargets: true);
        if (validation is not null) Prepare(validation, compiled, needTargets: true);
        int steps = (train.Count + batchSize - 1) / batchSize;
        var history = new History();
        var callbacks = CallbackList(userCallbacks, verbose, history, epochs, steps);
        using var data = new DeviceData(Backend, train, layouts);
        using var valData = validation is null ? null : new DeviceData(Backend, validation, layouts);
        using var indices = Tensor.Empty(Backend, [train.Count], DType.Int32, scoped: false);
        var variables = model.TrainableWeights;
        var tensors = variables.Select(v => v.Value).ToArray();
        model.StopTraining = false;
        callbacks.ForEach(c => c.OnTrainBegin(Logs.Empty));
        Logs epochLogs = Logs.Empty;
        for (int epoch = initialEpoch; epoch < epochs && !model.StopTraining; epoch++)
        {
            compiled.ResetMetrics();
            callbacks.ForEach(c => c.OnEpochBegin(epoch, Logs.Empty));
            int[] order = shuffle ? RandomState.Permutation(train.Count, RandomState.NextKey()) : Identity(train.Count);
            Backend.Upload<int>(order, indices.Buffer);
            for (int step = 0; step < steps; step++)
            {
                int offset = step * batchSize, count = Math.Min(batchSize, train.Count - offset);
                callbacks.ForEach(c => c.OnTrainBatchBegin(step, Logs.Empty));
                TrainStep(compiled, data, indices, offset, count, variables, tensors);
                var batchLogs = new Logs(() => compiled.Results(model.OutputNames));
                callbacks.ForEach(c => c.OnTrainBatchEnd(step, batchLogs));
                if (model.StopTraining) break; // as Keras: a batch callback (TerminateOnNaN) ends the epoch here
            }
            var logs = compiled.Results(model.OutputNames).ToList();
            if (valData is not null)
                logs.AddRange(RunEvaluation(compiled, valData, batchSize, callbacks, "val_"));
            epochLogs = new Logs(logs);
            callbacks.ForEach(c => c.OnEpochEnd(epoch, epochLogs));
        }
        // Keras' fit: with EMA, the weights take their moving averages after the last epoch.
        if (epochs > 0) compiled.Optimizer.FinalizeVariableValues(variables);
        callbacks.ForEach(c => c.OnTrainEnd(epochLogs));
        return history;
    }

    public double[] Evaluate(ArrayData data, int batchSize, int verbose, IEnumerable<Callback>? userCallbacks)
    {
        var compiled = model.RequireCompiled("Evaluate");
        var layouts = Prepare(data, compiled, needTargets: true);
        int steps = (data.Count + batchSize - 1) / batchSize;
        var callbacks = CallbackList(userCallbacks, verbose, null, 1, steps);
        using var device = new DeviceData(Backend, data, layouts);
        var logs = RunEvaluation(compiled, device, batchSize, callbacks, "");
        return OrderedResults(logs);
    }

    /// <summary>Trains on one batch and returns that batch's [loss, metrics...] (metrics are reset first).</summary>
    public double[] TrainOnBatch(ArrayData data)
    {
        var compiled = model.RequireCompiled("TrainOnBatch");
        var layouts = Prepare(data, compiled, needTargets: true);
        using var device = new DeviceData(Backend, data, layouts);
        using var indices = Tensor.Empty(Backend, [data.Count], DType.Int32, scoped: false);
        Backend.Upload<int>(Identity(data.Count), indices.Buffer);
        compiled.ResetMetrics();
        var variables = model.TrainableWeights;
        TrainStep(compiled, device, indices, 0, data.Count, variables, [.. variables.Select(v => v.Value)]);
        return OrderedResults(compiled.Results(model.OutputNames));
    }

    public NDArray[] Predict(ArrayData data, int batchSize, int verbose, IEnumerable<Callback>? userCallbacks)
    {
        Prepare(data, null, needTargets: false);
        int steps = (data.Count + batchSize - 1) / batchSize;
        var callbacks = CallbackList(userCallbacks, verbose, null, 1, steps);
        using var device = new DeviceData(Backend, data, null);
        using var indices = Tensor.Empty(Backend, [data.Count], DType.Int32, scoped: false);
        Backend.Upload<int>(Identity(data.Count), indices.Buffer);
        var outputs = model.OutputShapes!.Select(s => Tensor.Empty(Backend, [data.Count, .. s[1..].Select(d => d ?? 1)], scoped: false)).ToArray();
        try
        {
            callbacks.ForEach(c => c.OnPredictBegin(Logs.Empty));
            for (int step = 0; step < steps; step++)
            {
                int offset = step * batchSize, count = Math.Min(batchSize, data.Count - offset);
                callbacks.ForEach(c => c.OnPredictBatchBegin(step, Logs.Empty));
                using (new TensorScope())
                {
                    var xb = device.X.Select(t => Ops.GatherRows(t, indices, offset, count)).ToArray();
                    var outs = model.Forward(xb, training: false);
                    for (int o = 0; o < outs.Count; o++)
                    {
                        long row = outs[o].Size / count;
                        Backend.Copy(outs[o].Buffer, 0, outputs[o].Buffer, offset * row, outs[o].Size);
                    }
                }
                callbacks.ForEach(c => c.OnPredictBatchEnd(step, Logs.Empty));
            }
            callbacks.ForEach(c => c.OnPredictEnd(Logs.Empty));
            return [.. outputs.Select(t => t.ToNDArray())];
        }
        finally
        {
            foreach (var t in outputs) t.Dispose();
        }
    }

    private void TrainStep(CompiledObjective compiled, DeviceData data, Tensor indices, int offset, int count,
        IReadOnlyList<Variable> variables, Tensor[] tensors)
    {
        using var scope = new TensorScope();
        IReadOnlyList<Tensor> outputs;
        Func<int, DType, Tensor> targets;
        Tensor loss;
        using (var tape = new GradientTape())
        {
            foreach (var t in tensors) tape.Watch(t);
            (outputs, targets, loss) = ForwardAndLoss(compiled, data, indices, offset, count, training: true);
            compiled.Optimizer.Apply(tape.Gradient(loss, tensors), variables);
        }
        UpdateMetrics(compiled, outputs, targets, loss, count);
    }

    private (IReadOnlyList<Tensor> Outputs, Func<int, DType, Tensor> Targets, Tensor Loss) ForwardAndLoss(
        CompiledObjective compiled, DeviceData data, Tensor indices, int offset, int count, bool training)
    {
        var xb = data.X.Select(t => Ops.GatherRows(t, indices, offset, count)).ToArray();
        var batchTargets = data.AllTargets.ToDictionary(t => (t.Output, t.DType), t => Ops.GatherRows(t.Tensor, indices, offset, count));
        var outputs = model.Forward(xb, training);
        Tensor? total = null;
        for (int o = 0; o < outputs.Count; o++)
        {
            var l = compiled.Loss.Call(batchTargets[(o, compiled.Loss.TargetDType)], outputs[o]);
            if (l.Rank > 0) l = Ops.Mean(l);
            total = total is null ? l : Ops.Add(total, l);
        }
        return (outputs, (o, dt) => batchTargets[(o, dt)], total!);
    }

    private void UpdateMetrics(CompiledObjective compiled, IReadOnlyList<Tensor> outputs, Func<int, DType, Tensor> targets, Tensor loss, int count)
    {
        compiled.LossTracker.UpdateState(loss, count);
        var metrics = compiled.MetricsPerOutput(model.OutputNames);
        for (int o = 0; o < outputs.Count; o++)
            foreach (var m in metrics[o]) m.UpdateState(targets(o, m.TargetDType), outputs[o]);
    }

    private List<KeyValuePair<string, double>> RunEvaluation(CompiledObjective compiled, DeviceData data, int batchSize,
        List<Callback> callbacks, string prefix)
    {
        int steps = (data.Count + batchSize - 1) / batchSize;
        using var indices = Tensor.Empty(Backend, [data.Count], DType.Int32, scoped: false);
        Backend.Upload<int>(Identity(data.Count), indices.Buffer);
        compiled.ResetMetrics();
        callbacks.ForEach(c => c.OnTestBegin(Logs.Empty));
        for (int step = 0; step < steps; step++)
        {
            int offset = step * batchSize, count = Math.Min(batchSize, data.Count - offset);
            callbacks.ForEach(c => c.OnTestBatchBegin(step, Logs.Empty));
            using (new TensorScope())
            {
                var (outputs, targets, loss) = ForwardAndLoss(compiled, data, indices, offset, count, training: false);
                UpdateMetrics(compiled, outputs, targets, loss, count);
            }
            var batchLogs = new Logs(() => compiled.Results(model.OutputNames));
            callbacks.ForEach(c => c.OnTestBatchEnd(step, batchLogs));
        }
        var results = compiled.Results(model.OutputNames);
        callbacks.ForEach(c => c.OnTestEnd(new Logs(results)));
        return [.. results.Select(p => KeyValuePair.Create(prefix + p.Key, p.Value))];
    }

    /// <summary>Keras' Evaluate order: the loss first, then the metrics.</summary>
    private static double[] OrderedResults(IReadOnlyList<KeyValuePair<string, double>> logs) =>
        [.. logs.Where(p => p.Key == "loss").Select(p => p.Value), .. logs.Where(p => p.Key != "loss").Select(p => p.Value)];

    private List<Callback> CallbackList(IEnumerable<Callback>? user, int verbose, History? history, int epochs, int steps)
    {
        var list = new List<Callback>();
        if (verbose != 0) list.Add(new ProgbarLogger());
        list.AddRange(user ?? []);
        if (history is not null) list.Add(history);
        var parameters = new Dictionary<string, int> { ["verbose"] = verbose, ["epochs"] = epochs, ["steps"] = steps };
        foreach (var c in list)
        {
            c.Model = model;
            c.Params = parameters;
        }
        return list;
    }

    private static int[] Identity(int n)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
