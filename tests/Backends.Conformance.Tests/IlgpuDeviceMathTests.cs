using System.Globalization;
using KerasGpu.Backend;
using KerasGpu.Backends.Ilgpu.Kernels;

namespace KerasGpu.Conformance;

/// <summary>
/// The ILGPU kernels' float32 math (<see cref="DeviceMath"/>: float64 range reduction and polynomials, rounded once) is
/// plain C#, so it is swept here on the host over a fixed sample of every binade of float32 (every 997th bit pattern, both
/// signs) against the float64 reference, in float32 ulps of the reference: an evaluation in float64 rounded once is within
/// half an ulp plus a hair, so the bound is one ulp (integer rounding: exact). The conformance theories cover the kernels that call it; this sweep
/// covers arguments no case table lists (every exponent, Payne–Hanek reductions of huge sin/cos arguments).
/// </summary>
public sealed class IlgpuDeviceMathTests
{
    /// <summary>Distance from <paramref name="got"/> to <paramref name="reference"/> in ulps of the float nearest the reference
    /// (subnormal ulps below FLT_MIN); NaN must meet NaN and an infinite (or overflowing) reference its infinity.</summary>
    private static double UlpError(float got, double reference)
    {
        if (double.IsNaN(reference)) return float.IsNaN(got) ? 0 : double.PositiveInfinity;
        float r = (float)reference;
        if (float.IsInfinity(r)) return got == r ? 0 : double.PositiveInfinity;
        double ulp = Math.Max(Math.Abs((double)MathF.BitIncrement(Math.Abs(r)) - Math.Abs(r)), float.Epsilon);
        if (Math.Abs(r) == float.MaxValue) ulp = Math.Abs((double)r - MathF.BitDecrement(r));
        return float.IsNaN(got) ? double.PositiveInfinity : Math.Abs(got - reference) / ulp;
    }

    private static IEnumerable<float> Sample()
    {
        for (uint bits = 0; bits < 0x7F800000u; bits += 997)
        {
            yield return BitConverter.UInt32BitsToSingle(bits);
            yield return -BitConverter.UInt32BitsToSingle(bits);
        }
    }

    public static TheoryData<UnaryOp> SweptOps => new()
    {
        UnaryOp.Exp, UnaryOp.Expm1, UnaryOp.Log, UnaryOp.Log1p, UnaryOp.Sin, UnaryOp.Cos, UnaryOp.Tanh, UnaryOp.Sigmoid,
        UnaryOp.Softplus, UnaryOp.Round, UnaryOp.Floor, UnaryOp.Ceil,
    };

    [Theory, MemberData(nameof(SweptOps))]
    public void Unary_IsWithinItsUlpBound(UnaryOp op)
    {
        double worst = 0;
        float worstX = 0;
        foreach (float x in Sample())
        {
            double e = UlpError(KernelMath.Unary((int)op, x), MathRef.Unary(op, x));
            if (e > worst) { worst = e; worstX = x; }
        }
        // Integer rounding is exact; the rest round a float64 value once.
        double bound = op is UnaryOp.Round or UnaryOp.Floor or UnaryOp.Ceil ? 0 : 1;
        Assert.True(worst <= bound, string.Create(CultureInfo.InvariantCulture, $"{op}: {worst:G4} ulps at x = {worstX:R}"));
    }

    /// <summary>Power over bases from every binade (every 99,991st bit pattern, both signs) and exponents of both signs,
    /// integral (odd and even) and not, small and large.</summary>
    [Fact]
    public void Power_IsWithinOneUlp()
    {
        float[] exponents = [-40f, -3f, -2.5f, -1f, -0.5f, 1f / 3, 0.5f, 1f, 2f, 3f, 7.25f, 30f, 1e-3f, -129.5f];
        double worst = 0;
        (float A, float B) at = default;
        for (uint bits = 0; bits < 0x7F800000u; bits += 99991)
            foreach (float a in new[] { BitConverter.UInt32BitsToSingle(bits), -BitConverter.UInt32BitsToSingle(bits) })
                foreach (float b in exponents)
                {
                    double e = UlpError(DeviceMath.Pow(a, b), ElementwiseRef.Apply(BinaryOp.Power, a, b));
                    if (e > worst) { worst = e; at = (a, b); }
                }
        Assert.True(worst <= 1, string.Create(CultureInfo.InvariantCulture, $"Power: {worst:G4} ulps at pow({at.A:R}, {at.B:R})"));
    }

    /// <summary>erf (the CPU backend's float32 algorithm) over the same sweep, within <see cref="Tolerances.ErfRelative"/>.</summary>
    [Fact]
    public void Erf_IsWithinItsBound()
    {
        double worst = 0;
        float worstX = 0;
        foreach (float x in Sample())
        {
            double reference = MathRef.Erf(x), error = Math.Abs(DeviceMath.Erf(x) - reference) / Math.Max(Math.Abs(reference), Tolerances.Tiny);
            if (!(error <= worst)) { worst = error; worstX = x; }
        }
        Assert.True(worst <= Tolerances.ErfRelative, string.Create(CultureInfo.InvariantCulture, $"erf: relative error {worst:G4} at x = {worstX:R}"));
    }
}
