namespace KerasGpu.Metrics;

/// <summary>How often the one-hot target is among the top <c>k</c> predictions (Keras' <c>TopKCategoricalAccuracy</c>).</summary>
public sealed class TopKCategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest scores count.</param>
    /// <param name="name">Metric name.</param>
    /// <exception cref="ArgumentException"><paramref name="k"/> is not positive.</exception>
    public TopKCategoricalAccuracy(int k = 5, string name = "top_k_categorical_accuracy") : base(name)
    {
        if (k <= 0) throw new ArgumentException($"Argument `k` must be a positive integer. Received: k={k}", nameof(k));
        K = k;
    }

    /// <summary>How many of the highest scores count.</summary>
    public int K { get; }

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        if (yTrue.Size != yPred.Size)
            throw new ArgumentException($"TopKCategoricalAccuracy expects one-hot targets shaped like the predictions; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        var labels = MetricOps.ArgMax(Ops.Reshape(MetricOps.AsFloat(yTrue), yPred.Shape));
        return Ops.Reshape(MetricOps.InTopK(labels, MetricOps.AsFloat(yPred), K), labels.Shape);
    }

    internal override PredictionMetric CloneWithName(string name) => new TopKCategoricalAccuracy(K, name);
}
