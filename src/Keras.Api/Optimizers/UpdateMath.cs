using KerasGpu.Backend;

namespace KerasGpu.Optimizers;

/// <summary>
/// Elementwise building blocks for the composed optimizer updates. They call backend primitives directly (not
/// <see cref="Ops"/>) so nothing is recorded on an active <see cref="Autodiff.GradientTape"/>, and they write in place.
/// Every tensor is viewed flat; scratch tensors belong to the caller's <see cref="TensorScope"/>.
/// </summary>
internal static class UpdateMath
{
    /// <summary>An uninitialised tensor shaped like <paramref name="like"/>, owned by the current scope.</summary>
    public static Tensor Scratch(Tensor like) => Tensor.Empty(like.Backend, like.Dims);

    /// <summary>A one-element tensor holding <paramref name="value"/>, owned by the current scope.</summary>
    public static Tensor Constant(IBackend backend, float value)
    {
        var t = Tensor.Empty(backend, [1]);
        backend.Fill(t.Buffer, value);
        return t;
    }

    /// <summary><c>y = a ⊕ b</c> elementwise; <paramref name="b"/> may be a one-element tensor (broadcast). y may be a or b.</summary>
    public static void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        int n = checked((int)a.Size);
        a.Backend.Binary(op, a.Buffer, [n], b.Buffer, [checked((int)b.Size)], y.Buffer, [n]);
    }

    /// <summary><c>y = op(x)</c> elementwise; y may be x.</summary>
    public static void Unary(UnaryOp op, Tensor x, Tensor y) => x.Backend.Unary(op, x.Buffer, y.Buffer, x.Size);

    /// <summary><c>y = alpha·x + beta·z</c>, or <c>alpha·x + beta</c> without z; y may be x or z.</summary>
    public static void ScaleAdd(Tensor x, float alpha, Tensor? z, float beta, Tensor y) =>
        x.Backend.ScaleAdd(x.Buffer, alpha, z?.Buffer, beta, y.Buffer, x.Size);

    /// <summary><c>y = x</c>.</summary>
    public static void Copy(Tensor x, Tensor y) => x.Backend.Copy(x.Buffer, 0, y.Buffer, 0, x.Size);

    /// <summary>A one-element tensor with <c>Σ x²</c>, added to <paramref name="accumulator"/> when one is given.</summary>
    public static Tensor SumOfSquares(Tensor x, Tensor? accumulator = null)
    {
        var squares = Scratch(x);
        Unary(UnaryOp.Square, x, squares);
        var sum = accumulator ?? Tensor.Empty(x.Backend, [1]);
        x.Backend.Reduce(ReduceOp.Sum, squares.Buffer, 1, checked((int)x.Size), 1, sum.Buffer, accumulate: accumulator is not null);
        return sum;
    }
}
