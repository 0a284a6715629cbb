using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// The base of every loss (Keras' <c>keras.losses.Loss</c>): a per-sample loss, optionally weighted, reduced by
/// <see cref="Reduction"/>: <c>"sum_over_batch_size"</c> (the default), <c>"sum"</c>, <c>"mean"</c>,
/// <c>"mean_with_sample_weight"</c> or <c>"none"</c>. Subclass it and override <see cref="ComputeRowLoss"/> for a
/// custom loss, as Keras subclasses override <c>call</c>.
/// </summary>
public abstract class Loss
{
    private static readonly string[] s_reductions = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"];

    /// <summary>Creates a loss named <paramref name="name"/> with the given reduction.</summary>
    /// <exception cref="ArgumentException">Unknown reduction.</exception>
    protected Loss(string name, string reduction)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (reduction is null || !s_reductions.Contains(reduction))
            throw new ArgumentException($"Invalid value for argument `reduction`. Expected one of {{{string.Join(", ", s_reductions.Select(r => $"'{r}'"))}}}. Received: reduction={reduction ?? "null"}", nameof(reduction));
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
        ShapeMismatch(targets.Shape, predictionShape);

    /// <summary>Keras' message for targets whose shape does not fit the output.</summary>
    private protected static ArgumentException ShapeMismatch(int[] targetShape, int[] predictionShape) =>
        new($"Arguments `target` and `output` must have the same shape. Received: target.shape={Shapes.Format(targetShape)}, output.shape={Shapes.Format(predictionShape)}");

    /// <summary>
    /// The unreduced loss (Keras' <c>Loss.call</c>): one value per sample, usually the predictions' shape without the
    /// last axis. Targets arrive as float32 (int32 for sparse losses) with the predictions' rank, aligned as Keras'
    /// <c>squeeze_or_expand_to_same_rank</c> does.
    /// </summary>
    /// <param name="yTrue">The targets.</param>
    /// <param name="yPred">The predictions.</param>
    protected internal abstract Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred);

    /// <summary>
    /// Which per-sample losses count (1) and which are masked out (0), or null when all count; a masked loss is left
    /// out of the sum and, for <c>"sum_over_batch_size"</c>, of the count it is divided by.
    /// </summary>
    private protected virtual Tensor? RowMask(Tensor yTrue, Tensor rows) => null;

    /// <summary>
    /// The reduced loss (a scalar unless <see cref="Reduction"/> is <c>"none"</c>), as Keras' <c>loss(y_true, y_pred,
    /// sample_weight)</c>. Targets and predictions whose ranks differ by a trailing axis of size 1 are aligned first.
    /// <paramref name="sampleWeight"/> scales each per-sample loss: a scalar, a tensor of the per-sample loss's shape,
    /// or one of its leading shapes such as <c>(batch,)</c> (it then applies to every value of that sample).
    /// <c>"sum_over_batch_size"</c> and <c>"mean"</c> divide the weighted sum by the number of per-sample losses,
    /// <c>"mean_with_sample_weight"</c> by the sum of the weights.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes that do not fit (targets vs predictions, or the sample weights).</exception>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yPred.DType != DType.Float32)
            throw new ArgumentException($"Loss \"{Name}\" expects float32 predictions; received dtype {yPred.DType.KerasName()}.", nameof(yPred));
        if (sampleWeight is not null && sampleWeight.DType != DType.Float32)
            throw new ArgumentException($"Loss \"{Name}\" expects float32 sample weights; received dtype {sampleWeight.DType.KerasName()}.", nameof(sampleWeight));
        var (t, p) = SqueezeOrExpandToSameRank(yTrue, yPred);
        if (t.DType != TargetDType) t = Ops.Cast(t, TargetDType);
        var rows = ComputeRowLoss(t, p);
        return Reduce(rows, sampleWeight, RowMask(t, rows));
    }

    /// <summary>Keras' <c>reduce_weighted_values</c>: merges the mask into the weights, weights, then reduces.</summary>
    private Tensor Reduce(Tensor values, Tensor? sampleWeight, Tensor? mask)
    {
        var weight = sampleWeight;
        if (mask is not null)
        {
            // As Keras' apply_mask: for the mean reductions valid entries weigh total/valid, so the sum is divided by
            // the number of valid entries rather than of all entries (valid = 0 leaves every weight 0).
            var floatMask = mask;
            if (Reduction is "sum_over_batch_size" or "mean")
            {
                var valid = Ops.Sum(mask);
                floatMask = Ops.Multiply(mask, Ops.Divide(Ops.Scalar(mask.Backend, mask.Size), Ops.Maximum(valid, Ops.Scalar(mask.Backend, 1f))));
            }
            if (weight is null) weight = floatMask;
            else
            {
                var (m, w) = FitWeight(floatMask, weight);
                weight = Ops.Multiply(m, w);
            }
        }
        if (weight is not null)
        {
            (values, weight) = FitWeight(values, weight);
            values = Ops.Multiply(values, weight);
        }
        if (Reduction == "none" || values.Rank == 0 || (values.Rank == 1 && values.Dims[0] == 0)) return values;
        var sum = Ops.Sum(values);
        return Reduction switch
        {
            "sum" => sum,
            "mean_with_sample_weight" when weight is not null => DivideNoNan(sum, Ops.Sum(weight)),
            _ => Ops.Mean(values),
        };
    }

    /// <summary>
    /// Brings sample weights to a shape that multiplies <paramref name="values"/> elementwise: ranks aligned as Keras'
    /// <c>squeeze_or_expand_to_same_rank</c>, then a leading shape is extended with trailing axes of size 1 (so a
    /// per-sample weight applies to all of that sample's values), else NumPy broadcasting must hold.
    /// </summary>
    private static (Tensor Values, Tensor Weight) FitWeight(Tensor values, Tensor weight)
    {
        var (v, w) = SqueezeOrExpandToSameRank(values, weight);
        if (w.Rank > v.Rank)
            throw WeightMismatch(weight, values);
        if (w.Rank < v.Rank)
        {
            if (!w.Dims.AsSpan().SequenceEqual(v.Dims.AsSpan(0, w.Rank))) throw WeightMismatch(weight, values);
            return (v, Ops.Reshape(w, [.. w.Dims, .. Enumerable.Repeat(1, v.Rank - w.Rank)]));
        }
        for (int i = 0; i < w.Rank; i++)
            if (w.Dims[i] != v.Dims[i] && w.Dims[i] != 1) throw WeightMismatch(weight, values);
        return (v, w);
    }

    private static ArgumentException WeightMismatch(Tensor weight, Tensor values) =>
        new($"sample_weight of shape {Shapes.Format(weight.Dims)} does not fit the per-sample loss of shape {Shapes.Format(values.Dims)}: expected a scalar, that shape, or one of its leading shapes.", "sampleWeight");

    /// <summary><c>a / b</c>, or 0 where <c>b</c> is 0 (Keras' <c>divide_no_nan</c>; the gradient stays finite).</summary>
    private static Tensor DivideNoNan(Tensor a, Tensor b)
    {
        var zero = Ops.Scalar(b.Backend, 0f);
        var isZero = Ops.Equal(b, zero);
        var safe = Ops.Where(isZero, Ops.Scalar(b.Backend, 1f), b);
        return Ops.Where(isZero, zero, Ops.Divide(a, safe));
    }

    /// <summary>
    /// Keras' <c>squeeze_or_expand_to_same_rank</c>: when the ranks differ by one and the longer has a last axis of 1,
    /// that axis is dropped (or, when the other is rank 1, the other gains one).
    /// </summary>
    private protected static (Tensor, Tensor) SqueezeOrExpandToSameRank(Tensor x1, Tensor x2)
    {
        if (x1.Rank == x2.Rank + 1 && x1.Dims[^1] == 1)
            return x2.Rank == 1 ? (x1, Ops.ExpandDims(x2, -1)) : (Ops.Squeeze(x1, -1), x2);
        if (x2.Rank == x1.Rank + 1 && x2.Dims[^1] == 1)
            return x1.Rank == 1 ? (Ops.ExpandDims(x1, -1), x2) : (x1, Ops.Squeeze(x2, -1));
        return (x1, x2);
    }

    private static readonly Dictionary<string, Func<Loss>> s_byName = new()
    {
        // Keras' ALL_OBJECTS_DICT: class names, function names and the short aliases.
        ["BinaryCrossentropy"] = () => new BinaryCrossentropy(),
        ["binary_crossentropy"] = () => new BinaryCrossentropy(),
        ["bce"] = () => new BinaryCrossentropy(),
        ["BCE"] = () => new BinaryCrossentropy(),
        ["BinaryFocalCrossentropy"] = () => new BinaryFocalCrossentropy(),
        ["binary_focal_crossentropy"] = () => new BinaryFocalCrossentropy(),
        ["CategoricalCrossentropy"] = () => new CategoricalCrossentropy(),
        ["categorical_crossentropy"] = () => new CategoricalCrossentropy(),
        ["CategoricalFocalCrossentropy"] = () => new CategoricalFocalCrossentropy(),
        ["categorical_focal_crossentropy"] = () => new CategoricalFocalCrossentropy(),
        ["SparseCategoricalCrossentropy"] = () => new SparseCategoricalCrossentropy(),
        ["sparse_categorical_crossentropy"] = () => new SparseCategoricalCrossentropy(),
        ["MeanSquaredError"] = () => new MeanSquaredError(),
        ["mean_squared_error"] = () => new MeanSquaredError(),
        ["mse"] = () => new MeanSquaredError(),
        ["MSE"] = () => new MeanSquaredError(),
        ["MeanAbsoluteError"] = () => new MeanAbsoluteError(),
        ["mean_absolute_error"] = () => new MeanAbsoluteError(),
        ["mae"] = () => new MeanAbsoluteError(),
        ["MAE"] = () => new MeanAbsoluteError(),
        ["MeanAbsolutePercentageError"] = () => new MeanAbsolutePercentageError(),
        ["mean_absolute_percentage_error"] = () => new MeanAbsolutePercentageError(),
        ["mape"] = () => new MeanAbsolutePercentageError(),
        ["MAPE"] = () => new MeanAbsolutePercentageError(),
        ["MeanSquaredLogarithmicError"] = () => new MeanSquaredLogarithmicError(),
        ["mean_squared_logarithmic_error"] = () => new MeanSquaredLogarithmicError(),
        ["msle"] = () => new MeanSquaredLogarithmicError(),
        ["MSLE"] = () => new MeanSquaredLogarithmicError(),
        ["Huber"] = () => new Huber(),
        ["huber"] = () => new Huber(name: "huber"),
        ["LogCosh"] = () => new LogCosh(),
        ["log_cosh"] = () => new LogCosh(),
        ["logcosh"] = () => new LogCosh(),
        ["Hinge"] = () => new Hinge(),
        ["hinge"] = () => new Hinge(),
        ["SquaredHinge"] = () => new SquaredHinge(),
        ["squared_hinge"] = () => new SquaredHinge(),
        ["CategoricalHinge"] = () => new CategoricalHinge(),
        ["categorical_hinge"] = () => new CategoricalHinge(),
        ["KLDivergence"] = () => new KLDivergence(),
        ["kl_divergence"] = () => new KLDivergence(),
        ["kld"] = () => new KLDivergence(),
        ["KLD"] = () => new KLDivergence(),
        ["kullback_leibler_divergence"] = () => new KLDivergence(),
        ["Poisson"] = () => new Poisson(),
        ["poisson"] = () => new Poisson(),
        ["CosineSimilarity"] = () => new CosineSimilarity(),
        ["cosine_similarity"] = () => new CosineSimilarity(),
        ["CTC"] = () => new CTC(),
        ["ctc"] = () => new CTC(),
        ["Circle"] = () => new Circle(),
        ["circle"] = () => new Circle(),
        ["Dice"] = () => new Dice(),
        ["dice"] = () => new Dice(),
        ["Tversky"] = () => new Tversky(),
        ["tversky"] = () => new Tversky(),
        ["CategoricalGeneralizedCrossEntropy"] = () => new CategoricalGeneralizedCrossEntropy(),
        ["categorical_generalized_cross_entropy"] = () => new CategoricalGeneralizedCrossEntropy(),
    };

    /// <summary>The names <see cref="Get"/> resolves, as Keras spells them.</summary>
    public static IReadOnlyCollection<string> Names => s_byName.Keys;

    /// <summary>
    /// Resolves a Keras loss name (Keras' <c>keras.losses.get</c>): a class name (<c>"BinaryCrossentropy"</c>), a
    /// function name (<c>"binary_crossentropy"</c>) or an alias (<c>"mse"</c>, <c>"mae"</c>, <c>"mape"</c>,
    /// <c>"msle"</c>, <c>"kld"</c>, <c>"bce"</c>, <c>"logcosh"</c>), each with Keras' default arguments.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Loss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name, out var make) ? make() : throw new ArgumentException(
            $"Could not interpret loss identifier: {name}. Known losses: {string.Join(", ", s_byName.Keys.Order(StringComparer.Ordinal))}.", nameof(name));
    }

    /// <summary>Lets a Keras name stand where a loss is expected: <c>Compile(loss: "mse")</c>.</summary>
    public static implicit operator Loss(string name) => Get(name);

    /// <inheritdoc />
    public override string ToString() => $"<{GetType().Name} name={Name}, reduction={Reduction}>";
}
