using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>Shape and math helpers the metrics compose from <see cref="Ops"/> (all on the device).</summary>
internal static class MetricOps
{
    /// <summary>Keras' <c>backend.epsilon()</c>: the configured <see cref="Keras.Config.Epsilon"/>, as the losses use.</summary>
    public static float Epsilon => Keras.Config.Epsilon;

    /// <summary>float32 view of a tensor (int32 labels are converted).</summary>
    public static Tensor AsFloat(Tensor t) => t.DType == DType.Float32 ? t : Ops.Cast(t, DType.Float32);

    /// <summary>
    /// Keras' <c>squeeze_or_expand_to_same_rank</c>: when the ranks differ by one and the longer one ends in 1, squeeze
    /// that axis (or, with <paramref name="expandRank1"/>, expand a rank-1 partner instead).
    /// </summary>
    public static (Tensor, Tensor) SqueezeOrExpandToSameRank(Tensor x1, Tensor x2, bool expandRank1 = true)
    {
        if (x1.Rank == x2.Rank + 1 && x1.Dims[^1] == 1)
        {
            if (x2.Rank == 1 && expandRank1) x2 = Ops.ExpandDims(x2, -1);
            else x1 = Ops.Squeeze(x1, -1);
        }
        if (x2.Rank == x1.Rank + 1 && x2.Dims[^1] == 1)
        {
            if (x1.Rank == 1 && expandRank1) x1 = Ops.ExpandDims(x1, -1);
            else x2 = Ops.Squeeze(x2, -1);
        }
        return (x1, x2);
    }

    /// <summary>The axes <c>[from, rank)</c>.</summary>
    public static int[] AxesFrom(int from, int rank) => [.. Enumerable.Range(from, Math.Max(0, rank - from))];

    /// <summary>Uploads a small host constant (e.g. class indices or thresholds) for this update.</summary>
    public static Tensor Constant(IBackend backend, float[] values, int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray(values, shape), backend);

    /// <summary>
    /// Index of the first maximum along the last axis, as float (NumPy's argmax): with <c>m</c> the row maximum,
    /// <c>C − max_j((x_j == m)·(C − j))</c>.
    /// </summary>
    public static Tensor ArgMax(Tensor x)
    {
        int c = x.Dims[^1];
        var reversed = new float[c];
        for (int j = 0; j < c; j++) reversed[j] = c - j;
        var isMax = Ops.Equal(x, Ops.Max(x, [-1], keepDims: true));
        var best = Ops.Max(Ops.Multiply(isMax, Constant(x.Backend, reversed, [c])), [-1]);
        return Ops.Subtract((float)c, best);
    }

    /// <summary>
    /// Keras' <c>in_top_k</c>: 1 where the score of the target class is not exceeded by <paramref name="k"/> or more
    /// scores of its row (ties at the boundary count as in the top k). Targets are class indices (any float shape whose
    /// size is the number of rows of <paramref name="predictions"/>, viewed as <c>(rows, classes)</c>).
    /// </summary>
    public static Tensor InTopK(Tensor targets, Tensor predictions, int k)
    {
        int c = predictions.Dims[^1];
        var rows = Ops.Reshape(predictions, [-1, c]);
        var oneHot = Ops.OneHot(Ops.Reshape(targets, [-1]), c);
        var targetScore = Ops.Sum(Ops.Multiply(rows, oneHot), [-1], keepDims: true);
        var better = Ops.Sum(Ops.Greater(rows, targetScore), [-1]);
        return Ops.Less(better, Ops.Scalar(predictions.Backend, k));
    }

    /// <summary>
    /// Keras' <c>_filter_top_k</c>: keeps the <paramref name="k"/> largest values of each last-axis row (ties go to the
    /// lower index, as <c>top_k</c>) and sets the rest to −1e10.
    /// </summary>
    public static Tensor FilterTopK(Tensor x, int k)
    {
        int c = x.Dims[^1];
        // rank_i = #{j : x_j > x_i} + #{j < i : x_j == x_i}; in the top k iff rank_i < k.
        var xi = Ops.ExpandDims(x, -1);
        var xj = Ops.ExpandDims(x, -2);
        var before = new float[c * c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < i; j++) before[i * c + j] = 1f;
        var tieBefore = Ops.Multiply(Ops.Equal(xj, xi), Constant(x.Backend, before, [c, c]));
        var rank = Ops.Sum(Ops.Add(Ops.Greater(xj, xi), tieBefore), [-1]);
        var keep = Ops.Less(rank, Ops.Scalar(x.Backend, k));
        return Ops.Where(keep, x, Ops.Scalar(x.Backend, -1e10f));
    }

    /// <summary>Keras' <c>normalize(x, axis)</c> with order 2: <c>x · rsqrt(max(Σx², ε²))</c>.</summary>
    public static Tensor L2Normalize(Tensor x, int axis)
    {
        var squareSum = Ops.Sum(Ops.Square(x), [axis], keepDims: true);
        return Ops.Divide(x, Ops.Sqrt(Ops.Maximum(squareSum, Ops.Scalar(x.Backend, Epsilon * Epsilon))));
    }
}
