using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary><c>a + b</c> with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);

    /// <summary><c>a − b</c> with NumPy broadcasting.</summary>
    public static Tensor Subtract(Tensor a, Tensor b) => Binary(BinaryOp.Subtract, a, b);

    /// <summary><c>a · b</c> elementwise with NumPy broadcasting.</summary>
    public static Tensor Multiply(Tensor a, Tensor b) => Binary(BinaryOp.Multiply, a, b);

    private static Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        CheckSameBackend(a, b);
        var shape = Shapes.Broadcast(a.Dims, b.Dims);
        var y = Tensor.Empty(a.Backend, shape);
        a.Backend.Binary(op, a.Buffer, a.Dims, b.Buffer, b.Dims, y.Buffer, shape);
        GradientTape.Record(y, [a, b], (g, needs) => op switch
        {
            // d(a±b) = g, ±g; d(a·b) = g·b, g·a — each summed back over the axes that were broadcast.
            BinaryOp.Add => [needs[0] ? SumToShape(g, a.Dims) : null, needs[1] ? SumToShape(g, b.Dims) : null],
            BinaryOp.Subtract => [needs[0] ? SumToShape(g, a.Dims) : null, needs[1] ? SumToShape(Scale(g, -1f), b.Dims) : null],
            BinaryOp.Multiply => [needs[0] ? SumToShape(Multiply(g, b), a.Dims) : null, needs[1] ? SumToShape(Multiply(g, a), b.Dims) : null],
            _ => throw new NotSupportedException($"No gradient rule for {op}."),
        });
        return y;
    }

    /// <summary><c>alpha · x</c>.</summary>
    public static Tensor Scale(Tensor x, float alpha)
    {
        var y = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.ScaleAdd(x.Buffer, alpha, null, 0f, y.Buffer, x.Size);
        GradientTape.Record(y, [x], (g, _) => [Scale(g, alpha)]);
        return y;
    }

    /// <summary>Sums <paramref name="g"/> over the axes along which <paramref name="shape"/> was broadcast to g's shape.</summary>
    internal static Tensor SumToShape(Tensor g, int[] shape)
    {
        if (Shapes.Equal(g.Dims, shape)) return g;
        var dims = g.Shape;
        int lead = dims.Length - shape.Length;
        var current = g;
        for (int d = 0; d < dims.Length; d++)
        {
            int target = d < lead ? 1 : shape[d - lead];
            if (dims[d] == target) continue;
            int outer = (int)Shapes.Size(dims.AsSpan(0, d)), inner = (int)Shapes.Size(dims.AsSpan(d + 1));
            var reduced = Tensor.Empty(g.Backend, [.. dims[..d], 1, .. dims[(d + 1)..]]);
            g.Backend.Reduce(ReduceOp.Sum, current.Buffer, outer, dims[d], inner, reduced.Buffer);
            dims[d] = 1;
            current = reduced;
        }
        var result = Tensor.Empty(g.Backend, shape);
        g.Backend.Copy(current.Buffer, 0, result.Buffer, 0, result.Size);
        return result;
    }

    private static void CheckSameBackend(Tensor a, Tensor b)
    {
        if (!ReferenceEquals(a.Backend, b.Backend))
            throw new ArgumentException($"Tensors live on different backends ('{a.Backend.Name}' and '{b.Backend.Name}').");
    }
}
