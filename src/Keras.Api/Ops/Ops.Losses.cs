using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary>
    /// Fused softmax cross-entropy from logits, one loss per row: <c>logsumexp(z) − Σ t·z</c>. Sparse targets are int32
    /// class indices of shape <c>(rows,)</c>; dense targets have the logits' shape. Gradient:
    /// <c>dz = g·(softmax(z)·Σt − t)</c>, from the probabilities the forward kept.
    /// </summary>
    internal static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor targets, TargetKind kind)
    {
        int cols = logits.Dims[^1], rows = Shapes.Rows(logits.Dims);
        var probabilities = Tensor.Empty(logits.Backend, logits.Shape);
        var loss = Tensor.Empty(logits.Backend, logits.Dims[..^1]);
        logits.Backend.SoftmaxCrossEntropy(logits.Buffer, targets.Buffer, kind, rows, cols, probabilities.Buffer, loss.Buffer);
        GradientTape.Record(loss, [logits], (g, _) =>
        {
            var dz = Tensor.Empty(logits.Backend, logits.Shape);
            logits.Backend.SoftmaxCrossEntropyBackward(probabilities.Buffer, targets.Buffer, kind, g.Buffer, dz.Buffer, rows, cols);
            return [dz];
        });
        return loss;
    }

    /// <summary>
    /// Cross-entropy of probabilities, the Keras way for <c>from_logits=False</c>: rows renormalised to sum to 1,
    /// clipped to <c>[ε, 1 − ε]</c>, then <c>−Σ t·log p</c> per row.
    /// </summary>
    internal static Tensor CrossEntropy(Tensor predictions, Tensor targets, TargetKind kind, float epsilon)
    {
        int cols = predictions.Dims[^1], rows = Shapes.Rows(predictions.Dims);
        var loss = Tensor.Empty(predictions.Backend, predictions.Dims[..^1]);
        predictions.Backend.CrossEntropy(predictions.Buffer, targets.Buffer, kind, rows, cols, epsilon, loss.Buffer);
        GradientTape.Record(loss, [predictions], (g, _) =>
        {
            var dp = Tensor.Empty(predictions.Backend, predictions.Shape);
            predictions.Backend.CrossEntropyBackward(predictions.Buffer, targets.Buffer, kind, g.Buffer, dp.Buffer, rows, cols, epsilon);
            return [dp];
        });
        return loss;
    }

    /// <summary>Mean squared error per row, <c>mean((p − t)², axis=−1)</c>; gradient <c>g·2(p − t)/cols</c>.</summary>
    internal static Tensor SquaredError(Tensor predictions, Tensor targets)
    {
        int cols = predictions.Rank == 0 ? 1 : predictions.Dims[^1], rows = Shapes.Rows(predictions.Dims);
        var loss = Tensor.Empty(predictions.Backend, predictions.Rank == 0 ? [] : predictions.Dims[..^1]);
        predictions.Backend.SquaredError(predictions.Buffer, targets.Buffer, rows, cols, loss.Buffer);
        GradientTape.Record(loss, [predictions], (g, _) =>
        {
            var dp = Tensor.Empty(predictions.Backend, predictions.Shape);
            predictions.Backend.SquaredErrorBackward(predictions.Buffer, targets.Buffer, g.Buffer, dp.Buffer, rows, cols);
            return [dp];
        });
        return loss;
    }
}
