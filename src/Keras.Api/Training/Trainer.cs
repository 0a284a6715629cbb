using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Callbacks;

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
    /// unbuilt Sequential or subclassed model for the data's shape.</summary>
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
        compiled.Resolve(model.OutputNames);
        var layouts = new List<(DType, int[])[]>();
        for (int o = 0; o < y.Length; o++)
        {
            int[] pred = [data.Count, .. outputShapes[o][1..].Select(d => d ?? 1)];
            var loss = compiled.Losses[o]?.Loss;
            loss?.ValidateTargets(y[o], pred);
            bool sparse = loss?.TargetDType == DType.Int32;
            var metrics = compiled.Metrics.Where(m => m.Output == o).Select(m => m.Metric).ToList();
            foreach (var m in metrics) m.Resolve(y[o].Shape, pred, sparse);
            var dtypes = metrics.Select(m => m.TargetDType).Concat(loss is null ? [] : [loss.TargetDType]).Distinct();
            var layout = dtypes.Select(dt => (dt, dt == DType.Int32 ? pred[..^1] : sparse || loss is null ? y[o].Shape : loss.TargetShape(pred))).ToArray();
            foreach (var (dt, shape) in layout)
                if (Shapes.Size(shape) != y[o].Size)
                    throw new ArgumentException($"Targets of shape {Shapes.Format(y[o].Shape)} cannot serve metric(s) needing {dt.KerasName()} targets of shape {Shapes.Format(shape)} for output {Shapes.Format(pred)}.");
            layouts.Add([.. layout.Select(l => (l.dt, l.Item2[1..]))]); // per-sample shapes; the sample count is the data's
        }
        return layouts;
    }

    /// <summary>Keras' fit loop over array data (see <see cref="Model.Fit(NDArray[], NDArray[], int?, int, int?, double, ValueTuple{NDArray[], NDArray[]}?, bool, int, IEnumerable{Callback}?, NDArray?, IReadOnlyDictionary{int, double}?, int?, int)"/>).</summary>
    public History Fit(ArrayData train, ArrayData? validation, int batchSize, int epochs, int verbose, bool shuffle,
        int initialEpoch, IEnumerable<Callback>? userCallbacks, int? stepsPerEpoch = null, int validationFreq = 1)
    {
        var compiled = model.RequireCompiled("Fit");
        var layouts = Prepare(train, compiled, needTargets: true);
        if (validation is not null) Prepare(validation, compiled, needTargets: true);
        int batches = (train.Count + batchSize - 1) / batchSize;
        int steps = stepsPerEpoch ?? batches;
        var history = new History();
        var callbacks = CallbackList(userCallbacks, verbose, history, epochs, steps);
        using var data = new DeviceData(Backend, train, layouts);
        using var valData = validation is null ? null : new DeviceData(Backend, validation, layouts);
        using var plans = new StepPlans(Backend, data, traced: !model.RunEagerly);
        using var valPlans = valData is null ? null : new StepPlans(Backend, valData, traced: !model.RunEagerly);
        using var indices = Tensor.Empty(Backend, [train.Count], DType.Int32, scoped: false);
        var variables = model.TrainableWeights;
        var tensors = variables.Select(v => v.Value).ToArray();
        model.StopTraining = false;
        foreach (var c in callbacks) c.OnTrainBegin(Logs.Empty);
        Logs? epochLogs = null, batchLogs = null;
        Func<IReadOnlyList<KeyValuePair<string, double>>> readResults = () => compiled.Results();
        // Keras' EpochIterator: with steps_per_epoch, an epoch continues the current pass over the data, which is
        // reshuffled once all its batches are consumed; an epoch never runs past the end of a pass.
        int seen = 0;
        bool haveOrder = false, warned = false;
        for (int epoch = initialEpoch; epoch < epochs; epoch++)
        {
            compiled.ResetMetrics();
            foreach (var c in callbacks) c.OnEpochBegin(epoch, Logs.Empty);
            if (!haveOrder || stepsPerEpoch is null)
            {
                int[] order = shuffle ? RandomState.Permutation(train.Count, RandomState.NextKey()) : Identity(train.Count);
                Backend.Upload<int>(order, indices.Buffer);
                haveOrder = true;
                seen = 0;
            }
            for (int step = 0; step < steps; step++)
            {
                if (seen >= batches)
                {
                    if (!warned) Console.Error.WriteLine("UserWarning: Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function when building your dataset.");
                    warned = true;
                    break;
                }
                int offset = seen * batchSize, count = Math.Min(batchSize, train.Count - offset);
                seen++;
                foreach (var c in callbacks) c.OnTrainBatchBegin(step, Logs.Empty);
                var plan = plans.For(count);
                plan.Gather(data, indices, offset);
                TrainStep(compiled, plan, variables, tensors);
                batchLogs = Unread(batchLogs, readResults);
                foreach (var c in callbacks) c.OnTrainBatchEnd(step, batchLogs);
                if (model.StopTraining) break; // as Keras: a batch callback (TerminateOnNaN) ends the epoch here
            }
            if (seen >= batches) haveOrder = false;
            var logs = compiled.Results().ToList();
            if (valData is not null && (epoch + 1) % validationFreq == 0)
                logs.AddRange(RunEvaluation(compiled, valPlans!, batchSize, callbacks).Select(p => KeyValuePair.Create("val_" + p.Key, p.Value)));
            epochLogs = new Logs(logs);
            foreach (var c in callbacks) c.OnEpochEnd(epoch, epochLogs);
            if (model.StopTraining) break;
        }
        // Keras' fit: with EMA, the weights take their moving averages after the last epoch.
        if (epochs > 0) compiled.Optimizer.FinalizeVariableValues(variables);
        foreach (var c in callbacks) c.OnTrainEnd(epochLogs ?? Logs.Empty);
        return history;
    }

    /// <summary>Evaluates on the data and returns the logs (sorted by key, as Keras 3 logs are).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Evaluate(ArrayData data, int batchSize, int verbose, IEnumerable<Callback>? userCallbacks)
    {
        var compiled = model.RequireCompiled("Evaluate");
        var layouts = Prepare(data, compiled, needTargets: true);
        int steps = (data.Count + batchSize - 1) / batchSize;
        var callbacks = CallbackList(userCallbacks, verbose, null, 1, steps);
        using var device = new DeviceData(Backend, data, layouts);
        using var plans = new StepPlans(Backend, device, traced: !model.RunEagerly);
        return RunEvaluation(compiled, plans, batchSize, callbacks);
    }

    /// <summary>Keras' <c>_flatten_metrics_in_order</c> of logs.</summary>
    public double[] InOrder(IReadOnlyList<KeyValuePair<string, double>> logs)
    {
        var compiled = model.RequireCompiled("Evaluate");
        var byName = logs.ToDictionary(p => p.Key, p => p.Value);
        return [.. compiled.OrderedNames().Select(n => byName[n])];
    }

    /// <summary>Trains on one batch and returns that batch's logs (metrics are reset first).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> TrainOnBatch(ArrayData data)
    {
        var compiled = model.RequireCompiled("TrainOnBatch");
        var layouts = Prepare(data, compiled, needTargets: true);
        using var device = new DeviceData(Backend, data, layouts);
        using var indices = Tensor.Empty(Backend, [data.Count], DType.Int32, scoped: false);
        Backend.Upload<int>(Identity(data.Count), indices.Buffer);
        compiled.ResetMetrics();
        var variables = model.TrainableWeights;
        using var plan = new StepPlan(Backend, device, data.Count, traced: false);
        plan.Gather(device, indices, 0);
        TrainStep(compiled, plan, variables, [.. variables.Select(v => v.Value)]);
        return compiled.Results();
    }

    /// <summary>Evaluates one batch and returns its logs (metrics are reset first).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> TestOnBatch(ArrayData data)
    {
        var compiled = model.RequireCompiled("TestOnBatch");
        var layouts = Prepare(data, compiled, needTargets: true);
        using var device = new DeviceData(Backend, data, layouts);
        using var plans = new StepPlans(Backend, device, traced: false);
        return RunEvaluation(compiled, plans, data.Count, []);
    }

    public NDArray[] Predict(ArrayData data, int batchSize, int verbose, IEnumerable<Callback>? userCallbacks)
    {
        Prepare(data, null, needTargets: false);
        int steps = (data.Count + batchSize - 1) / batchSize;
        var callbacks = CallbackList(userCallbacks, verbose, null, 1, steps);
        using var device = new DeviceData(Backend, data, null);
        using var plans = new StepPlans(Backend, device, traced: !model.RunEagerly);
        using var indices = Tensor.Empty(Backend, [data.Count], DType.Int32, scoped: false);
        Backend.Upload<int>(Identity(data.Count), indices.Buffer);
        var outputs = model.OutputShapes!.Select(s => Tensor.Empty(Backend, [data.Count, .. s[1..].Select(d => d ?? 1)], scoped: false)).ToArray();
        try
        {
            foreach (var c in callbacks) c.OnPredictBegin(Logs.Empty);
            for (int step = 0; step < steps; step++)
            {
                int offset = step * batchSize, count = Math.Min(batchSize, data.Count - offset);
                foreach (var c in callbacks) c.OnPredictBatchBegin(step, Logs.Empty);
                var plan = plans.For(count);
                plan.Gather(device, indices, offset);
                if (plan.Step.TryReplay() is { } replayed) CopyOut(replayed, outputs, offset, count);
                else EagerPredictStep(plan, outputs, offset);
                foreach (var c in callbacks) c.OnPredictBatchEnd(step, Logs.Empty);
            }
            foreach (var c in callbacks) c.OnPredictEnd(Logs.Empty);
            return [.. outputs.Select(t => t.ToNDArray())];
        }
        finally
        {
            foreach (var t in outputs) t.Dispose();
        }
    }

    private void EagerPredictStep(StepPlan plan, Tensor[] outputs, int offset)
    {
        using var scope = new TensorScope();
        var outs = plan.Step.Run(() => [.. model.Forward(plan.X, training: false)]);
        CopyOut(outs, outputs, offset, plan.Count);
    }

    /// <summary>Copies a batch's predictions into rows <c>[offset, offset + count)</c> of the outputs.</summary>
    private void CopyOut(Tensor?[] batch, Tensor[] outputs, int offset, int count)
    {
        for (int o = 0; o < batch.Length; o++)
        {
            var b = batch[o]!;
            long row = b.Size / count;
            Backend.Copy(b.Buffer, 0, outputs[o].Buffer, offset * row, b.Size);
        }
    }

    /// <summary>One training step on the batch gathered into <paramref name="plan"/>: forward, loss, gradients (replayed
    /// once the step is traced), then the optimizer update, which always runs on the host's current learning rate.</summary>
    private void TrainStep(CompiledObjective compiled, StepPlan plan, IReadOnlyList<Variable> variables, Tensor[] tensors)
    {
        if (plan.Step.TryReplay() is { } replayed) compiled.Optimizer.Apply(replayed, variables);
        else EagerTrainStep(compiled, plan, variables, tensors);
    }

    // Apart from TrainStep: the lambda's captures would otherwise be allocated on every call, replays included.
    private void EagerTrainStep(CompiledObjective compiled, StepPlan plan, IReadOnlyList<Variable> variables, Tensor[] tensors)
    {
        using var scope = new TensorScope();
        var gradients = plan.Step.Run(() =>
        {
            using var tape = new GradientTape();
            foreach (var t in tensors) tape.Watch(t);
            var loss = ForwardAndLoss(compiled, plan, training: true);
            return tape.Gradient(loss, tensors);
        });
        compiled.Optimizer.Apply(gradients, variables);
    }

    /// <summary>One evaluation step on the batch gathered into <paramref name="plan"/> (replayed once traced).</summary>
    private void TestStep(CompiledObjective compiled, StepPlan plan)
    {
        if (plan.Step.TryReplay() is null) EagerTestStep(compiled, plan);
    }

    private void EagerTestStep(CompiledObjective compiled, StepPlan plan)
    {
        using var scope = new TensorScope();
        plan.Step.Run(() =>
        {
            ForwardAndLoss(compiled, plan, training: false);
            return [];
        });
    }

    /// <summary>Batch logs read lazily from the metrics; one object serves every step until a callback reads it (Keras
    /// hands out a fresh dict per batch; values read later would be the same either way, since they are lazy).</summary>
    private static Logs Unread(Logs? previous, Func<IReadOnlyList<KeyValuePair<string, double>>> read) =>
        previous is { IsMaterialized: false } ? previous : new Logs(read);

    /// <summary>
    /// Keras' <c>compute_loss</c> for one batch: Σ weight·loss over the outputs that have a loss (each loss given the
    /// batch's sample weights), plus the sum of every regularization penalty. Updates the loss trackers (the total, and
    /// each output's unweighted loss), the compiled <c>metrics</c> (unweighted) and <c>weighted_metrics</c> (given the
    /// sample weights), as Keras does.
    /// </summary>
    private Tensor ForwardAndLoss(CompiledObjective compiled, StepPlan batch, bool training)
    {
        int count = batch.Count;
        var sampleWeight = batch.SampleWeight;
        var outputs = model.Forward(batch.X, training);
        Tensor? total = null;
        for (int o = 0; o < outputs.Count; o++)
        {
            if (compiled.Losses[o] is not { } spec) continue;
            var value = spec.Loss.Call(batch.Target(o, spec.Loss.TargetDType), outputs[o], sampleWeight);
            if (value.Rank > 0) value = Ops.Mean(value); // reduction "none": the trainer still needs one number
            spec.Tracker?.UpdateState(value, count);
            if (spec.Weight is double w) value = Ops.Scale(value, (float)w);
            total = total is null ? value : Ops.Add(total, value);
        }
        foreach (var penalty in model.Losses)
            total = Ops.Add(total!, penalty.Rank > 0 ? Ops.Sum(penalty) : penalty);
        compiled.LossTracker.UpdateState(total!, count);
        foreach (var m in compiled.Metrics)
            m.Metric.UpdateState(batch.Target(m.Output, m.Metric.TargetDType), outputs[m.Output], m.Weighted ? sampleWeight : null);
        return total!;
    }

    private List<KeyValuePair<string, double>> RunEvaluation(CompiledObjective compiled, StepPlans plans, int batchSize, List<Callback> callbacks)
    {
        var data = plans.Data;
        int steps = (data.Count + batchSize - 1) / batchSize;
        using var indices = Tensor.Empty(Backend, [data.Count], DType.Int32, scoped: false);
        Backend.Upload<int>(Identity(data.Count), indices.Buffer);
        compiled.ResetMetrics();
        Logs? batchLogs = null;
        Func<IReadOnlyList<KeyValuePair<string, double>>> readResults = () => compiled.Results();
        foreach (var c in callbacks) c.OnTestBegin(Logs.Empty);
        for (int step = 0; step < steps; step++)
        {
            int offset = step * batchSize, count = Math.Min(batchSize, data.Count - offset);
            foreach (var c in callbacks) c.OnTestBatchBegin(step, Logs.Empty);
            var plan = plans.For(count);
            plan.Gather(data, indices, offset);
            TestStep(compiled, plan);
            batchLogs = Unread(batchLogs, readResults);
            foreach (var c in callbacks) c.OnTestBatchEnd(step, batchLogs);
        }
        var results = compiled.Results();
        foreach (var c in callbacks) c.OnTestEnd(new Logs(results));
        return [.. results];
    }

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
