using KerasGpu.Losses;
using KerasGpu.Metrics;
using KerasGpu.Optimizers;
using KerasGpu.Training;

namespace KerasGpu;

public partial class Model
{
    private CompiledObjective? _compiled;

    /// <summary>Whether <see cref="Compile"/> has been called.</summary>
    public bool Compiled => _compiled is not null;

    /// <summary>The optimizer given to Compile.</summary>
    public Optimizer? Optimizer => _compiled?.Optimizer;

    /// <summary>Set by a callback to end Fit after the current epoch (Keras' <c>model.stop_training</c>).</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Configures the model for training (Keras' <c>compile</c>). Each argument takes an object or a Keras name:
    /// <c>Compile(loss: "sparse_categorical_crossentropy", optimizer: "adam", metrics: ["accuracy"])</c>.
    /// The loss and metrics apply to every output of a multi-output model (metrics by name, one instance per output).
    /// </summary>
    /// <param name="optimizer">The optimizer; default <c>"rmsprop"</c> as in Keras.</param>
    /// <param name="loss">The loss (required).</param>
    /// <param name="metrics">Metrics to report besides the loss.</param>
    /// <exception cref="ArgumentException">No loss was given, or a name is unknown.</exception>
    public void Compile(Optimizer? optimizer = null, Loss? loss = null, IEnumerable<Metric>? metrics = null)
    {
        if (loss is null)
            throw new ArgumentException($"Compile() needs a loss: pass a Loss object or one of the names {string.Join(", ", ["sparse_categorical_crossentropy", "categorical_crossentropy", "mse"])}.", nameof(loss));
        var metricList = (metrics ?? []).ToList();
        foreach (var m in metricList)
            if (m is not PredictionMetric)
                throw new ArgumentException($"Metric \"{m.Name}\" ({m.GetType().Name}) does not compare targets and predictions; Compile() takes such metrics (e.g. \"accuracy\").", nameof(metrics));
        var compiled = new CompiledObjective(optimizer ?? new RMSprop(), loss, [.. metricList.Cast<PredictionMetric>()]);
        DisposeCompiled();
        _compiled = compiled;
    }

    internal CompiledObjective RequireCompiled(string caller) => _compiled
        ?? throw new InvalidOperationException($"You must call Compile() before calling {caller}().");

    /// <summary>Names of the values Evaluate returns, in order (Keras' <c>metrics_names</c>).</summary>
    public IReadOnlyList<string> MetricsNames => _compiled is null ? [] : ["loss", .. _compiled.MetricNames(OutputNames)];

    private void DisposeCompiled()
    {
        _compiled?.Dispose();
        _compiled = null;
    }
}
