using KerasGpu.Metrics;

namespace KerasGpu.Callbacks;

/// <summary>
/// Whether a monitored quantity improves downwards, as Keras' <c>MonitorCallback</c> decides it for mode "auto": the
/// loss goes down, and a metric goes the way of its class's <c>_direction</c> (the C# metrics carry Keras' class names,
/// so a metric's type or one of its bases names it).
/// </summary>
internal static class MonitorDirection
{
    /// <summary>Keras' <c>_direction</c> by metric class name (true: "down", lower is better).</summary>
    private static readonly Dictionary<string, bool> s_lowerIsBetter = new()
    {
        [nameof(AccuracyMetric)] = false, ["Accuracy"] = false, ["BinaryAccuracy"] = false, ["CategoricalAccuracy"] = false,
        ["SparseCategoricalAccuracy"] = false, ["TopKCategoricalAccuracy"] = false, ["SparseTopKCategoricalAccuracy"] = false,
        ["AUC"] = false, ["Precision"] = false, ["Recall"] = false, ["SensitivityAtSpecificity"] = false,
        ["SpecificityAtSensitivity"] = false, ["PrecisionAtRecall"] = false, ["RecallAtPrecision"] = false,
        ["PearsonCorrelation"] = false, ["ConcordanceCorrelation"] = false, ["FBetaScore"] = false, ["F1Score"] = false,
        ["R2Score"] = false, ["CosineSimilarity"] = false, ["IoU"] = false, ["MeanIoU"] = false, ["BinaryIoU"] = false,
        ["OneHotIoU"] = false, ["OneHotMeanIoU"] = false,
        ["Hinge"] = true, ["SquaredHinge"] = true, ["CategoricalHinge"] = true, ["KLDivergence"] = true, ["Poisson"] = true,
        ["BinaryCrossentropy"] = true, ["CategoricalCrossentropy"] = true, ["SparseCategoricalCrossentropy"] = true,
        ["MeanSquaredError"] = true, ["MeanAbsoluteError"] = true, ["MeanAbsolutePercentageError"] = true,
        ["MeanSquaredLogarithmicError"] = true, ["RootMeanSquaredError"] = true, ["LogCoshError"] = true,
    };

    /// <summary>True when lower values of <paramref name="monitor"/> are better.</summary>
    /// <exception cref="ArgumentException">Neither the loss nor a compiled metric with a known direction.</exception>
    public static bool LowerIsBetter(Model? model, string monitor, string callback)
    {
        string metric = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor["val_".Length..] : monitor;
        if (metric == "loss") return true;
        var compiled = model is { Compiled: true } ? model.RequireCompiled("Fit").MetricsPerOutput(model.OutputNames).SelectMany(ms => ms) : [];
        if (compiled.FirstOrDefault(m => m.Name == metric) is { } found)
            for (var type = found.GetType(); type is not null; type = type.BaseType)
                if (s_lowerIsBetter.TryGetValue(type.Name, out bool lower)) return lower;
        throw new ArgumentException($"{callback} callback received monitor={monitor}, but Keras isn't able to automatically determine " +
            "whether that metric should be maximized or minimized. Pass `mode='max'` in order to monitor based on the highest " +
            "metric value, or pass `mode='min'` in order to use the lowest value.");
    }
}
