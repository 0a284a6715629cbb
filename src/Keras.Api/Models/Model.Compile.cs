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
    /// Whether Fit and Evaluate run every step eagerly (Keras' <c>model.run_eagerly</c>; false by default). When false,
    /// a step of a given batch size runs eagerly the first time, is then recorded, and once two recordings agree it is
    /// replayed: the same kernel launches on the same buffers, without the ops' host work or managed allocations.
    /// As in a Keras compiled function, host values the layers read (attributes set from C#) are fixed at recording;
    /// steps with random ops (Dropout) or host reads of device values stay eager. Set true to debug a step.
    /// </summary>
    public bool RunEagerly { get; set; }

    /// <summary>
    /// Configures the model for training (Keras' <c>compile</c>). Each argument takes an object or a Keras name:
    /// <c>Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])</c>. For several
    /// outputs, <paramref name="loss"/>, <paramref name="lossWeights"/> and <paramref name="metrics"/> also take a list by
    /// output position or a dictionary by output name (the output layers' names):
    /// <c>loss: new() { ["class"] = "sparse_categorical_crossentropy", ["value"] = "mse" }, lossWeights: [1.0, 0.5]</c>.
    /// The minimized loss is Σ weight·loss over the outputs plus the layers' regularization penalties.
    /// </summary>
    /// <param name="optimizer">The optimizer; default <c>"rmsprop"</c> as in Keras.</param>
    /// <param name="loss">The loss (required): one for all outputs, a list or a dictionary (see <see cref="CompileLoss"/>).</param>
    /// <param name="lossWeights">Coefficients of the outputs' losses (see <see cref="LossWeights"/>); 1 by default.</param>
    /// <param name="metrics">Metrics to report besides the loss (see <see cref="CompileMetrics"/>); they ignore sample weights.</param>
    /// <param name="weightedMetrics">Metrics weighted by the sample (or class) weights, in the same forms (Keras'
    /// <c>weighted_metrics</c>); one whose log name is taken by a plain metric is logged as <c>weighted_&lt;name&gt;</c>.</param>
    /// <param name="runEagerly">Run every step eagerly instead of replaying recorded steps (see <see cref="RunEagerly"/>).</param>
    /// <exception cref="ArgumentException">No loss was given, a name is unknown, or a list or dictionary does not fit
    /// the model's outputs; the model keeps its previous compilation.</exception>
    public void Compile(Optimizer? optimizer = null, CompileLoss? loss = null, LossWeights? lossWeights = null, CompileMetrics? metrics = null,
        CompileMetrics? weightedMetrics = null, bool runEagerly = false)
    {
        if (loss is null)
            throw new ArgumentException($"Compile() needs a loss: pass a Loss object or one of the names {string.Join(", ", ["sparse_categorical_crossentropy", "categorical_crossentropy", "mse"])}.", nameof(loss));
        var compiled = new CompiledObjective(optimizer ?? new RMSprop(), loss, lossWeights, metrics, weightedMetrics);
        // Outputs known now (functional, built Sequential): a specification that does not fit them fails here.
        if (OutputNamesIfKnown is { } names) compiled.Resolve(names);
        DisposeCompiled();
        _compiled = compiled;
        RunEagerly = runEagerly;
    }

    internal CompiledObjective RequireCompiled(string caller) => _compiled
        ?? throw new InvalidOperationException($"You must call Compile() before calling {caller}().");

    /// <summary>
    /// Names of the values Evaluate returns, in order (Keras' <c>_flatten_metrics_in_order</c>): "loss", the metrics and
    /// per-output losses. Empty before Compile; known once the outputs are.
    /// </summary>
    public IReadOnlyList<string> MetricsNames
    {
        get
        {
            if (_compiled is null || OutputNamesIfKnown is not { } names) return [];
            _compiled.Resolve(names);
            return _compiled.OrderedNames();
        }
    }

    /// <summary>The output names when the outputs are known (null for an unbuilt Sequential or subclassed model).</summary>
    private IReadOnlyList<string>? OutputNamesIfKnown => OutputShapes is null ? null : OutputNames;

    private void DisposeCompiled()
    {
        _compiled?.Dispose();
        _compiled = null;
    }
}
