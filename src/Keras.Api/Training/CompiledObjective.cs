using KerasGpu.Losses;
using KerasGpu.Metrics;
using KerasGpu.Optimizers;

namespace KerasGpu.Training;

/// <summary>
/// What Compile() fixed, resolved against the model's outputs the way Keras' <c>CompileLoss</c> and
/// <c>CompileMetrics</c> do: the loss and its weight per output (null: the output has no loss), a <c>Mean</c> of each
/// output's unweighted loss named <c>&lt;output&gt;_loss</c> when there are several losses, and the metrics per output,
/// named <c>&lt;output&gt;_&lt;metric&gt;</c> for multi-output models.
/// </summary>
internal sealed class CompiledObjective : IDisposable
{
    private readonly CompileLoss _loss;
    private readonly LossWeights? _weights;
    private readonly CompileMetrics? _metrics;
    private readonly CompileMetrics? _weightedMetrics;
    private IReadOnlyList<string>? _resolvedFor;

    public CompiledObjective(Optimizer optimizer, CompileLoss loss, LossWeights? lossWeights, CompileMetrics? metrics,
        CompileMetrics? weightedMetrics = null)
    {
        Optimizer = optimizer;
        _loss = loss;
        _weights = lossWeights;
        _metrics = metrics;
        _weightedMetrics = weightedMetrics;
    }

    public Optimizer Optimizer { get; }

    /// <summary>Keras' <c>loss</c> tracker: the total loss (weighted sum plus regularization) per batch.</summary>
    public Mean LossTracker { get; } = new("loss");

    /// <summary>Per output: its loss (null when none), its weight, and its loss tracker (null unless several losses).</summary>
    public OutputLoss?[] Losses { get; private set; } = [];

    /// <summary>Every compiled metric with its log name and output.</summary>
    public List<CompiledMetric> Metrics { get; private set; } = [];

    /// <summary>A resolved loss of one output.</summary>
    internal sealed record OutputLoss(Loss Loss, double? Weight, Mean? Tracker);

    /// <summary>A resolved metric: <paramref name="LogName"/> is its key in the logs, <paramref name="KerasName"/> its own
    /// name; <paramref name="Weighted"/> metrics (Keras' <c>weighted_metrics</c>) receive the sample weights.</summary>
    internal sealed record CompiledMetric(string LogName, string KerasName, PredictionMetric Metric, int Output, bool Weighted);

    /// <summary>
    /// Resolves the specification for outputs named <paramref name="outputNames"/> (once per set of names). Throws,
    /// changing nothing, when the specification does not fit the outputs.
    /// </summary>
    public void Resolve(IReadOnlyList<string> outputNames)
    {
        if (_resolvedFor is not null && _resolvedFor.SequenceEqual(outputNames)) return;
        var losses = ResolveLosses(outputNames);
        var metrics = ResolveMetrics(outputNames);
        DisposeResolved();
        Losses = losses;
        Metrics = metrics;
        _resolvedFor = [.. outputNames];
    }

    private static string PyList(IEnumerable<string> names) => $"[{string.Join(", ", names.Select(n => $"'{n}'"))}]";

    private OutputLoss?[] ResolveLosses(IReadOnlyList<string> names)
    {
        int n = names.Count;
        Loss?[] perOutput;
        double?[] weights = new double?[n];
        if (_loss.Single is { } single)
        {
            // Keras pairs loss_weights with the loss structure first: one loss takes one number.
            if (_weights is { Single: null, Count: var c } && c != 1)
                throw new ArgumentException($"`loss_weights` must match the number of losses, got 1 losses and {c} weights.");
            perOutput = [.. Enumerable.Repeat(single, n)];
            if (_weights?.Single is double w) Array.Fill(weights, w);
            else if (_weights is { Count: 1 }) Array.Fill(weights, _weights.First());
        }
        else if (_loss.ByName.Count > 0)
        {
            if (!new HashSet<string>(names).SetEquals(_loss.ByName.Keys))
                throw new ArgumentException($"Expected keys {PyList(names)} in loss dict, but found loss.keys()={PyList(_loss.ByName.Keys)}");
            perOutput = [.. names.Select(name => _loss.ByName[name])];
        }
        else
        {
            var list = _loss.ByPosition;
            if (list.Count > n)
                throw new ArgumentException(n == 1
                    ? $"The model has 1 output, but `loss` is a list of {list.Count} losses: {_loss}."
                    : $"The path: ({n},) in the `loss` argument, can't be found in either the model's output (`y_pred`) or in the labels (`y_true`).");
            perOutput = [.. list, .. Enumerable.Repeat<Loss?>(null, n - list.Count)];
        }
        if (_weights is not null && _loss.Single is null)
        {
            if (_weights.Single is double w)
            {
                if (perOutput.Count(l => l is not null) != 1)
                    throw new ArgumentException($"`loss_weights` must match the number of losses, got {perOutput.Count(l => l is not null)} losses and 1 weights.");
                Array.Fill(weights, w);
            }
            else if (_weights.ByName.Count > 0)
            {
                var unknown = _weights.ByName.Keys.Where(k => !names.Contains(k)).ToList();
                if (unknown.Count > 0)
                    throw new ArgumentException($"`loss_weights` names outputs {PyList(unknown)} that the model does not have; its outputs are {PyList(names)}.");
                for (int o = 0; o < n; o++) if (_weights.ByName.TryGetValue(names[o], out double named)) weights[o] = named;
            }
            else
            {
                if (_weights.ByPosition.Count != perOutput.Length)
                    throw new ArgumentException($"`loss_weights` must match the number of losses, got {perOutput.Length} losses and {_weights.ByPosition.Count} weights.");
                for (int o = 0; o < n; o++) weights[o] = _weights.ByPosition[o];
            }
        }
        if (perOutput.All(l => l is null))
            throw new ArgumentException($"No loss to compute. Provide a `loss` argument in `compile()`; received loss={_loss}.");
        bool track = perOutput.Count(l => l is not null) > 1;
        return [.. perOutput.Select((l, o) => l is null ? null : new OutputLoss(l, weights[o], track ? new Mean($"{names[o]}_loss") : null))];
    }

    private List<CompiledMetric> ResolveMetrics(IReadOnlyList<string> names)
    {
        var plain = MetricsPerOutput(_metrics, "metrics", names);
        var weighted = MetricsPerOutput(_weightedMetrics, "weighted_metrics", names);
        // A metric object holds state, so one used for several outputs is copied for the later ones.
        var used = new HashSet<Metric>(ReferenceEqualityComparer.Instance);
        var result = new List<CompiledMetric>();
        var counters = new Dictionary<string, int>();
        string Prefixed(int o, string name) => names.Count > 1 ? $"{names[o]}_{name}" : name;
        foreach (bool isWeighted in new[] { false, true })
        {
            var perOutput = isWeighted ? weighted : plain;
            for (int o = 0; o < perOutput.Length; o++)
                foreach (var given in perOutput[o])
                {
                    var metric = used.Add(given) ? given : Replicate(given);
                    if (metric is not PredictionMetric pm)
                        throw new ArgumentException($"Metric \"{metric.Name}\" ({metric.GetType().Name}) does not compare targets and predictions; Compile() takes such metrics (e.g. \"accuracy\").", isWeighted ? "weightedMetrics" : "metrics");
                    // Keras' CompileMetrics.result(): a repeated name gets "_1", "_2", ...; a weighted metric whose name
                    // is taken becomes "weighted_<name>" first.
                    string name = Prefixed(o, metric.Name);
                    if (isWeighted && counters.ContainsKey(name)) name = Prefixed(o, "weighted_" + metric.Name);
                    if (counters.TryGetValue(name, out int count))
                    {
                        counters[name] = count + 1;
                        name = $"{name}_{count}";
                    }
                    else counters[name] = 1;
                    result.Add(new CompiledMetric(name, metric.Name, pm, o, isWeighted));
                }
        }
        return result;
    }

    /// <summary>Keras' <c>_build_metrics_set</c>: which metrics each output gets from one specification.</summary>
    private static List<Metric>[] MetricsPerOutput(CompileMetrics? spec, string argument, IReadOnlyList<string> names)
    {
        int n = names.Count;
        var perOutput = new List<Metric>[n];
        for (int o = 0; o < n; o++) perOutput[o] = [];
        if (spec is null || spec.IsEmpty) return perOutput;
        if (n == 1) perOutput[0].AddRange(spec.AllMetrics);
        else if (spec.ByName.Count > 0)
        {
            if (spec.ByName.Keys.Any(k => !names.Contains(k))) throw InvalidMetrics(spec, argument, names);
            for (int o = 0; o < n; o++)
                if (spec.ByName.TryGetValue(names[o], out var list)) perOutput[o].AddRange(list);
        }
        else if (spec.ByPosition.Count == n)
            for (int o = 0; o < n; o++) perOutput[o].AddRange(spec.ByPosition[o]);
        else if (spec.ByPosition.All(m => m.IsSingle))
            for (int o = 0; o < n; o++) perOutput[o].AddRange(spec.AllMetrics); // Keras 2: a flat list applies to every output
        else throw InvalidMetrics(spec, argument, names);
        return perOutput;
    }

    private static ArgumentException InvalidMetrics(CompileMetrics spec, string argument, IReadOnlyList<string> names) => new(
        $"Invalid `{argument}`. `{argument}` should contain metrics objects and either be a dict or a list matching the output names of the functional model {PyList(names)} or match the output structure of the model: [{string.Join(", ", names.Select(_ => "'X'"))}].\nReceived: {argument}={spec}", argument == "metrics" ? "metrics" : "weightedMetrics");

    /// <summary>A fresh metric of the same kind, configuration and name (a metric object keeps one output's state).</summary>
    private static Metric Replicate(Metric m) => m is PredictionMetric pm ? pm.CloneWithName(pm.Name)
        : throw new ArgumentException($"Metric \"{m.Name}\" ({m.GetType().Name}) does not compare targets and predictions; Compile() takes such metrics (e.g. \"accuracy\").", "metrics");

    /// <summary>The compiled metric objects of each output (resolved for <paramref name="outputNames"/>), for callbacks
    /// that look a metric up by its own name, as Keras' monitors do.</summary>
    public List<PredictionMetric>[] MetricsPerOutput(IReadOnlyList<string> outputNames)
    {
        Resolve(outputNames);
        return [.. Enumerable.Range(0, outputNames.Count).Select(o => Metrics.Where(m => m.Output == o).Select(m => m.Metric).ToList())];
    }

    /// <summary>Every metric's current value, keyed as Keras logs them and sorted by key (the order Keras 3 logs show).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Results(string prefix = "")
    {
        var all = new List<KeyValuePair<string, double>> { KeyValuePair.Create("loss", LossTracker.Result()) };
        all.AddRange(Metrics.Select(m => KeyValuePair.Create(m.LogName, m.Metric.Result())));
        all.AddRange(Losses.Where(l => l?.Tracker is not null).Select(l => KeyValuePair.Create(l!.Tracker!.Name, l.Tracker.Result())));
        return [.. all.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(prefix + p.Key, p.Value))];
    }

    /// <summary>
    /// Keras' <c>_flatten_metrics_in_order</c>: "loss", then the compiled metrics' own names and the per-output losses
    /// where they appear as log keys, then every other key sorted.
    /// </summary>
    public IReadOnlyList<string> OrderedNames()
    {
        var keys = Results().Select(p => p.Key).ToList();
        var order = new List<string> { "loss" };
        order.AddRange(Metrics.Select(m => m.KerasName));
        order.AddRange(Losses.Where(l => l?.Tracker is not null).Select(l => l!.Tracker!.Name));
        var result = order.Where(keys.Contains).Distinct().ToList();
        result.AddRange(keys.Where(k => !result.Contains(k)).Order(StringComparer.Ordinal));
        return result;
    }

    public void ResetMetrics()
    {
        LossTracker.ResetState();
        foreach (var l in Losses) l?.Tracker?.ResetState();
        foreach (var m in Metrics) m.Metric.ResetState();
    }

    /// <summary>Every metric object the user gave (Compile's owner disposes them once, in <see cref="Dispose"/>).</summary>
    private IEnumerable<Metric> GivenMetrics => (_metrics?.AllMetrics ?? []).Concat(_weightedMetrics?.AllMetrics ?? []);

    /// <summary>Frees what resolving created: the per-output loss trackers and the copies of metric objects (a new
    /// resolution reuses the given objects themselves).</summary>
    private void DisposeResolved()
    {
        foreach (var l in Losses) l?.Tracker?.Dispose();
        var given = new HashSet<Metric>(GivenMetrics, ReferenceEqualityComparer.Instance);
        foreach (var m in Metrics) if (!given.Contains(m.Metric)) m.Metric.Dispose();
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        LossTracker.Dispose();
        DisposeResolved();
        foreach (var m in GivenMetrics) m.Dispose();
    }
}
