using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary>Rectified linear unit, <c>max(x, 0)</c>.</summary>
    public static Tensor Relu(Tensor x) => Activation(x, ActivationKind.Relu);

    /// <summary>Logistic sigmoid, <c>1 / (1 + exp(−x))</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => Activation(x, ActivationKind.Sigmoid);

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Activation(x, ActivationKind.Tanh);

    /// <summary>An elementwise activation kernel; its gradient is computed from the output.</summary>
    internal static Tensor Activation(Tensor x, ActivationKind kind)
    {
        var y = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.ActivationForward(kind, x.Buffer, y.Buffer, x.Size);
        GradientTape.Record(y, [x], (g, _) =>
        {
            var dx = Tensor.Empty(x.Backend, x.Shape);
            x.Backend.ActivationBackward(kind, y.Buffer, g.Buffer, dx.Buffer, x.Size);
            return [dx];
        });
        return y;
    }

    /// <summary>Softmax along the last axis (the row maximum is subtracted first, so large logits do not overflow).</summary>
    public static Tensor Softmax(Tensor x)
    {
        if (x.Rank == 0) throw new ArgumentException("Softmax needs at least one axis; received a scalar.");
        int cols = x.Dims[^1], rows = Shapes.Rows(x.Dims);
        var y = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.Softmax(x.Buffer, y.Buffer, rows, cols);
        GradientTape.Record(y, [x], (g, _) =>
        {
            // dx = y·(dy − Σ dy·y) per row.
            var dx = Tensor.Empty(x.Backend, x.Shape);
            x.Backend.SoftmaxBackward(y.Buffer, g.Buffer, dx.Buffer, rows, cols);
            return [dx];
        });
        return y;
    }
}
