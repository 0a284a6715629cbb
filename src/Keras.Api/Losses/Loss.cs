using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// The base of every loss (Keras' <c>keras.losses.Loss</c>): a per-sample loss reduced by <see cref="Reduction"/>
/// (<c>"sum_over_batch_size"</c>, <c>"sum"</c> or <c>"none"</c>).
/// </summary>
public abstract class Loss
{
    private static readonly string[] s_reductions = ["sum_over_batch_size", "sum", "none"];

    /// <summary>Creates a loss named <paramref name="name"/> with the given reduction.</summary>
    /// <exception cref="ArgumentException">Unknown reduction.</exception>
    protected Loss(string name, string reduction)
    {
        if (!s_reductions.Contains(reduction))
            throw new ArgumentException($"Invalid value for argument `reduction`. Expected one of {{{string.Join(", ", s_reductions.Select(r => $"'{r}'"))}}}. Received: reduction={reduction}", nameof(reduction));
        Name = name;
        Reduction = reduction;
    }

    /// <summary>Keras' name for the loss, e.g. <c>"sparse_categorical_crossentropy"</c>.</summary>
    public string Name { get; }

    /// <summary>How per-sample losses are combined.</summary>
    public string Reduction { get; }

    /// <summary>The dtype targets are uploaded as (int32 class indices for sparse losses).</summary>
    internal virtual DType TargetDType => DType.Float32;

    /// <summary>The target shape for predictions of <paramref name="predictionShape"/> (batch first).</summary>
    internal virtual int[] TargetShape(int[] predictionShape) => predictionShape;

    /// <summary>Checks host targets before training starts (shape, label range); throws naming expected vs received.</summary>
    internal virtual void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        var expected = TargetShape(predictionShape);
        if (targets.Size != Shapes.Size(expected)) throw ShapeMismatch(targets, predictionShape);
    }

    /// <summary>Keras' message for targets whose shape does not fit the output.</summary>
    private protected static ArgumentException ShapeMismatch(NDArray targets, int[] predictionShape) =>
        new($"Arguments `target` and `output` must have the same shape. Received: target.shape={Shapes.Format(targets.Shape)}, output.shape={Shapes.Format(predictionShape)}");

    /// <summary>The per-sample losses, shape = predictions' shape without the last axis.</summary>
    internal abstract Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred);

    /// <summary>
    /// The reduced loss (a scalar unless <see cref="Reduction"/> is <c>"none"</c>). With <paramref name="sampleWeight"/>
    /// (shape: the batch, or any prefix of the per-sample loss's shape) each sample's loss is scaled first; as in Keras,
    /// <c>"sum_over_batch_size"</c> then divides the weighted sum by the number of per-sample loss values.
    /// </summary>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var rows = ComputeRowLoss(yTrue, yPred);
        if (sampleWeight is not null)
        {
            var sw = sampleWeight;
            if (sw.Rank > rows.Rank || !sw.Dims.AsSpan().SequenceEqual(rows.Dims.AsSpan(0, sw.Rank)))
                throw new ArgumentException($"sample_weight of shape {Shapes.Format(sw.Dims)} does not fit the per-sample loss of shape {Shapes.Format(rows.Dims)}.", nameof(sampleWeight));
            if (sw.Rank < rows.Rank) sw = Ops.Reshape(sw, [.. sw.Dims, .. Enumerable.Repeat(1, rows.Rank - sw.Rank)]);
            rows = Ops.Multiply(rows, sw);
        }
        return Reduction switch
        {
            "sum" => Ops.Sum(rows),
            "none" => rows,
            _ => Ops.Mean(rows),
        };
    }

    private static readonly Dictionary<string, Func<Loss>> s_byName = new()
    {
        ["sparse_categorical_crossentropy"] = () => new SparseCategoricalCrossentropy(),
        ["categorical_crossentropy"] = () => new CategoricalCrossentropy(),
        ["mean_squared_error"] = () => new MeanSquaredError(),
        ["mse"] = () => new MeanSquaredError(),
    };

    /// <summary>Resolves a Keras loss name (<c>"mse"</c>, <c>"categorical_crossentropy"</c>, ...).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Loss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name, out var make) ? make() : throw new ArgumentException(
            $"Could not interpret loss identifier: {name}. Known losses: {string.Join(", ", s_byName.Keys.Order())}.", nameof(name));
    }

    /// <summary>Lets a Keras name stand where a loss is expected: <c>Compile(loss: "mse")</c>.</summary>
    public static implicit operator Loss(string name) => Get(name);

    /// <inheritdoc />
    public override string ToString() => $"<{GetType().Name} name={Name}, reduction={Reduction}>";
}
