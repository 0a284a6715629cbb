using System.Runtime.InteropServices;
using ILGPU;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>
/// Float32 math for the unary and Power kernels, built only from IEEE float64 additions, multiplications, divisions,
/// conversions and bit casts, which every ILGPU accelerator computes exactly as the host does. Not MathF: on PTX,
/// ILGPU.Algorithms maps MathF.Sin/Cos/Exp/Log/Tanh to the hardware's approximate instructions (<c>sin.approx</c>,
/// <c>ex2.approx</c>, <c>tanh.approx</c>: a few float32 ulps at best, no range reduction for large arguments), so a
/// kernel would agree with the CPU backend only on the CPU accelerator. Here each function evaluates in float64 (range
/// reduction + a Taylor polynomial truncated far below float32 rounding) and rounds once to float32: within about an
/// ulp everywhere, and the same code runs, and is tested, on ilgpu:cpu. The price is float64 arithmetic, slow on consumer
/// GPUs, for elementwise kernels that are memory-bound anyway.
/// </summary>
internal static class DeviceMath
{
    private const double Log2E = 1.4426950408889634;
    // ln 2 split so that n·Ln2Hi is exact for |n| < 2¹¹ (Ln2Hi has 32 significant bits; fdlibm's constants).
    private const double Ln2Hi = 0.6931471803691238;
    private const double Ln2Lo = 1.9082149292705877e-10;
    private const double Sqrt2 = 1.4142135623730951;
    private const double HalfPi = 1.5707963267948966;
    private const double QuarterPi = 0.7853981633974483;

    /// <summary><c>2ᵏ</c> for <c>−1022 ≤ k ≤ 1023</c>, from its bits.</summary>
    private static double Pow2(int k) => Interop.IntAsFloat((ulong)(k + 1023) << 52);

    /// <summary>
    /// <c>eᵗ</c> in float64 (relative error ~1e-15): <c>t = n·ln 2 + r</c> with |r| ≤ ln 2 / 2, eʳ by its Taylor
    /// polynomial to r¹³ (truncation &lt; 5e-18), scaled by 2ⁿ in two steps so subnormal results stay exact.
    /// </summary>
    public static double Exp(double t)
    {
        if (double.IsNaN(t)) return t;
        if (t > 709.8) return double.PositiveInfinity;
        if (t < -745.2) return 0.0;
        int n = (int)(t * Log2E + (t >= 0 ? 0.5 : -0.5));
        double r = t - n * Ln2Hi - n * Ln2Lo;
        double p = 1.6059043836821613e-10;
        p = p * r + 2.08767569878681e-09;
        p = p * r + 2.505210838544172e-08;
        p = p * r + 2.755731922398589e-07;
        p = p * r + 2.7557319223985893e-06;
        p = p * r + 2.48015873015873e-05;
        p = p * r + 0.0001984126984126984;
        p = p * r + 0.001388888888888889;
        p = p * r + 0.008333333333333333;
        p = p * r + 0.041666666666666664;
        p = p * r + 0.16666666666666666;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        int half = n / 2;
        return p * Pow2(half) * Pow2(n - half);
    }

    /// <summary>
    /// Natural logarithm in float64 (relative error ~1e-15): <c>v = 2ᵉ·m</c> with m in [√2/2, √2], then
    /// <c>log m = 2·atanh f = 2(f + f³/3 + …)</c> for <c>f = (m − 1)/(m + 1)</c>, |f| ≤ 0.172, to f²³ (truncation &lt; 2e-20).
    /// −∞ at 0, NaN below 0 and for NaN, +∞ at +∞.
    /// </summary>
    public static double Log(double v)
    {
        if (!(v > 0)) return v == 0 ? double.NegativeInfinity : double.NaN;
        if (v == double.PositiveInfinity) return v;
        int bias = 0;
        if (v < 2.2250738585072014e-308)
        {
            v *= 18014398509481984.0; // 2⁵⁴: subnormals become normal
            bias = -54;
        }
        ulong bits = Interop.FloatAsInt(v);
        int e = (int)(bits >> 52) - 1023 + bias;
        double m = Interop.IntAsFloat((bits & 0x000FFFFFFFFFFFFFUL) | 0x3FF0000000000000UL);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }
        double f = (m - 1.0) / (m + 1.0), s = f * f;
        double p = 0.043478260869565216;
        p = p * s + 0.047619047619047616;
        p = p * s + 0.05263157894736842;
        p = p * s + 0.058823529411764705;
        p = p * s + 0.06666666666666667;
        p = p * s + 0.07692307692307693;
        p = p * s + 0.09090909090909091;
        p = p * s + 0.1111111111111111;
        p = p * s + 0.14285714285714285;
        p = p * s + 0.2;
        p = p * s + 0.3333333333333333;
        p = p * s + 1.0;
        return e * Ln2Hi + (e * Ln2Lo + 2.0 * f * p);
    }

    /// <summary><c>eᵗ − 1</c> by Kahan's form, as the CPU backend: <c>u = eᵗ; u == 1 ? t : (u − 1)·t / log u</c> (the ratio
    /// restores the bits <c>u − 1</c> loses).</summary>
    public static double Expm1(double t)
    {
        double u = Exp(t);
        if (u == 1.0) return t;
        double um1 = u - 1.0;
        return um1 == -1.0 || u == double.PositiveInfinity ? um1 : um1 * t / Log(u);
    }

    /// <summary><c>log(1 + t)</c> by Kahan's form, as the CPU backend: <c>u = 1 + t; u == 1 ? t : log u · t / (u − 1)</c>.</summary>
    public static double Log1p(double t)
    {
        double u = 1.0 + t;
        return u == 1.0 ? t : u == double.PositiveInfinity ? u : Log(u) * t / (u - 1.0);
    }

    /// <summary>eˣ.</summary>
    public static float Exp(float x) => (float)Exp((double)x);

    /// <summary>log x.</summary>
    public static float Log(float x) => (float)Log((double)x);

    /// <summary>eˣ − 1.</summary>
    public static float Expm1(float x) => (float)Expm1((double)x);

    /// <summary>log(1 + x).</summary>
    public static float Log1p(float x) => (float)Log1p((double)x);

    /// <summary><c>1 / (1 + e⁻ˣ)</c>.</summary>
    public static float Sigmoid(float x) => (float)(1.0 / (1.0 + Exp(-(double)x)));

    /// <summary><c>tanh x = e / (e + 2)</c> with <c>e = expm1(2|x|)</c>, sign copied; ±1 beyond |x| = 20; ±0 kept.</summary>
    public static float Tanh(float x)
    {
        if (x == 0f || float.IsNaN(x)) return x;
        double a = x < 0f ? -(double)x : x;
        double t = 1.0;
        if (a <= 20.0)
        {
            double e = Expm1(2.0 * a);
            t = e / (e + 2.0);
        }
        return (float)(x < 0f ? -t : t);
    }

    /// <summary><c>max(x, 0) + log1p(e^−|x|)</c>: log(1 + eˣ) without overflow (the CPU backend's formula).</summary>
    public static float Softplus(float x)
    {
        if (float.IsNaN(x)) return x;
        double v = x, a = v < 0 ? -v : v;
        return (float)((v > 0 ? v : 0.0) + Log1p(Exp(-a)));
    }

    /// <summary>sin x (NaN for ±∞).</summary>
    public static float Sin(float x)
    {
        if (float.IsNaN(x) || x == float.PositiveInfinity || x == float.NegativeInfinity) return float.NaN;
        var reduced = Reduce(x < 0f ? -x : x);
        double r = reduced.R;
        int quadrant = reduced.Quadrant;
        double s = (quadrant & 1) == 0 ? SinKernel(r) : CosKernel(r);
        if ((quadrant & 2) != 0) s = -s;
        return (float)(x < 0f ? -s : s);
    }

    /// <summary>cos x (NaN for ±∞).</summary>
    public static float Cos(float x)
    {
        if (float.IsNaN(x) || x == float.PositiveInfinity || x == float.NegativeInfinity) return float.NaN;
        var reduced = Reduce(x < 0f ? -x : x);
        double r = reduced.R;
        int quadrant = reduced.Quadrant;
        double c = (quadrant & 1) == 0 ? CosKernel(r) : SinKernel(r);
        if (((quadrant + 1) & 2) != 0) c = -c; // quadrants 1 and 2 are negative
        return (float)c;
    }

    /// <summary>sin r for |r| ≤ π/4: Taylor to r¹⁷ (truncation &lt; 5e-17).</summary>
    private static double SinKernel(double r)
    {
        double s = r * r;
        double p = 2.8114572543455206e-15;
        p = p * s - 7.647163731819816e-13;
        p = p * s + 1.6059043836821613e-10;
        p = p * s - 2.505210838544172e-08;
        p = p * s + 2.7557319223985893e-06;
        p = p * s - 0.0001984126984126984;
        p = p * s + 0.008333333333333333;
        p = p * s - 0.16666666666666666;
        return r + r * s * p;
    }

    /// <summary>cos r for |r| ≤ π/4: Taylor to r¹⁶ (truncation &lt; 3e-18).</summary>
    private static double CosKernel(double r)
    {
        double s = r * r;
        double p = 4.779477332387385e-14;
        p = p * s - 1.1470745597729725e-11;
        p = p * s + 2.08767569878681e-09;
        p = p * s - 2.755731922398589e-07;
        p = p * s + 2.48015873015873e-05;
        p = p * s - 0.001388888888888889;
        p = p * s + 0.041666666666666664;
        p = p * s - 0.5;
        return 1.0 + s * p;
    }

    /// <summary>
    /// Payne–Hanek reduction of a finite <paramref name="a"/> ≥ 0: <c>a = (q + f)·π/2</c> with |f| ≤ 1/2; returns
    /// <c>r = f·π/2</c> and q (its low two bits are q mod 4; returned in a struct, not an out parameter, to keep the device
    /// code free of address-taken locals). Exact for every float: a = M·2ᴱ (M &lt; 2²⁴), so a·2/π mod 4 needs only the bits of 2/π
    /// from 2^−(E−1) on; a 128-bit window of them times M, modulo 2¹²⁸, holds the quadrant in its top 2 bits and the
    /// fraction in the other 126 (error &lt; 2⁻¹⁰², far below the closest approach of a float to a multiple of π/2).
    /// </summary>
    private static ReducedAngle Reduce(float a)
    {
        if (a <= QuarterPi) return new ReducedAngle(a, 0);
        uint bits = Interop.FloatAsInt(a);
        uint mantissa = (bits & 0x7FFFFFu) | 0x800000u;
        int e = (int)(bits >> 23) - 150; // a = mantissa·2^e, e ≥ −24 here
        int p = e - 2;                   // 0-based offset of the window's first bit (bit 2^−(e−1) of 2/π)
        uint w0 = TwoOverPiBits(p), w1 = TwoOverPiBits(p + 32), w2 = TwoOverPiBits(p + 64), w3 = TwoOverPiBits(p + 96);
        ulong c = (ulong)mantissa * w3;
        uint p3 = (uint)c;
        c = (c >> 32) + (ulong)mantissa * w2;
        uint p2 = (uint)c;
        c = (c >> 32) + (ulong)mantissa * w1;
        uint p1 = (uint)c;
        c = (c >> 32) + (ulong)mantissa * w0;
        uint top = (uint)c;
        int quadrant = (int)(top >> 30);
        ulong hi = ((ulong)(top & 0x3FFFFFFFu) << 32) | p1, lo = ((ulong)p2 << 32) | p3; // fraction = (hi·2⁶⁴ + lo)/2¹²⁶
        double sign = 1.0;
        if ((top & 0x20000000u) != 0)
        {
            // f ≥ 1/2: round up to the next quadrant and take the negative remainder 2¹²⁶ − fraction.
            quadrant++;
            sign = -1.0;
            if (lo == 0) hi = (1UL << 62) - hi;
            else
            {
                hi = (1UL << 62) - hi - 1;
                lo = ~lo + 1;
            }
        }
        double f = hi * 2.168404344971009e-19 + lo * 1.1754943508222875e-38; // 2⁻⁶², 2⁻¹²⁶
        return new ReducedAngle(sign * f * HalfPi, quadrant);
    }

    /// <summary>32 bits of 2/π starting at 0-based bit offset <paramref name="p"/> (offset 0 is the 2⁻¹ bit); bits before
    /// the binary point are 0.</summary>
    private static uint TwoOverPiBits(int p)
    {
        if (p <= -32) return 0;
        if (p < 0) return TwoOverPiWord(0) >> -p;
        int j = p >> 5, shift = p & 31;
        return shift == 0 ? TwoOverPiWord(j) : (TwoOverPiWord(j) << shift) | (TwoOverPiWord(j + 1) >> (32 - shift));
    }

    /// <summary>The first 256 bits of 2/π in 32-bit words (fdlibm's table; enough for a float up to 2¹²⁸).</summary>
    private static uint TwoOverPiWord(int j) => j switch
    {
        0 => 0xA2F9836Eu,
        1 => 0x4E441529u,
        2 => 0xFC2757D1u,
        3 => 0xF534DDC0u,
        4 => 0xDB629599u,
        5 => 0x3C439041u,
        6 => 0xFE5163ABu,
        7 => 0xDEBBC561u,
        _ => 0u,
    };

    /// <summary>
    /// C's <c>powf</c>: special values first (pow(x, ±0) = 1, pow(1, y) = 1 even for NaN, a negative base needs an
    /// integer exponent, signed zeros and infinities by the exponent's parity), then <c>±exp(b·log|a|)</c> in float64.
    /// </summary>
    public static float Pow(float a, float b)
    {
        if (b == 0f || a == 1f) return 1f;
        if (float.IsNaN(a) || float.IsNaN(b)) return float.NaN;
        bool bIsInfinite = b == float.PositiveInfinity || b == float.NegativeInfinity;
        double absA = a < 0f ? -(double)a : a;
        if (bIsInfinite)
        {
            if (absA == 1.0) return 1f;
            return (absA < 1.0) == (b > 0f) ? 0f : float.PositiveInfinity;
        }
        // Integral b: beyond 2⁶³ every float is; below, b survives truncation. Floats ≥ 2²⁴ are even.
        bool bIsInteger = b > 9.2e18f || b < -9.2e18f || (float)(long)b == b;
        bool bIsOdd = bIsInteger && b < 16777216f && b > -16777216f && (((long)b) & 1) != 0;
        if (a == 0f || absA == double.PositiveInfinity)
        {
            // |a|^b is 0 or ∞; the sign is a's for odd integer b.
            bool zero = (a == 0f) == (b > 0f);
            bool negativeZeroOrInf = bIsOdd && (a < 0f || (a == 0f && 1f / a < 0f));
            float magnitude = zero ? 0f : float.PositiveInfinity;
            return negativeZeroOrInf ? -magnitude : magnitude;
        }
        if (a < 0f && !bIsInteger) return float.NaN; // a finite negative base needs an integer exponent
        bool negative = a < 0f && bIsOdd;
        double r = Exp(b * Log(absA));
        return (float)(negative ? -r : r);
    }

    /// <summary>Largest integer ≤ x, from a truncating conversion (exact below 2²³; larger floats are integers).</summary>
    public static float Floor(float x)
    {
        if (!(x > -8388608f && x < 8388608f)) return x;
        float r = (float)(int)x;
        if (r > x) r -= 1f;
        return r == 0f ? (x == 0f ? x : 0f) : r; // floor(±0) = ±0, floor(0.3) = +0
    }

    /// <summary>Smallest integer ≥ x; a result of zero takes x's sign (ceil(−0.5) = −0).</summary>
    public static float Ceil(float x)
    {
        if (!(x > -8388608f && x < 8388608f)) return x;
        float r = (float)(int)x;
        if (r < x) r += 1f;
        return r == 0f ? (x < 0f || (x == 0f && 1f / x < 0f) ? -0f : 0f) : r;
    }

    /// <summary>Nearest integer, halves to even (NumPy's round); ±0 and the sign of a zero result kept.</summary>
    public static float RoundHalfEven(float x)
    {
        if (!(x > -8388608f && x < 8388608f)) return x; // |x| ≥ 2²³ is integral already (and ±∞, NaN)
        float r = (float)(int)x;                        // toward zero, exact here
        if (r > x) r -= 1f;                             // now floor(x)
        float d = x - r;                                // exact, in [0, 1)
        if (d > 0.5f || (d == 0.5f && (((int)r) & 1) != 0)) r += 1f;
        return r == 0f ? (x < 0f || (x == 0f && 1f / x < 0f) ? -0f : 0f) : r;
    }

    /// <summary>
    /// erf in float32, the CPU backend's algorithm: below |x| = 1 the Maclaurin series to x²³ by Horner in x² with fused
    /// multiply-adds (exact ones, <see cref="KernelMath.FusedMultiplyAdd"/>); above, Abramowitz &amp; Stegun 7.1.26.
    /// </summary>
    public static float Erf(float x)
    {
        if (float.IsNaN(x)) return x;
        float a = x < 0f ? -x : x;
        if (a < 1f)
        {
            float x2 = x * x, p = -0.0000000013f;
            p = KernelMath.FusedMultiplyAdd(p, x2, 0.0000000150f);
            p = KernelMath.FusedMultiplyAdd(p, x2, -0.0000001644f);
            p = KernelMath.FusedMultiplyAdd(p, x2, 0.0000016475f);
            p = KernelMath.FusedMultiplyAdd(p, x2, -0.0000149247f);
            p = KernelMath.FusedMultiplyAdd(p, x2, 0.0001205533f);
            p = KernelMath.FusedMultiplyAdd(p, x2, -0.0008548327f);
            p = KernelMath.FusedMultiplyAdd(p, x2, 0.0052239776f);
            p = KernelMath.FusedMultiplyAdd(p, x2, -0.0268661706f);
            p = KernelMath.FusedMultiplyAdd(p, x2, 0.1128379167f);
            p = KernelMath.FusedMultiplyAdd(p, x2, -0.3761263890f);
            p = KernelMath.FusedMultiplyAdd(p, x2, 1.1283791671f);
            return x * p;
        }
        float t = 1f / (1f + 0.3275911f * a);
        float poly = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
        float r = 1f - poly * Exp(-a * a);
        return x < 0f ? -r : r;
    }
}

/// <summary>An angle reduced modulo π/2: <c>x = Quadrant·π/2 + R</c>, |R| ≤ π/4.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct ReducedAngle(double r, int quadrant)
{
    public readonly double R = r;
    public readonly int Quadrant = quadrant;
}
