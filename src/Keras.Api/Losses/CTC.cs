using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>
/// Connectionist Temporal Classification loss (Keras' <c>keras.losses.CTC</c>): the negative log-likelihood of each label
/// sequence under the per-step class distributions, summed over every alignment. Targets are integer labels of shape
/// <c>(batch, max_length)</c> with 0 as the blank/padding class (the label length is the count of non-zero entries);
/// predictions are logits of shape <c>(batch, steps, classes)</c>, not softmax-normalised. In Fit the targets are stored
/// with the predictions' step count, so pad them with zeros to <c>steps</c>.
/// </summary>
/// <param name="reduction">Keras reduction name.</param>
/// <param name="name">Loss name.</param>
public sealed class CTC(string reduction = "sum_over_batch_size", string name = "ctc") : Loss(name, reduction)
{
    // Log-probability of an unreachable state: finite, so log-sum-exp never computes −∞ − (−∞).
    private const float Unreachable = -1e30f;

    internal override DType TargetDType => DType.Int32;

    internal override int[] TargetShape(int[] predictionShape) => predictionShape[..^1];

    internal override void ValidateTargets(NDArray targets, int[] predictionShape)
    {
        base.ValidateTargets(targets, predictionShape);
        Labels.CheckClassIndices(targets, predictionShape[^1]);
    }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        if (yTrue.Rank != 2)
            throw new ArgumentException($"Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in integer format. Received: y_true.shape={Shapes.Format(yTrue.Dims)}");
        if (yPred.Rank != 3)
            throw new ArgumentException($"Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, num_classes)`. Received: y_pred.shape={Shapes.Format(yPred.Dims)}");
        if (yTrue.Dims[0] != yPred.Dims[0])
            throw new ArgumentException($"Targets and logits must have the same batch size. Received: y_true.shape={Shapes.Format(yTrue.Dims)}, y_pred.shape={Shapes.Format(yPred.Dims)}");
        int batch = yPred.Dims[0], steps = yPred.Dims[1], classes = yPred.Dims[2], labelLength = yTrue.Dims[1], states = 2 * labelLength + 1;
        var backend = yPred.Backend;
        var labels = Ops.Cast(yTrue, DType.Float32);

        // log-softmax over the classes.
        var max = Ops.Max(yPred, [2], keepDims: true);
        var shifted = Ops.Subtract(yPred, max);
        var logProbs = Ops.Subtract(shifted, Ops.Log(Ops.Sum(Ops.Exp(shifted), [2], keepDims: true)));

        // The extended label sequence: blank, l1, blank, l2, ..., blank (states = 2·L + 1).
        var zeros = Ops.Zeros(backend, [batch, labelLength, 1]);
        var interleaved = Ops.Reshape(Ops.Concatenate([zeros, Ops.Reshape(labels, [batch, labelLength, 1])], 2), [batch, 2 * labelLength]);
        var extended = Ops.Concatenate([interleaved, Ops.Zeros(backend, [batch, 1])], 1);

        // emit[b, t, s] = log p_t(extended[s]).
        var oneHot = Ops.OneHot(extended, classes);
        var emit = Ops.Sum(Ops.Multiply(Ops.Reshape(logProbs, [batch, steps, 1, classes]), Ops.Reshape(oneHot, [batch, 1, states, classes])), [3]);

        // A state may be entered from two back when it is a label different from the label two back.
        var twoBack = Shift(extended, 2, -1f);
        var canSkip = Ops.Multiply(Ops.NotEqual(extended, twoBack), Ops.NotEqual(extended, Ops.Scalar(backend, 0f)));

        var position = Iota(backend, states);
        var unreachable = Ops.Scalar(backend, Unreachable);
        var alpha = Ops.Where(Ops.Less(position, Ops.Scalar(backend, 2f)), Step(emit, 0, batch, states), unreachable);
        for (int t = 1; t < steps; t++)
        {
            var fromOneBack = Shift(alpha, 1, Unreachable);
            var fromTwoBack = Ops.Where(canSkip, Shift(alpha, 2, Unreachable), unreachable);
            alpha = Ops.Add(Step(emit, t, batch, states), LogSumExp3(alpha, fromOneBack, fromTwoBack));
        }

        // The sequence ends in its last label or the blank after it: states 2·len − 1 and 2·len.
        var length2 = Ops.Reshape(Ops.Scale(Ops.Sum(Ops.NotEqual(labels, Ops.Scalar(backend, 0f)), [1]), 2f), [batch, 1]);
        var final = Ops.Add(Ops.Equal(position, length2), Ops.Equal(position, Ops.Subtract(length2, 1f)));
        var masked = Ops.Where(final, alpha, unreachable);
        var top = Ops.Max(masked, [1], keepDims: true);
        var logLikelihood = Ops.Add(Ops.Log(Ops.Sum(Ops.Exp(Ops.Subtract(masked, top)), [1])), Ops.Reshape(top, [batch]));
        return Ops.Negative(logLikelihood);
    }

    /// <summary><c>x[:, t, :]</c> as (batch, states).</summary>
    private static Tensor Step(Tensor emit, int t, int batch, int states) => Ops.Reshape(Ops.Slice(emit, 1, t, 1), [batch, states]);

    /// <summary>Shifts each row right by <paramref name="by"/> along the last axis, filling with <paramref name="fill"/>.</summary>
    private static Tensor Shift(Tensor x, int by, float fill)
    {
        int rows = x.Dims[0], cols = x.Dims[1];
        var pad = Ops.Fill(x.Backend, [rows, Math.Min(by, cols)], fill);
        return by >= cols ? pad : Ops.Concatenate([pad, Ops.Slice(x, 1, 0, cols - by)], 1);
    }

    /// <summary><c>log(eᵃ + eᵇ + eᶜ)</c> elementwise, stably.</summary>
    private static Tensor LogSumExp3(Tensor a, Tensor b, Tensor c)
    {
        var m = Ops.Maximum(Ops.Maximum(a, b), c);
        var sum = Ops.Add(Ops.Add(Ops.Exp(Ops.Subtract(a, m)), Ops.Exp(Ops.Subtract(b, m))), Ops.Exp(Ops.Subtract(c, m)));
        return Ops.Add(m, Ops.Log(sum));
    }

    private static Tensor Iota(IBackend backend, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = i;
        return Tensor.FromNDArray(NDArray.FromArray(values, [1, n]), backend);
    }
}
