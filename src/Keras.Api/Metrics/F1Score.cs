namespace KerasGpu.Metrics;

/// <summary>The F1 score, <c>2·P·R / (P + R)</c> per class (Keras' <c>F1Score</c>: <see cref="FBetaScore"/> with β = 1).</summary>
/// <param name="average">null (one score per class), <c>"micro"</c>, <c>"macro"</c> or <c>"weighted"</c>.</param>
/// <param name="threshold">In (0, 1]; null picks each row's maximum.</param>
/// <param name="name">Metric name.</param>
public sealed class F1Score(string? average = null, float? threshold = null, string name = "f1_score")
    : FBetaScore(average, 1f, threshold, name)
{
    internal override PredictionMetric CloneWithName(string name) => new F1Score(Average, Threshold, name);
}
