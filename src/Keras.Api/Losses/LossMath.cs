using KerasGpu.Backend;

namespace KerasGpu.Losses;

/// <summary>Pieces the losses share, composed from <see cref="Ops"/> (all differentiable on the tape).</summary>
internal static class LossMath
{
    /// <summary>The axis in <c>[0, rank)</c>; Keras' <c>canonicalize_axis</c>, with its message.</summary>
    public static int CanonicalAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentException($"axis {axis} is out of bounds for an array of dimension {rank}.", nameof(axis));
        return a;
    }

    /// <summary>Moves <paramref name="axis"/> to the end (the fused kernels work on the last axis).</summary>
    public static Tensor MoveAxisToEnd(Tensor x, int axis)
    {
        if (axis == x.Rank - 1) return x;
        int[] perm = [.. Enumerable.Range(0, x.Rank).Where(i => i != axis), axis];
        return Ops.Transpose(x, perm);
    }

    /// <summary>Sum over <paramref name="axes"/>, or over every element when null (a scalar).</summary>
    public static Tensor SumOver(Tensor x, int[]? axes) => axes is null ? Ops.Sum(x) : Ops.Sum(x, axes);

    /// <summary>Throws Keras' message unless both tensors have the same shape.</summary>
    public static void RequireSameShape(Tensor target, Tensor output)
    {
        if (!Shapes.Equal(target.Dims, output.Dims))
            throw new ArgumentException($"Arguments `target` and `output` must have the same shape. Received: target.shape={Shapes.Format(target.Dims)}, output.shape={Shapes.Format(output.Dims)}");
    }

    /// <summary>Throws unless the rank is at least 1 (a per-sample loss needs an axis to reduce).</summary>
    public static void RequireRank1(Tensor target, Tensor output)
    {
        if (output.Rank < 1)
            throw new ArgumentException($"Arguments `target` and `output` must be at least rank 1. Received: target.shape={Shapes.Format(target.Dims)}, output.shape={Shapes.Format(output.Dims)}");
    }

    /// <summary><c>clip(p, ε, 1 − ε)</c>, Keras' guard before taking logs of probabilities.</summary>
    public static Tensor ClipProbabilities(Tensor p)
    {
        float eps = Keras.Config.Epsilon;
        return Ops.Clip(p, eps, 1f - eps);
    }

    /// <summary>
    /// Elementwise binary cross-entropy (Keras' <c>ops.binary_crossentropy</c>). From logits it is the stable
    /// <c>softplus(x) − t·x</c> (= <c>−t·log σ(x) − (1 − t)·log(1 − σ(x))</c> without overflow); from probabilities
    /// <c>−(t·log p + (1 − t)·log(1 − p))</c> with <c>p</c> clipped to <c>[ε, 1 − ε]</c>.
    /// </summary>
    public static Tensor BinaryCrossentropy(Tensor target, Tensor output, bool fromLogits)
    {
        RequireSameShape(target, output);
        if (fromLogits) return Ops.Subtract(Ops.Softplus(output), Ops.Multiply(target, output));
        var p = ClipProbabilities(output);
        var positive = Ops.Multiply(target, Ops.Log(p));
        var negative = Ops.Multiply(Ops.Subtract(1f, target), Ops.Log(Ops.Subtract(1f, p)));
        return Ops.Negative(Ops.Add(positive, negative));
    }

    /// <summary>Keras' binary-label smoothing: labels squeezed towards 0.5, <c>t·(1 − s) + s/2</c>.</summary>
    public static Tensor SmoothBinaryLabels(Tensor target, float labelSmoothing) =>
        labelSmoothing == 0f ? target : Ops.ScaleAdd(target, 1f - labelSmoothing, 0.5f * labelSmoothing);

    /// <summary>Keras' categorical label smoothing: <c>t·(1 − s) + s/classes</c>.</summary>
    public static Tensor SmoothCategoricalLabels(Tensor target, float labelSmoothing, int classes) =>
        labelSmoothing == 0f ? target : Ops.ScaleAdd(target, 1f - labelSmoothing, labelSmoothing / classes);

    /// <summary>Checks a label-smoothing factor is in <c>[0, 1]</c>.</summary>
    public static float CheckLabelSmoothing(float labelSmoothing) =>
        labelSmoothing is >= 0f and <= 1f ? labelSmoothing
            : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"`label_smoothing` must be a float in [0, 1]. Received: label_smoothing={labelSmoothing}");

    /// <summary>
    /// Keras' <c>convert_binary_labels_to_hinge</c>: when every label is 0 or 1 they become −1/1 (<c>2t − 1</c>),
    /// otherwise they are left as given. Decided on the device, without reading the labels back.
    /// </summary>
    public static Tensor HingeLabels(Tensor target)
    {
        var backend = target.Backend;
        var notBinary = Ops.Multiply(Ops.NotEqual(target, Ops.Scalar(backend, 0f)), Ops.NotEqual(target, Ops.Scalar(backend, 1f)));
        var isBinary = Ops.Equal(Ops.Sum(notBinary), Ops.Scalar(backend, 0f));
        return Ops.Where(isBinary, Ops.ScaleAdd(target, 2f, -1f), target);
    }
}
