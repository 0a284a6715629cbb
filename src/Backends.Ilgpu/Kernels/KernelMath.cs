using ILGPU;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>Scalar device functions shared by the kernels. Comparisons are written so that NaN propagates exactly as in
/// the CPU backend (NumPy's rules).</summary>
internal static class KernelMath
{
    public const float SmallestNormal = 1.17549435e-38f;

    /// <summary>The activation of <see cref="KerasGpu.Backend.ActivationKind"/> number <paramref name="kind"/>. Sigmoid and
    /// tanh come from <see cref="DeviceMath"/> (the Unary kernel's functions): MathF.Tanh becomes <c>tanh.approx</c>
    /// (≈ 2⁻¹¹ relative) on recent PTX targets.</summary>
    public static float Activate(int kind, float x) => kind switch
    {
        1 => float.IsNaN(x) ? x : x > 0f ? x : 0f,
        2 => DeviceMath.Sigmoid(x),
        3 => DeviceMath.Tanh(x),
        _ => x,
    };

    /// <summary><c>dy·act'(x)</c> from the output <paramref name="y"/>.</summary>
    public static float ActivationGradient(int kind, float y, float dy) => kind switch
    {
        1 => y > 0f ? dy : 0f,
        2 => dy * y * (1f - y),
        3 => dy * (1f - y * y),
        _ => dy,
    };

    /// <summary>NaN-propagating maximum (MathF.Max's rule).</summary>
    public static float Max(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : a > b ? a : b == a ? (a == 0f && !IsNegativeZero(a) ? a : b) : b;

    /// <summary>NaN-propagating minimum (MathF.Min's rule).</summary>
    public static float Min(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : a < b ? a : b == a ? (IsNegativeZero(a) ? a : b) : b;

    private static bool IsNegativeZero(float x) => x == 0f && 1f / x < 0f;

    /// <summary>The binary op of <see cref="KerasGpu.Backend.BinaryOp"/> number <paramref name="op"/>; comparisons give 1 or 0
    /// (false for NaN, except ≠).</summary>
    public static float Binary(int op, float a, float b) => op switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        3 => a / b,
        4 => Max(a, b),
        5 => Min(a, b),
        6 => DeviceMath.Pow(a, b),
        7 => a > b ? 1f : 0f,
        8 => a >= b ? 1f : 0f,
        9 => a < b ? 1f : 0f,
        10 => a <= b ? 1f : 0f,
        11 => a == b ? 1f : 0f,
        _ => a != b ? 1f : 0f,
    };

    /// <summary>The unary op of <see cref="KerasGpu.Backend.UnaryOp"/> number <paramref name="op"/> (NaN propagates).</summary>
    public static float Unary(int op, float x) => op switch
    {
        0 => -x,
        1 => x < 0f ? -x : x == 0f ? 0f : x,           // |−0| = +0; NaN stays NaN
        2 => x > 0f ? 1f : x < 0f ? -1f : x,            // ±0 and NaN pass through
        3 => x * x,
        4 => MathF.Sqrt(x),                             // IEEE sqrt (sqrt.rn on PTX)
        5 => 1f / x,
        6 => DeviceMath.Exp(x),
        7 => DeviceMath.Expm1(x),
        8 => DeviceMath.Log(x),
        9 => DeviceMath.Log1p(x),
        10 => DeviceMath.Sin(x),
        11 => DeviceMath.Cos(x),
        12 => DeviceMath.Tanh(x),
        13 => DeviceMath.Sigmoid(x),
        14 => DeviceMath.Softplus(x),
        15 => DeviceMath.Erf(x),
        16 => DeviceMath.Floor(x),
        17 => DeviceMath.Ceil(x),
        _ => DeviceMath.RoundHalfEven(x),
    };

    /// <summary>The starting value of reduction <paramref name="op"/> (<see cref="KerasGpu.Backend.ReduceOp"/>): −∞ for Max,
    /// +∞ for Min, 0 for Sum and Mean.</summary>
    public static float ReduceIdentity(int op) => op == 2 ? float.NegativeInfinity : op == 3 ? float.PositiveInfinity : 0f;

    /// <summary>One step of reduction <paramref name="op"/>: a sum, or a NaN-propagating max/min (np.max, np.min).</summary>
    public static float ReduceCombine(int op, float acc, float v) => op switch
    {
        2 => float.IsNaN(acc) ? acc : float.IsNaN(v) || v > acc ? v : acc,
        3 => float.IsNaN(acc) ? acc : float.IsNaN(v) || v < acc ? v : acc,
        _ => acc + v,
    };

    /// <summary>Denormal flush of the optimizers (as the CPU backend).</summary>
    public static float FlushDenormal(float x) => MathF.Abs(x) < SmallestNormal ? 0f : x;

    /// <summary>
    /// <c>fma(a, b, c)</c> for floats, correctly rounded, from operations every ILGPU backend compiles (ILGPU 1.5.3's PTX
    /// backend emits <c>MathF.FusedMultiplyAdd</c> as a call of an undefined function). <c>a·b</c> is exact in double
    /// (24 + 24 bits); <c>s = a·b + c</c> rounded to double, and TwoSum's <c>e</c> is the exact remainder. Rounding s to
    /// float gives the fused result unless s lies exactly halfway between two floats; then e says on which side the exact
    /// value lies. A PTX compiler contracting <c>a·b + c</c> into a double fma changes nothing, since a·b is exact.
    /// Needs double precision (CUDA; OpenCL with cl_khr_fp64).
    /// </summary>
    public static float FusedMultiplyAdd(float a, float b, float c)
    {
        double p = (double)a * b;
        double s = p + c;
        double bb = s - p;
        double e = (p - (s - bb)) + (c - bb);
        float f = (float)s;
        double df = f;
        if (e == 0.0 || df == s || float.IsInfinity(f) || float.IsNaN(f)) return f;
        float g = df < s ? NextUp(f) : NextDown(f); // the float on s's other side
        if ((df + g) * 0.5 != s) return f;          // not a midpoint: rounding s to float already rounds the exact value
        return (e > 0.0) == (g > f) ? g : f;
    }

    /// <summary>The next float toward +∞ (finite, non-NaN input).</summary>
    public static float NextUp(float x)
    {
        if (x == 0f) return Interop.IntAsFloat(1u);
        uint bits = Interop.FloatAsInt(x);
        return Interop.IntAsFloat(x > 0f ? bits + 1 : bits - 1);
    }

    /// <summary>The next float toward −∞ (finite, non-NaN input).</summary>
    public static float NextDown(float x)
    {
        if (x == 0f) return Interop.IntAsFloat(0x80000001u);
        uint bits = Interop.FloatAsInt(x);
        return Interop.IntAsFloat(x > 0f ? bits - 1 : bits + 1);
    }

    public static float Clamp(float v, float lo, float hi) => v < lo ? lo : v > hi ? hi : v;
}
