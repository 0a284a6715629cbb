using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>Reductions over the middle axis of x viewed as [outer, axis, inner].</summary>
internal static class ReduceRef
{
    // y[o, i] = y0[o, i] + op_{a < axis} x[o, a, i]    (y0 = 0 unless accumulating)
    //   Sum: Σ_a x;  Mean: Σ_a x / axis;  Max: max_a x;  Min: min_a x (NaN propagates, as np.max / np.min).
    // Magnitude (Sum/Mean): |y0| + Σ_a |x| (/ axis). Max/Min are exact unless accumulating: then |y0| + |result| (one addition).
    public static (double[] Y, double[] Magnitude) Forward(ReduceOp op, double[] x, int outer, int axis, int inner, double[]? y0)
    {
        var y = new double[outer * inner];
        var mag = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                bool select = op is ReduceOp.Max or ReduceOp.Min;
                double acc = op == ReduceOp.Max ? double.NegativeInfinity : op == ReduceOp.Min ? double.PositiveInfinity : 0, abs = 0;
                for (int a = 0; a < axis; a++)
                {
                    double v = x[(o * axis + a) * inner + i];
                    if (select) acc = double.IsNaN(v) || double.IsNaN(acc) ? double.NaN : op == ReduceOp.Max ? Math.Max(acc, v) : Math.Min(acc, v);
                    else acc += v;
                    abs += Math.Abs(v);
                }
                if (op == ReduceOp.Mean) { acc /= axis; abs /= axis; }
                double before = y0?[o * inner + i] ?? 0;
                y[o * inner + i] = before + acc;
                mag[o * inner + i] = !select ? Math.Abs(before) + abs : y0 is null ? 0 : Math.Abs(before) + Math.Abs(acc);
            }
        return (y, mag);
    }
}
