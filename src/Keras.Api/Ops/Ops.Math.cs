using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary><c>−x</c>.</summary>
    public static Tensor Negative(Tensor x) => Unary(UnaryOp.Negative, x);

    /// <summary><c>|x|</c> (gradient <c>sign(x)</c>, 0 at 0).</summary>
    public static Tensor Abs(Tensor x) => Unary(UnaryOp.Abs, x);

    /// <summary><c>sign(x)</c>: −1, 0 or 1 (zero gradient).</summary>
    public static Tensor Sign(Tensor x) => Unary(UnaryOp.Sign, x);

    /// <summary><c>x²</c>.</summary>
    public static Tensor Square(Tensor x) => Unary(UnaryOp.Square, x);

    /// <summary><c>√x</c>.</summary>
    public static Tensor Sqrt(Tensor x) => Unary(UnaryOp.Sqrt, x);

    /// <summary><c>1 / x</c>.</summary>
    public static Tensor Reciprocal(Tensor x) => Unary(UnaryOp.Reciprocal, x);

    /// <summary><c>eˣ</c>.</summary>
    public static Tensor Exp(Tensor x) => Unary(UnaryOp.Exp, x);

    /// <summary><c>eˣ − 1</c>, accurate near 0.</summary>
    public static Tensor Expm1(Tensor x) => Unary(UnaryOp.Expm1, x);

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor x) => Unary(UnaryOp.Log, x);

    /// <summary><c>log(1 + x)</c>, accurate near 0.</summary>
    public static Tensor Log1p(Tensor x) => Unary(UnaryOp.Log1p, x);

    /// <summary><c>sin(x)</c>.</summary>
    public static Tensor Sin(Tensor x) => Unary(UnaryOp.Sin, x);

    /// <summary><c>cos(x)</c>.</summary>
    public static Tensor Cos(Tensor x) => Unary(UnaryOp.Cos, x);

    /// <summary><c>log(1 + eˣ)</c>, stable for large |x|.</summary>
    public static Tensor Softplus(Tensor x) => Unary(UnaryOp.Softplus, x);

    /// <summary>The error function.</summary>
    public static Tensor Erf(Tensor x) => Unary(UnaryOp.Erf, x);

    /// <summary>Largest integer ≤ x (zero gradient).</summary>
    public static Tensor Floor(Tensor x) => Unary(UnaryOp.Floor, x);

    /// <summary>Smallest integer ≥ x (zero gradient).</summary>
    public static Tensor Ceil(Tensor x) => Unary(UnaryOp.Ceil, x);

    /// <summary>Nearest integer, halves to even (zero gradient).</summary>
    public static Tensor Round(Tensor x) => Unary(UnaryOp.Round, x);

    /// <summary>Elementwise unary math through one kernel, with its gradient rule beside it.</summary>
    public static Tensor Unary(UnaryOp op, Tensor x)
    {
        var y = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.Unary(op, x.Buffer, y.Buffer, x.Size);
        GradientTape.Record(y, [x], (g, _) => [op switch
        {
            UnaryOp.Negative => Negative(g),
            UnaryOp.Abs => Multiply(g, Sign(x)),
            UnaryOp.Square => Multiply(g, Scale(x, 2f)),
            UnaryOp.Sqrt => Divide(Scale(g, 0.5f), y),
            UnaryOp.Reciprocal => Negative(Multiply(g, Square(y))),
            UnaryOp.Exp => Multiply(g, y),
            UnaryOp.Expm1 => Multiply(g, Add(y, 1f)),
            UnaryOp.Log => Divide(g, x),
            UnaryOp.Log1p => Divide(g, Add(x, 1f)),
            UnaryOp.Sin => Multiply(g, Cos(x)),
            UnaryOp.Cos => Negative(Multiply(g, Sin(x))),
            UnaryOp.Tanh => Multiply(g, Subtract(1f, Square(y))),
            UnaryOp.Sigmoid => Multiply(g, Multiply(y, Subtract(1f, y))),
            UnaryOp.Softplus => Multiply(g, Unary(UnaryOp.Sigmoid, x)),
            // d erf = 2/√π · e^(−x²).
            UnaryOp.Erf => Multiply(g, Scale(Exp(Negative(Square(x))), 1.1283791670955126f)),
            // Sign, Floor, Ceil, Round are piecewise constant.
            _ => Zeros(x.Backend, x.Shape),
        }]);
        return y;
    }

    /// <summary><c>condition ≠ 0 ? a : b</c> with NumPy broadcasting of all three (the condition gets no gradient).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        CheckSameBackend(condition, a);
        CheckSameBackend(a, b);
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition.Dims, a.Dims), b.Dims);
        Tensor c = BroadcastTo(condition, shape), aa = BroadcastTo(a, shape), bb = BroadcastTo(b, shape);
        var y = Tensor.Empty(a.Backend, shape);
        a.Backend.Where(c.Buffer, aa.Buffer, bb.Buffer, y.Buffer, y.Size);
        GradientTape.Record(y, [a, b], (g, needs) =>
        {
            var zero = Zeros(g.Backend, g.Shape);
            return [needs[0] ? SumToShape(Where(c, g, zero), a.Dims) : null, needs[1] ? SumToShape(Where(c, zero, g), b.Dims) : null];
        });
        return y;
    }

    /// <summary>Clips every element into <c>[min, max]</c> (gradient 1 inside, 0 where clipped; NaN propagates).</summary>
    public static Tensor Clip(Tensor x, float min, float max)
    {
        if (!(min <= max)) throw new ArgumentException($"Clip expects min ≤ max; received min={min}, max={max}.");
        return Minimum(Maximum(x, Scalar(x.Backend, min)), Scalar(x.Backend, max));
    }

    /// <summary>Converts between float32 and int32 (float → int truncates; no gradient).</summary>
    public static Tensor Cast(Tensor x, DType dtype)
    {
        if (dtype is not (DType.Float32 or DType.Int32))
            throw new ArgumentException($"Device tensors hold float32 or int32; requested {dtype.KerasName()}.", nameof(dtype));
        var y = Tensor.Empty(x.Backend, x.Shape, dtype);
        x.Backend.Cast(x.Buffer, y.Buffer, x.Size);
        return y;
    }
}
