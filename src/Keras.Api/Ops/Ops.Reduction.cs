using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary>Sum of all elements, as a scalar (shape <c>()</c>).</summary>
    public static Tensor Sum(Tensor x) => ReduceAll(x, ReduceOp.Sum);

    /// <summary>Mean of all elements, as a scalar (shape <c>()</c>).</summary>
    public static Tensor Mean(Tensor x) => ReduceAll(x, ReduceOp.Mean);

    /// <summary>Sum over <paramref name="axes"/> (all when null), keeping them as size 1 with <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(Tensor x, int[]? axes, bool keepDims = false) => ReduceAxes(x, ReduceOp.Sum, axes, keepDims);

    /// <summary>Mean over <paramref name="axes"/> (all when null).</summary>
    public static Tensor Mean(Tensor x, int[]? axes, bool keepDims = false) => ReduceAxes(x, ReduceOp.Mean, axes, keepDims);

    /// <summary>Maximum over <paramref name="axes"/> (all when null); the gradient is shared equally among ties.</summary>
    public static Tensor Max(Tensor x, int[]? axes = null, bool keepDims = false) => ReduceAxes(x, ReduceOp.Max, axes, keepDims);

    /// <summary>Minimum over <paramref name="axes"/> (all when null); the gradient is shared equally among ties.</summary>
    public static Tensor Min(Tensor x, int[]? axes = null, bool keepDims = false) => ReduceAxes(x, ReduceOp.Min, axes, keepDims);

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

    private static Tensor ReduceAxes(Tensor x, ReduceOp op, int[]? axes, bool keepDims)
    {
        int rank = x.Rank;
        var reduce = new bool[rank];
        if (axes is null) Array.Fill(reduce, true);
        else foreach (int axis in axes)
            {
                int a = NormalizeAxis(axis, rank);
                if (reduce[a]) throw new ArgumentException($"Axis {axis} appears twice in ({string.Join(", ", axes)}).");
                reduce[a] = true;
            }
        // Reduce one axis at a time (highest first), on [outer, axis, inner] views; the kept shape has 1s there.
        var dims = x.Shape;
        var current = x;
        bool first = true;
        for (int d = rank - 1; d >= 0; d--)
        {
            if (!reduce[d]) continue;
            int outer = (int)Shapes.Size(dims.AsSpan(0, d)), inner = (int)Shapes.Size(dims.AsSpan(d + 1));
            int[] keptShape = [.. dims[..d], 1, .. dims[(d + 1)..]];
            var next = Tensor.Empty(x.Backend, keptShape);
            x.Backend.Reduce(op, current.Buffer, outer, dims[d], inner, next.Buffer);
            if (!first) current.Dispose();
            first = false;
            current = next;
            dims = keptShape;
        }
        var kept = first ? CopyOf(x) : current;
        var outShape = keepDims ? dims : dims.Where((_, i) => !reduce[i]).ToArray();
        var y = Shapes.Equal(kept.Dims, outShape) ? kept : Relabel(kept, outShape);
        var keptDims = dims;
        GradientTape.Record(y, [x], (g, _) =>
        {
            var gKept = Reshape(g, keptDims);
            if (op == ReduceOp.Sum) return [BroadcastTo(gKept, x.Shape)];
            if (op == ReduceOp.Mean) return [Scale(BroadcastTo(gKept, x.Shape), (float)((double)Shapes.Size(keptDims) / Math.Max(x.Size, 1)))];
            var mask = Equal(x, Reshape(y, keptDims));
            var count = Sum(mask, axes, keepDims: true);
            return [Multiply(mask, Divide(gKept, count))];
        });
        return y;
    }

    private static Tensor CopyOf(Tensor x)
    {
        var y = Tensor.Empty(x.Backend, x.Shape, x.DType);
        x.Backend.Copy(x.Buffer, 0, y.Buffer, 0, x.Size);
        return y;
    }

    /// <summary>A tensor with <paramref name="t"/>'s elements under a new shape of equal size (takes over the buffer by copying).</summary>
    private static Tensor Relabel(Tensor t, int[] shape)
    {
        var y = Tensor.Empty(t.Backend, shape, t.DType);
        t.Backend.Copy(t.Buffer, 0, y.Buffer, 0, t.Size);
        t.Dispose();
        return y;
    }

    private static Tensor ZeroScalar(IBackend backend) => Fill(backend, [], 0f);
}
