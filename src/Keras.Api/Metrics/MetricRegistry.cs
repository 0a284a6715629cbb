namespace KerasGpu.Metrics;

/// <summary>Keras' <c>metrics.get</c> table: class names, their snake_case forms and the short aliases.</summary>
internal static class MetricRegistry
{
    private static readonly (string ClassName, string SnakeName, Func<string, Metric> Create)[] s_classes =
    [
        ("Mean", "mean", n => new Mean(n)),
        ("Sum", "sum", n => new Sum(n)),
        ("MeanSquaredError", "mean_squared_error", n => new MeanSquaredError(n)),
        ("RootMeanSquaredError", "root_mean_squared_error", n => new RootMeanSquaredError(n)),
        ("MeanAbsoluteError", "mean_absolute_error", n => new MeanAbsoluteError(n)),
        ("MeanAbsolutePercentageError", "mean_absolute_percentage_error", n => new MeanAbsolutePercentageError(n)),
        ("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", n => new MeanSquaredLogarithmicError(n)),
        ("CosineSimilarity", "cosine_similarity", n => new CosineSimilarity(n)),
        ("LogCoshError", "log_cosh_error", n => new LogCoshError(n)),
        ("R2Score", "r2_score", n => new R2Score(name: n)),
        ("AUC", "auc", n => new AUC(name: n)),
        ("Precision", "precision", n => new Precision(name: n)),
        ("Recall", "recall", n => new Recall(name: n)),
        ("TruePositives", "true_positives", n => new TruePositives(name: n)),
        ("FalsePositives", "false_positives", n => new FalsePositives(name: n)),
        ("TrueNegatives", "true_negatives", n => new TrueNegatives(name: n)),
        ("FalseNegatives", "false_negatives", n => new FalseNegatives(name: n)),
        ("Hinge", "hinge", n => new Hinge(n)),
        ("SquaredHinge", "squared_hinge", n => new SquaredHinge(n)),
        ("CategoricalHinge", "categorical_hinge", n => new CategoricalHinge(n)),
        ("KLDivergence", "kl_divergence", n => new KLDivergence(n)),
        ("Poisson", "poisson", n => new Poisson(n)),
        ("BinaryCrossentropy", "binary_crossentropy", n => new BinaryCrossentropy(n)),
        ("CategoricalCrossentropy", "categorical_crossentropy", n => new CategoricalCrossentropy(n)),
        ("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", n => new SparseCategoricalCrossentropy(n)),
        ("Accuracy", "accuracy", n => new Accuracy(n)),
        ("BinaryAccuracy", "binary_accuracy", n => new BinaryAccuracy(n)),
        ("CategoricalAccuracy", "categorical_accuracy", n => new CategoricalAccuracy(n)),
        ("SparseCategoricalAccuracy", "sparse_categorical_accuracy", n => new SparseCategoricalAccuracy(n)),
        ("TopKCategoricalAccuracy", "top_k_categorical_accuracy", n => new TopKCategoricalAccuracy(name: n)),
        ("SparseTopKCategoricalAccuracy", "sparse_top_k_categorical_accuracy", n => new SparseTopKCategoricalAccuracy(name: n)),
        ("F1Score", "f1_score", n => new F1Score(name: n)),
        ("FBetaScore", "f_beta_score", n => new FBetaScore(name: n)),
        ("BinaryIoU", "binary_io_u", n => new BinaryIoU(name: n)),
        ("PearsonCorrelation", "pearson_correlation", n => new PearsonCorrelation(n)),
        ("ConcordanceCorrelation", "concordance_correlation", n => new ConcordanceCorrelation(n)),
    ];

    /// <summary>Keras classes that have required arguments: known by name, but only constructible as objects.</summary>
    private static readonly (string ClassName, string SnakeName, string Arguments)[] s_needArguments =
    [
        ("IoU", "io_u", "num_classes, target_class_ids"),
        ("MeanIoU", "mean_io_u", "num_classes"),
        ("OneHotIoU", "one_hot_io_u", "num_classes, target_class_ids"),
        ("OneHotMeanIoU", "one_hot_mean_io_u", "num_classes"),
        ("PrecisionAtRecall", "precision_at_recall", "recall"),
        ("RecallAtPrecision", "recall_at_precision", "precision"),
        ("SensitivityAtSpecificity", "sensitivity_at_specificity", "specificity"),
        ("SpecificityAtSensitivity", "specificity_at_sensitivity", "sensitivity"),
    ];

    private static readonly Dictionary<string, Func<string, Metric>> s_byName = Build();

    private static Dictionary<string, Func<string, Metric>> Build()
    {
        var table = new Dictionary<string, Func<string, Metric>>(StringComparer.Ordinal);
        foreach (var (className, snakeName, create) in s_classes)
        {
            table[className] = create;
            table[snakeName] = create;
        }
        foreach (var (alias, target) in new[]
        {
            ("bce", "BinaryCrossentropy"), ("BCE", "BinaryCrossentropy"), ("mse", "MeanSquaredError"), ("MSE", "MeanSquaredError"),
            ("mae", "MeanAbsoluteError"), ("MAE", "MeanAbsoluteError"), ("mape", "MeanAbsolutePercentageError"),
            ("MAPE", "MeanAbsolutePercentageError"), ("msle", "MeanSquaredLogarithmicError"), ("MSLE", "MeanSquaredLogarithmicError"),
        })
            table[alias] = table[target];
        return table;
    }

    /// <summary>Every identifier <see cref="Get"/> accepts, for messages and tests.</summary>
    public static IEnumerable<string> Names => ["accuracy", "acc", .. s_byName.Keys.Where(k => k != "accuracy")];

    /// <summary>
    /// Builds the metric an identifier names, with Keras' defaults, named after the identifier (as compile names it).
    /// <c>"accuracy"</c> and <c>"acc"</c> (any case) become the shape-resolved accuracy.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown identifier.</exception>
    public static Metric Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.ToLowerInvariant() is "accuracy" or "acc") return new AutoAccuracy(name);
        if (s_byName.TryGetValue(name, out var create)) return create(name);
        foreach (var (className, snakeName, arguments) in s_needArguments)
            if (name == className || name == snakeName)
                throw new ArgumentException($"Metric \"{name}\" ({className}) needs the argument(s) {arguments}; pass an instance, e.g. new {className}(...), instead of its name.", nameof(name));
        throw new ArgumentException($"Could not interpret metric identifier: {name}. Known metrics: {string.Join(", ", Names)}.", nameof(name));
    }
}
