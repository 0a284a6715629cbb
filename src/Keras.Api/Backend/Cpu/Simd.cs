using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

/// <summary>
/// The float vector operations the CPU kernels use, at one width. A kernel is written once, generic over an
/// <c>ISimd</c> struct and its vector type, and instantiated at the widest width the hardware runs
/// (<see cref="Simd512"/> with AVX-512, <see cref="Simd256"/> with AVX2, <see cref="Simd128"/> with SSE or Arm64's
/// NEON): generics over structs are specialised per
/// instantiation, so every call here inlines to the one instruction it names. Without the check a kernel written for
/// Vector512 alone falls back to its scalar loop on AVX2 machines (Zen 3 and most laptops), and one written for
/// Vector256 alone runs emulated, far slower, on Arm64.
/// </summary>
internal interface ISimd<TVec> where TVec : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Load(ref float source, nuint offset);

    static abstract void Store(TVec value, ref float destination, nuint offset);

    static abstract TVec Broadcast(float value);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Sqrt(TVec x);

    /// <summary>Lanes where x &gt; 0 keep <paramref name="ifPositive"/>; the others are zero.</summary>
    static abstract TVec WherePositive(TVec x, TVec ifPositive);

    /// <summary>Lanes whose magnitude is below <paramref name="threshold"/> become zero.</summary>
    static abstract TVec ZeroBelow(TVec x, TVec threshold);

    static abstract float Sum(TVec x);

    static abstract float Element(TVec x, int index);
}

/// <summary>Vector128 (SSE, or NEON on Arm64): four floats.</summary>
internal readonly struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> x) => Vector128.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> WherePositive(Vector128<float> x, Vector128<float> ifPositive) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), ifPositive, Vector128<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZeroBelow(Vector128<float> x, Vector128<float> threshold) =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(x), threshold), Vector128<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> x) => Vector128.Sum(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Element(Vector128<float> x, int index) => x.GetElement(index);
}

/// <summary>Vector256 (AVX2): eight floats.</summary>
internal readonly struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> x) => Vector256.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WherePositive(Vector256<float> x, Vector256<float> ifPositive) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), ifPositive, Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZeroBelow(Vector256<float> x, Vector256<float> threshold) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), threshold), Vector256<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> x) => Vector256.Sum(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Element(Vector256<float> x, int index) => x.GetElement(index);
}

/// <summary>Vector512 (AVX-512): sixteen floats.</summary>
internal readonly struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> x) => Vector512.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WherePositive(Vector512<float> x, Vector512<float> ifPositive) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), ifPositive, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZeroBelow(Vector512<float> x, Vector512<float> threshold) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), threshold), Vector512<float>.Zero, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> x) => Vector512.Sum(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Element(Vector512<float> x, int index) => x.GetElement(index);
}

/// <summary>A kernel body's loop over whole vectors, written once for every width (see <see cref="ISimd{TVec}"/>).</summary>
internal interface IVectorLoop
{
    /// <summary>Processes whole vectors from <paramref name="start"/> towards <paramref name="end"/>; returns where the
    /// scalar tail starts.</summary>
    int Vectorized<S, V>(int start, int end) where S : ISimd<V> where V : struct;
}

/// <summary>Runs an <see cref="IVectorLoop"/> at a backend's vector width.</summary>
internal static class VectorLoop
{
    /// <summary>The loop at <paramref name="vectorBits"/> (512, 256 or 128; anything else leaves every element to the
    /// scalar tail); returns where the tail starts.</summary>
    public static int Run<T>(in T loop, int vectorBits, int start, int end) where T : struct, IVectorLoop => vectorBits switch
    {
        512 => loop.Vectorized<Simd512, Vector512<float>>(start, end),
        256 => loop.Vectorized<Simd256, Vector256<float>>(start, end),
        128 => loop.Vectorized<Simd128, Vector128<float>>(start, end),
        _ => start,
    };
}
