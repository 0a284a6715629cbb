using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary>Matrix product of two rank-2 tensors, <c>op(a) · op(b)</c>.</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        CheckSameBackend(a, b);
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"MatMul expects rank-2 tensors; received a {Shapes.Format(a.Dims)} and b {Shapes.Format(b.Dims)}.");
        int m = transposeA ? a.Dims[1] : a.Dims[0], k = transposeA ? a.Dims[0] : a.Dims[1];
        int kb = transposeB ? b.Dims[1] : b.Dims[0], n = transposeB ? b.Dims[0] : b.Dims[1];
        if (k != kb)
            throw new ArgumentException($"MatMul inner dimensions differ: received a {Shapes.Format(a.Dims)} and b {Shapes.Format(b.Dims)} (transposeA={transposeA}, transposeB={transposeB}).");
        var y = Tensor.Empty(a.Backend, [m, n]);
        a.Backend.MatMul(a.Buffer, b.Buffer, y.Buffer, new MatMulShape(m, n, k, transposeA, transposeB));
        GradientTape.Record(y, [a, b], (g, needs) =>
        {
            // Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY (transposes folded into the flags).
            Tensor? da = !needs[0] ? null : transposeA ? MatMul(b, g, transposeB, true) : MatMul(g, b, false, !transposeB);
            Tensor? db = !needs[1] ? null : transposeB ? MatMul(g, a, true, transposeA) : MatMul(a, g, !transposeA, false);
            return [da, db];
        });
        return y;
    }

    /// <summary>
    /// The dense layer's fused forward: <c>act(x · kernel + bias)</c> contracting x's last axis, in one MatMul launch
    /// with the bias and activation in its epilogue. Backward: <c>dz = act'(y)·dy</c>, <c>dx = dz·kernelᵀ</c>,
    /// <c>dkernel = xᵀ·dz</c>, <c>dbias = Σ_rows dz</c>.
    /// </summary>
    internal static Tensor Dense(Tensor x, Tensor kernel, Tensor? bias, ActivationKind activation)
    {
        int k = kernel.Dims[0], n = kernel.Dims[1], m = Shapes.Rows(x.Dims);
        var shape = x.Shape;
        shape[^1] = n;
        var y = Tensor.Empty(x.Backend, shape);
        x.Backend.MatMul(x.Buffer, kernel.Buffer, y.Buffer, new MatMulShape(m, n, k), bias?.Buffer, activation);
        Tensor[] inputs = bias is null ? [x, kernel] : [x, kernel, bias];
        GradientTape.Record(y, inputs, (g, needs) =>
        {
            var dz = g;
            if (activation != ActivationKind.Linear)
            {
                dz = Tensor.Empty(x.Backend, g.Shape);
                x.Backend.ActivationBackward(activation, y.Buffer, g.Buffer, dz.Buffer, g.Size);
            }
            Tensor? dx = null, dk = null, db = null;
            if (needs[0])
            {
                dx = Tensor.Empty(x.Backend, x.Shape);
                x.Backend.MatMul(dz.Buffer, kernel.Buffer, dx.Buffer, new MatMulShape(m, k, n, TransposeB: true));
            }
            if (needs[1])
            {
                dk = Tensor.Empty(x.Backend, kernel.Shape);
                x.Backend.MatMul(x.Buffer, dz.Buffer, dk.Buffer, new MatMulShape(k, n, m, TransposeA: true));
            }
            if (bias is not null && needs[2])
            {
                db = Tensor.Empty(x.Backend, bias.Shape);
                x.Backend.Reduce(ReduceOp.Sum, dz.Buffer, 1, m, n, db.Buffer);
            }
            return bias is null ? [dx, dk] : [dx, dk, db];
        });
        return y;
    }
}
