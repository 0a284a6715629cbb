using KerasGpu.Losses;
using KerasGpu.Metrics;
using KerasGpu.Optimizers;

namespace KerasGpu.Training;

/// <summary>What Compile() fixed: the optimizer, the loss applied to each output, and the metrics per output.</summary>
internal sealed class CompiledObjective(Optimizer optimizer, Loss loss, IReadOnlyList<PredictionMetric> metrics) : IDisposable
{
    private List<PredictionMetric>[]? _perOutput;

    public Optimizer Optimizer { get; } = optimizer;
    public Loss Loss { get; } = loss;
    public Mean LossTracker { get; } = new("loss");

    /// <summary>Metrics of each output; for several outputs, fresh copies of each metric (same configuration) prefixed with the output's name.</summary>
    public List<PredictionMetric>[] MetricsPerOutput(IReadOnlyList<string> outputNames)
    {
        if (_perOutput is not null && _perOutput.Length == outputNames.Count) return _perOutput;
        if (outputNames.Count == 1) return _perOutput = [[.. metrics]];
        return _perOutput = [.. outputNames.Select(o => metrics.Select(m => m.CloneWithName($"{o}_{m.Name}")).ToList())];
    }

    public IEnumerable<string> MetricNames(IReadOnlyList<string> outputNames) =>
        MetricsPerOutput(outputNames).SelectMany(ms => ms.Select(m => m.Name));

    /// <summary>Logs in Keras 3's order: compiled metrics, then the loss.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Results(IReadOnlyList<string> outputNames, string prefix = "") =>
    [
        .. MetricsPerOutput(outputNames).SelectMany(ms => ms).Select(m => KeyValuePair.Create(prefix + m.Name, m.Result())),
        KeyValuePair.Create(prefix + "loss", LossTracker.Result()),
    ];

    public void ResetMetrics()
    {
        LossTracker.ResetState();
        foreach (var m in (_perOutput ?? []).SelectMany(ms => ms)) m.ResetState();
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        LossTracker.Dispose();
        foreach (var m in (_perOutput ?? []).SelectMany(ms => ms)) m.Dispose();
        foreach (var m in metrics) m.Dispose();
    }
}
