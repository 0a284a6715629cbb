using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Circle loss between integer labels and L2-normalised embeddings (Keras' <c>keras.losses.Circle</c>, Sun et al. 2020):
/// within each batch, pairs with the same label are pulled together and pairs with different labels pushed apart, each
/// pair weighted by how far it is from its optimum. Per sample: <c>softplus(lse_pos + lse_neg)</c> over the cosine
/// distances <c>max(1 − eᵢ·eⱼ, 0)</c>; samples whose loss is 0 (no pair to learn from) are left out of the mean.
/// The model should end with unit-norm embeddings (e.g. a Dense layer without activation, then L2 normalisation).
/// </summary>
public sealed class Circle : Loss
{
    // Stands for −∞ in the masked log-sum-exp: finite, so max-subtraction never computes −∞ − (−∞).
    private const float MaskedOut = -1e30f;

    /// <summary>Creates the loss.</summary>
    /// <param name="gamma">Scale of the similarity scores.</param>
    /// <param name="margin">The relaxation margin.</param>
    /// <param name="removeDiagonal">Whether a sample's similarity with itself is left out of its positive pairs.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    public Circle(float gamma = 80f, float margin = 0.4f, bool removeDiagonal = true, string reduction = "sum_over_batch_size",
        string name = "circle") : base(name, reduction)
    {
        Gamma = gamma;
        Margin = margin;
        RemoveDiagonal = removeDiagonal;
    }

    /// <summary>Scale of the similarity scores.</summary>
    public float Gamma { get; }

    /// <summary>The relaxation margin.</summary>
    public float Margin { get; }

    /// <summary>Whether self-similarities are left out of the positive pairs.</summary>
    public bool RemoveDiagonal { get; }

    internal override DType TargetDType => DType.Int32;

    internal override int[] TargetShape(int[] predictionShape) => predictionShape[..1];

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        if (yPred.Rank != 2)
            throw new ArgumentException($"Circle loss expects embeddings of shape (batch, dims); received shape {Shapes.Format(yPred.Dims)}.", nameof(yPred));
        int batch = yPred.Dims[0];
        var labels = yTrue.Rank == 2 && yTrue.Dims[1] == 1 ? Ops.Squeeze(yTrue, -1) : yTrue;
        if (!Shapes.Equal(labels.Dims, [batch]))
            throw new ArgumentException($"Circle loss expects one integer label per embedding: labels of shape ({batch},); received shape {Shapes.Format(yTrue.Dims)} for embeddings {Shapes.Format(yPred.Dims)}.", nameof(yTrue));
        var backend = yPred.Backend;
        var floatLabels = Ops.Cast(labels, DType.Float32);
        var same = Ops.Equal(Ops.Reshape(floatLabels, [batch, 1]), Ops.Reshape(floatLabels, [1, batch]));
        var negative = Ops.Subtract(1f, same);
        var positive = RemoveDiagonal ? Ops.Multiply(same, Ops.Subtract(1f, Identity(backend, batch))) : same;

        var zero = Ops.Scalar(backend, 0f);
        var distance = Ops.Maximum(Ops.Subtract(1f, Ops.MatMul(yPred, yPred, transposeB: true)), zero);
        var positiveWeight = Ops.Maximum(Ops.Multiply(Ops.Add(distance, Margin), positive), zero);
        var negativeWeight = Ops.Maximum(Ops.Multiply(Ops.Subtract(1f + Margin, distance), negative), zero);
        var positiveScore = Ops.Multiply(Ops.Scale(positiveWeight, -Gamma), Ops.Subtract(Margin, distance));
        var negativeScore = Ops.Multiply(Ops.Scale(negativeWeight, Gamma), Ops.Subtract(1f - Margin, distance));
        var loss = Ops.Add(MaskedLogSumExp(positiveScore, positive), MaskedLogSumExp(negativeScore, negative));
        return Ops.Softplus(loss);
    }

    /// <summary>As Keras: samples whose loss is not positive do not count.</summary>
    private protected override Tensor? RowMask(Tensor yTrue, Tensor rows) => Ops.Greater(rows, Ops.Scalar(rows.Backend, 0f));

    /// <summary><c>log Σⱼ exp(xᵢⱼ)</c> over the entries where <paramref name="mask"/> is 1, per row (≈ −10³⁰ when none).</summary>
    private static Tensor MaskedLogSumExp(Tensor x, Tensor mask)
    {
        var masked = Ops.Where(mask, x, Ops.Scalar(x.Backend, MaskedOut));
        var max = Ops.Max(masked, [1], keepDims: true);
        var sum = Ops.Sum(Ops.Exp(Ops.Subtract(masked, max)), [1]);
        return Ops.Add(Ops.Log(sum), Ops.Reshape(max, [x.Dims[0]]));
    }

    private static Tensor Identity(IBackend backend, int n)
    {
        var eye = new float[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1f;
        return Tensor.FromNDArray(NDArray.FromArray(eye, [n, n]), backend);
    }
}
