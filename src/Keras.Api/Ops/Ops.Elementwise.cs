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

    /// <summary><c>a / b</c> elementwise with NumPy broadcasting.</summary>
    public static Tensor Divide(Tensor a, Tensor b) => Binary(BinaryOp.Divide, a, b);

    /// <summary>Elementwise maximum with broadcasting (NaN propagates; the gradient goes to <c>a</c> on ties).</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryOp.Maximum, a, b);

    /// <summary>Elementwise minimum with broadcasting (NaN propagates; the gradient goes to <c>a</c> on ties).</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryOp.Minimum, a, b);

    /// <summary><c>a ^ b</c> elementwise with broadcasting.</summary>
    public static Tensor Power(Tensor a, Tensor b) => Binary(BinaryOp.Power, a, b);

    /// <summary><c>a ^ exponent</c>.</summary>
    public static Tensor Power(Tensor a, float exponent) => Binary(BinaryOp.Power, a, Scalar(a.Backend, exponent));

    /// <summary><c>a &gt; b</c> as 1.0 / 0.0 (no gradient).</summary>
    public static Tensor Greater(Tensor a, Tensor b) => Binary(BinaryOp.Greater, a, b);

    /// <summary><c>a ≥ b</c> as 1.0 / 0.0 (no gradient).</summary>
    public static Tensor GreaterEqual(Tensor a, Tensor b) => Binary(BinaryOp.GreaterEqual, a, b);

    /// <summary><c>a &lt; b</c> as 1.0 / 0.0 (no gradient).</summary>
    public static Tensor Less(Tensor a, Tensor b) => Binary(BinaryOp.Less, a, b);

    /// <summary><c>a ≤ b</c> as 1.0 / 0.0 (no gradient).</summary>
    public static Tensor LessEqual(Tensor a, Tensor b) => Binary(BinaryOp.LessEqual, a, b);

    /// <summary><c>a == b</c> as 1.0 / 0.0 (no gradient).</summary>
    public static Tensor Equal(Tensor a, Tensor b) => Binary(BinaryOp.Equal, a, b);

    /// <summary><c>a ≠ b</c> as 1.0 / 0.0 (no gradient).</summary>
    public static Tensor NotEqual(Tensor a, Tensor b) => Binary(BinaryOp.NotEqual, a, b);

    /// <summary><c>a + s</c>.</summary>
    public static Tensor Add(Tensor a, float s) => AddScalar(a, s);

    /// <summary><c>a − s</c>.</summary>
    public static Tensor Subtract(Tensor a, float s) => AddScalar(a, -s);

    /// <summary><c>s − a</c>.</summary>
    public static Tensor Subtract(float s, Tensor a) => ScaleAdd(a, -1f, s);

    /// <summary><c>a · s</c>.</summary>
    public static Tensor Multiply(Tensor a, float s) => Scale(a, s);

    private static Tensor AddScalar(Tensor a, float s) => ScaleAdd(a, 1f, s);

    /// <summary><c>alpha · x + beta</c> in one kernel.</summary>
    public static Tensor ScaleAdd(Tensor x, float alpha, float beta)
    {
        var y = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.ScaleAdd(x.Buffer, alpha, null, beta, y.Buffer, x.Size);
        GradientTape.Record(y, [x], (g, _) => [Scale(g, alpha)]);
        return y;
    }

    /// <summary>A float32 scalar tensor (shape <c>()</c>).</summary>
    public static Tensor Scalar(IBackend backend, float value) => Fill(backend, [], value);

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
            // d(a/b) = g/b, −g·a/b².
            BinaryOp.Divide => [needs[0] ? SumToShape(Divide(g, b), a.Dims) : null,
                needs[1] ? SumToShape(Negative(Divide(Multiply(g, y), b)), b.Dims) : null],
            // The gradient flows to the selected input; ties go to a (as TensorFlow does).
            BinaryOp.Maximum => [needs[0] ? SumToShape(Multiply(g, GreaterEqual(a, b)), a.Dims) : null,
                needs[1] ? SumToShape(Multiply(g, Less(a, b)), b.Dims) : null],
            BinaryOp.Minimum => [needs[0] ? SumToShape(Multiply(g, LessEqual(a, b)), a.Dims) : null,
                needs[1] ? SumToShape(Multiply(g, Greater(a, b)), b.Dims) : null],
            // d(aᵇ) = g·b·aᵇ⁻¹, g·log(a)·aᵇ (the latter zero where a ≤ 0, where log is undefined).
            BinaryOp.Power => [needs[0] ? SumToShape(Multiply(g, Multiply(b, Power(a, Subtract(b, 1f)))), a.Dims) : null,
                needs[1] ? SumToShape(Multiply(g, Where(Greater(a, Scalar(a.Backend, 0f)), Multiply(Log(Maximum(a, Scalar(a.Backend, float.Epsilon))), y), Scalar(a.Backend, 0f))), b.Dims) : null],
            // Comparisons are piecewise constant: zero gradient.
            _ => [needs[0] ? Zeros(a.Backend, a.Shape) : null, needs[1] ? Zeros(b.Backend, b.Shape) : null],
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
