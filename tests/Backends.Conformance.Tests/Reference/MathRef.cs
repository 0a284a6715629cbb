using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>Unary math, Where and Cast in float64: what each op computes, with NumPy's special values.</summary>
internal static class MathRef
{
    public static double Unary(UnaryOp op, double x) => op switch
    {
        UnaryOp.Negative => -x,
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Sign => double.IsNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0, // np.sign: NaN stays NaN
        UnaryOp.Square => x * x,
        UnaryOp.Sqrt => Math.Sqrt(x),                                     // NaN below 0
        UnaryOp.Reciprocal => 1 / x,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Expm1 => Expm1(x),
        UnaryOp.Log => Math.Log(x),                                       // −∞ at ±0, NaN below 0
        UnaryOp.Log1p => Log1p(x),
        UnaryOp.Sin => Math.Sin(x),
        UnaryOp.Cos => Math.Cos(x),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Sigmoid => 1 / (1 + Math.Exp(-x)),
        UnaryOp.Softplus => double.IsNaN(x) ? x : Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x))), // log(1 + eˣ) without overflow
        UnaryOp.Erf => Erf(x),
        UnaryOp.Floor => Math.Floor(x),
        UnaryOp.Ceil => Math.Ceiling(x),
        UnaryOp.Round => Math.Round(x, MidpointRounding.ToEven),          // np.round: halves to even
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static double[] Unary(UnaryOp op, double[] x) => Array.ConvertAll(x, v => Unary(op, v));

    /// <summary>eˣ − 1: the series below |x| = 1e-5 (where exp(x) − 1 would cancel), the direct difference above.</summary>
    public static double Expm1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    /// <summary>log(1 + x): the series below |x| = 1e-5, Math.Log(1 + x) above (whose cancellation error, ≤ 1e-16/|x|
    /// relative, stays below 1e-11 there).</summary>
    public static double Log1p(double x) => Math.Abs(x) < 1e-5 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);

    /// <summary>
    /// erf in float64. |x| &lt; 3: <c>erf x = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))</c>, a series of positive terms
    /// (no cancellation), summed until a term no longer changes the sum. |x| ≥ 3: <c>1 − erfc x</c> with erfc's continued
    /// fraction <c>e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))</c>, evaluated bottom-up from depth 60
    /// (at x ≥ 3 it has converged far below float64 rounding by then). Checked against tabulated values in
    /// <see cref="MathReferenceTests"/>.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        double r;
        if (a < 3)
        {
            double term = a, sum = a, a2 = a * a;
            for (int n = 0; n < 200; n++)
            {
                term *= 2 * a2 / (2 * n + 3);
                double next = sum + term;
                if (next == sum) break;
                sum = next;
            }
            r = 2 / Math.Sqrt(Math.PI) * Math.Exp(-a2) * sum;
        }
        else r = 1 - Erfc(a);
        return Math.CopySign(r, x);
    }

    /// <summary>erfc for x ≥ 3 by its continued fraction (see <see cref="Erf"/>); 0 at +∞.</summary>
    public static double Erfc(double x)
    {
        if (double.IsPositiveInfinity(x)) return 0;
        double f = x;
        for (int k = 60; k >= 1; k--) f = x + k / 2.0 / f;
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>np.where: the condition is true when it is not 0 (NaN is true, −0 is false).</summary>
    public static double Where(double condition, double a, double b) => condition != 0 ? a : b;

    /// <summary>float32 → int32 truncates toward zero (C's conversion; inputs are within int32's range).</summary>
    public static int ToInt(float x) => (int)Math.Truncate((double)x);

    /// <summary>int32 → float32: the integer rounded once to the nearest float, ties to even (IEEE's conversion).</summary>
    public static float ToFloat(int x) => (float)(double)x;
}
