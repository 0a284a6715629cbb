using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>How often the integer target is among the top <c>k</c> predictions (Keras' <c>SparseTopKCategoricalAccuracy</c>).</summary>
public sealed class SparseTopKCategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest scores count.</param>
    /// <param name="name">Metric name.</param>
    /// <param name="fromSortedIds">When true, <c>y_pred</c> holds class ids sorted from the highest score down
    /// (at least <paramref name="k"/> per row) rather than scores.</param>
    /// <exception cref="ArgumentException"><paramref name="k"/> is not positive.</exception>
    public SparseTopKCategoricalAccuracy(int k = 5, string name = "sparse_top_k_categorical_accuracy", bool fromSortedIds = false) : base(name)
    {
        if (k <= 0) throw new ArgumentException($"Argument `k` must be a positive integer. Received: k={k}", nameof(k));
        K = k;
        FromSortedIds = fromSortedIds;
    }

    /// <summary>How many of the highest scores count.</summary>
    public int K { get; }

    /// <summary>Whether predictions are sorted class ids.</summary>
    public bool FromSortedIds { get; }

    internal override DType TargetDType => DType.Int32;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        int rows = Shapes.Rows(yPred.Dims);
        if (yTrue.Size != rows)
            throw new ArgumentException($"SparseTopKCategoricalAccuracy expects one class index per row of the predictions; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        var labels = MetricOps.AsFloat(yTrue);
        var pred = MetricOps.AsFloat(yPred);
        Tensor matches;
        if (FromSortedIds)
        {
            int n = pred.Dims[^1];
            if (n < K) throw new ArgumentException($"With from_sorted_ids=True, y_pred needs at least k={K} ids per row; received y_pred.shape={Shapes.Format(yPred.Shape)}.");
            var topIds = Ops.Slice(Ops.Reshape(pred, [rows, n]), 1, 0, K);
            matches = Ops.Max(Ops.Equal(Ops.Reshape(labels, [rows, 1]), topIds), [1]);
        }
        else matches = MetricOps.InTopK(labels, pred, K);
        return Ops.Reshape(matches, yTrue.Rank == 0 ? [1] : yTrue.Shape);
    }

    internal override PredictionMetric CloneWithName(string name) => new SparseTopKCategoricalAccuracy(K, name, FromSortedIds);
}
