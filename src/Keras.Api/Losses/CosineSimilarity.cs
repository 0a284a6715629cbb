namespace KerasGpu.Losses;

/// <summary>
/// Negative cosine similarity along <see cref="Axis"/>, <c>−Σ l2_normalize(t)·l2_normalize(p)</c> (Keras'
/// <c>keras.losses.CosineSimilarity</c>): −1 for the same direction, 0 for orthogonal or zero vectors, 1 for opposite.
/// Vectors are normalised as <c>x·rsqrt(max(Σx², ε²))</c>, so a zero vector stays finite.
/// </summary>
public sealed class CosineSimilarity : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="axis">The axis along which the similarity is computed (the features axis).</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    public CosineSimilarity(int axis = -1, string reduction = "sum_over_batch_size", string name = "cosine_similarity")
        : base(name, reduction) => Axis = axis;

    /// <summary>The axis along which the similarity is computed.</summary>
    public int Axis { get; }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        LossMath.CanonicalAxis(Axis, yTrue.Rank);
        LossMath.CanonicalAxis(Axis, yPred.Rank);
        return Ops.Negative(Ops.Sum(Ops.Multiply(Normalize(yTrue, Axis), Normalize(yPred, Axis)), [Axis]));
    }

    /// <summary>Keras' L2 normalisation: <c>x·rsqrt(max(Σx², ε²))</c>.</summary>
    private static Tensor Normalize(Tensor x, int axis)
    {
        float eps = Keras.Config.Epsilon;
        var squareSum = Ops.Sum(Ops.Square(x), [axis], keepDims: true);
        return Ops.Multiply(x, Ops.Reciprocal(Ops.Sqrt(Ops.Maximum(squareSum, Ops.Scalar(x.Backend, eps * eps)))));
    }
}
