using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>Binary ops with NumPy broadcasting, and ScaleAdd.</summary>
internal static class ElementwiseRef
{
    public static double Apply(BinaryOp op, double a, double b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        // np.maximum / np.minimum: NaN in either input gives NaN.
        BinaryOp.Maximum => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a >= b ? a : b,
        BinaryOp.Minimum => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a <= b ? a : b,
        // C's pow (IEEE 754's special values): a negative base with a non-integer exponent is NaN, pow(x, ±0) = 1 and
        // pow(1, y) = 1 even for NaN, pow(−0, odd negative) = −∞, pow(−1, ±∞) = 1.
        BinaryOp.Power => Math.Pow(a, b),
        // Comparisons give 1 or 0; NaN compares false except in ≠ (np.greater etc.).
        BinaryOp.Greater => a > b ? 1 : 0,
        BinaryOp.GreaterEqual => a >= b ? 1 : 0,
        BinaryOp.Less => a < b ? 1 : 0,
        BinaryOp.LessEqual => a <= b ? 1 : 0,
        BinaryOp.Equal => a == b ? 1 : 0,
        BinaryOp.NotEqual => a != b ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Rounding scale: |a| + |b| for a sum or difference, |a ⊕ b| for a product or quotient, 0 for max/min and the
    /// comparisons (exact) and for Power (whose tolerance is relative).</summary>
    public static double Magnitude(BinaryOp op, double a, double b) => op switch
    {
        BinaryOp.Add or BinaryOp.Subtract => Math.Abs(a) + Math.Abs(b),
        BinaryOp.Multiply or BinaryOp.Divide => Math.Abs(Apply(op, a, b)),
        _ => 0,
    };

    /// <summary>
    /// NumPy broadcasting: shapes are right-aligned; an input dimension of size 1 (or a missing leading one) repeats.
    /// y[idx] = a[idx mapped into a] ⊕ b[idx mapped into b]. Returns (y, magnitude).
    /// </summary>
    public static (double[] Y, double[] Magnitude) Binary(BinaryOp op, double[] a, int[] aShape, double[] b, int[] bShape, int[] yShape)
    {
        int total = 1;
        foreach (int d in yShape) total *= d;
        var y = new double[total];
        var mag = new double[total];
        var index = new int[yShape.Length];
        for (int flat = 0; flat < total; flat++)
        {
            // Unravel the flat output index, row-major.
            for (int d = yShape.Length - 1, rest = flat; d >= 0; d--) { index[d] = rest % yShape[d]; rest /= yShape[d]; }
            double av = a[Source(index, aShape)], bv = b[Source(index, bShape)];
            y[flat] = Apply(op, av, bv);
            mag[flat] = Magnitude(op, av, bv);
        }
        return (y, mag);
    }

    private static int Source(int[] outIndex, int[] shape)
    {
        int offset = 0, lead = outIndex.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++) offset = offset * shape[d] + (shape[d] == 1 ? 0 : outIndex[lead + d]);
        return offset;
    }

    /// <summary>y = α·x + β·z, or α·x + β when z is absent. Magnitude |α·x| + |β·z| (or |β|).</summary>
    public static (double[] Y, double[] Magnitude) ScaleAdd(double[] x, double alpha, double[]? z, double beta)
    {
        var y = new double[x.Length];
        var mag = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double term = z is null ? beta : beta * z[i];
            y[i] = alpha * x[i] + term;
            mag[i] = Math.Abs(alpha * x[i]) + Math.Abs(term);
        }
        return (y, mag);
    }
}
