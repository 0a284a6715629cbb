namespace KerasGpu.Tests.Activations;

/// <summary>The activations' formulas in float64, written from Keras' definitions: the oracle of the tests.</summary>
internal static class Reference
{
    public const double SeluAlpha = 1.6732632423543772848170429916717;
    public const double SeluScale = 1.0507009873554804934193349852946;

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>log(1 + eˣ) without overflow.</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    public static double Elu(double x, double alpha) => x >= 0 ? x : alpha * (Math.Exp(x) - 1);

    public static double HardSigmoid(double x) => Math.Clamp(x / 6 + 0.5, 0, 1);

    public static double GeluExact(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    public static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    /// <summary>
    /// erf in float64: its Maclaurin series below 2.5 (terms down to 1e-17 of the sum), above that 1 − erfc by the
    /// continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + ...)))).
    /// </summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        double result;
        if (a < 2.5)
        {
            double term = a, sum = a, a2 = a * a;
            for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
            {
                term *= -a2 / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double t = a;
            for (int n = 300; n >= 1; n--) t = a + n / 2.0 / t;
            result = 1 - Math.Exp(-a * a) / (Math.Sqrt(Math.PI) * t);
        }
        return x < 0 ? -result : result;
    }

    /// <summary>Softmax of each row of <paramref name="x"/> viewed as <c>[rows, cols]</c>.</summary>
    public static double[] SoftmaxRows(double[] x, int cols)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Length / cols; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            for (int j = 0; j < cols; j++) y[r * cols + j] = Math.Exp(row[j] - max) / sum;
        }
        return y;
    }

    /// <summary>
    /// Softmax (or log-softmax) over <paramref name="axes"/> of a row-major tensor of <paramref name="shape"/>, by explicit
    /// index arithmetic: each group of elements sharing the other axes' indices is normalized together.
    /// </summary>
    public static double[] SoftmaxOverAxes(double[] x, int[] shape, int[] axes, bool log)
    {
        int rank = shape.Length;
        var reduced = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        // Group key: the flat index with the reduced axes' coordinates set to 0.
        var groups = new Dictionary<long, List<int>>();
        for (int flat = 0; flat < x.Length; flat++)
        {
            long key = 0, rem = flat, stride = 1;
            for (int d = rank - 1; d >= 0; d--)
            {
                long coord = rem % shape[d];
                rem /= shape[d];
                if (!reduced.Contains(d)) key += coord * stride;
                stride *= shape[d];
            }
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(flat);
        }
        var y = new double[x.Length];
        foreach (var members in groups.Values)
        {
            double max = members.Max(i => x[i]);
            double logSum = Math.Log(members.Sum(i => Math.Exp(x[i] - max)));
            foreach (int i in members) y[i] = log ? x[i] - max - logSum : Math.Exp(x[i] - max - logSum);
        }
        return y;
    }
}
