using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary>Sum of all elements, as a scalar (shape <c>()</c>).</summary>
    public static Tensor Sum(Tensor x) => ReduceAll(x, ReduceOp.Sum);

    /// <summary>Mean of all elements, as a scalar (shape <c>()</c>).</summary>
    public static Tensor Mean(Tensor x) => ReduceAll(x, ReduceOp.Mean);

    private static Tensor ReduceAll(Tensor x, ReduceOp op)
    {
        var y = Tensor.Empty(x.Backend, []);
        x.Backend.Reduce(op, x.Buffer, 1, (int)x.Size, 1, y.Buffer);
        GradientTape.Record(y, [x], (g, _) =>
        {
            // d(sum) = g everywhere; d(mean) = g / n everywhere.
            var dx = Tensor.Empty(x.Backend, x.Shape);
            x.Backend.Binary(BinaryOp.Add, g.Buffer, [], ZeroScalar(x.Backend).Buffer, [], dx.Buffer, x.Dims);
            if (op == ReduceOp.Mean) x.Backend.ScaleAdd(dx.Buffer, 1f / x.Size, null, 0f, dx.Buffer, x.Size);
            return [dx];
        });
        return y;
    }

    private static Tensor ZeroScalar(IBackend backend) => Fill(backend, [], 0f);
}
