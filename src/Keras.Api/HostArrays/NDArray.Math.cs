using System.Numerics;
using System.Numerics.Tensors;

namespace KerasGpu;

public sealed partial class NDArray
{
    // ------------------------------------------------------------------ dtype conversion

    /// <summary>A converting copy with the element type of <typeparamref name="T"/>, like numpy's <c>astype</c>.</summary>
    /// <typeparam name="T"><c>float</c>, <c>double</c>, <c>int</c>, <c>long</c> or <c>byte</c>.</typeparam>
    /// <remarks>See <see cref="AsType(KerasGpu.DType)"/> for the conversion rules.</remarks>
    public NDArray AsType<T>() where T : unmanaged => AsType(DTypes.Of<T>());

    /// <summary>A converting copy with element type <paramref name="dtype"/> (always a new array, even for the same dtype).</summary>
    /// <param name="dtype">The target element type.</param>
    /// <remarks>
    /// Integer to integer wraps modulo 2^bits (numpy's behaviour: int32 300 becomes uint8 44).
    /// Float to integer truncates toward zero and saturates at the target's range; NaN becomes 0.
    /// Anything to float rounds to nearest.
    /// </remarks>
    public NDArray AsType(DType dtype)
    {
        var result = new NDArray(Allocate(dtype, (int)Size), 0, Shape, dtype, Size);
        switch (DType)
        {
            case DType.Float32: ConvertInto(AsSpan<float>(), result); break;
            case DType.Float64: ConvertInto(AsSpan<double>(), result); break;
            case DType.Int32: ConvertInto(AsSpan<int>(), result); break;
            case DType.Int64: ConvertInto(AsSpan<long>(), result); break;
            default: ConvertInto(AsSpan<byte>(), result); break;
        }
        return result;
    }

    private static void ConvertInto<TFrom>(ReadOnlySpan<TFrom> src, NDArray dst)
        where TFrom : unmanaged, INumberBase<TFrom>
    {
        switch (dst.DType)
        {
            case DType.Float32: Convert(src, dst.AsWritableSpan<float>()); break;
            case DType.Float64: Convert(src, dst.AsWritableSpan<double>()); break;
            case DType.Int32: Convert(src, dst.AsWritableSpan<int>()); break;
            case DType.Int64: Convert(src, dst.AsWritableSpan<long>()); break;
            default: Convert(src, dst.AsWritableSpan<byte>()); break;
        }
    }

    private static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> src, Span<TTo> dst)
        where TFrom : unmanaged, INumberBase<TFrom>
        where TTo : unmanaged, INumberBase<TTo>
    {
        if (typeof(TFrom) == typeof(TTo))
            src.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<TTo, TFrom>(dst));
        else if (IsFloat<TFrom>() && !IsFloat<TTo>())
            TensorPrimitives.ConvertSaturating(src, dst);
        else
            TensorPrimitives.ConvertTruncating(src, dst);
    }

    private static bool IsFloat<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    // ------------------------------------------------------------------ scalar arithmetic

    private enum ScalarOp { Add, Subtract, Multiply, Divide }

    /// <summary>Divides every element by a float scalar. float64 arrays stay float64; every other dtype gives float32.</summary>
    /// <param name="x">The array.</param>
    /// <param name="scalar">The divisor.</param>
    public static NDArray operator /(NDArray x, float scalar) => Apply(x, scalar, ScalarOp.Divide);

    /// <summary>Multiplies every element by a float scalar. float64 arrays stay float64; every other dtype gives float32.</summary>
    /// <param name="x">The array.</param>
    /// <param name="scalar">The factor.</param>
    public static NDArray operator *(NDArray x, float scalar) => Apply(x, scalar, ScalarOp.Multiply);

    /// <summary>Multiplies every element by a float scalar. float64 arrays stay float64; every other dtype gives float32.</summary>
    /// <param name="scalar">The factor.</param>
    /// <param name="x">The array.</param>
    public static NDArray operator *(float scalar, NDArray x) => Apply(x, scalar, ScalarOp.Multiply);

    /// <summary>Adds a float scalar to every element. float64 arrays stay float64; every other dtype gives float32.</summary>
    /// <param name="x">The array.</param>
    /// <param name="scalar">The addend.</param>
    public static NDArray operator +(NDArray x, float scalar) => Apply(x, scalar, ScalarOp.Add);

    /// <summary>Adds a float scalar to every element. float64 arrays stay float64; every other dtype gives float32.</summary>
    /// <param name="scalar">The addend.</param>
    /// <param name="x">The array.</param>
    public static NDArray operator +(float scalar, NDArray x) => Apply(x, scalar, ScalarOp.Add);

    /// <summary>Subtracts a float scalar from every element. float64 arrays stay float64; every other dtype gives float32.</summary>
    /// <param name="x">The array.</param>
    /// <param name="scalar">The subtrahend.</param>
    public static NDArray operator -(NDArray x, float scalar) => Apply(x, scalar, ScalarOp.Subtract);

    private static NDArray Apply(NDArray x, float scalar, ScalarOp op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.DType == DType.Float64)
        {
            var result64 = Zeros(DType.Float64, x._shape);
            Apply<double>(x.AsSpan<double>(), scalar, op, result64.AsWritableSpan<double>());
            return result64;
        }
        NDArray result;
        ReadOnlySpan<float> src;
        if (x.DType == DType.Float32)
        {
            result = Zeros(DType.Float32, x._shape);
            src = x.AsSpan<float>();
        }
        else
        {
            result = x.AsType(DType.Float32); // the conversion is the copy; the op then runs in place
            src = result.AsSpan<float>();
        }
        Apply<float>(src, scalar, op, result.AsWritableSpan<float>());
        return result;
    }

    private static void Apply<T>(ReadOnlySpan<T> x, float scalar, ScalarOp op, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = T.CreateChecked(scalar);
        switch (op)
        {
            case ScalarOp.Add: TensorPrimitives.Add(x, s, destination); break;
            case ScalarOp.Subtract: TensorPrimitives.Subtract(x, s, destination); break;
            case ScalarOp.Multiply: TensorPrimitives.Multiply(x, s, destination); break;
            default: TensorPrimitives.Divide(x, s, destination); break;
        }
    }
}
