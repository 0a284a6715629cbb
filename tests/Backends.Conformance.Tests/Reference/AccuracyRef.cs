using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>Keras' accuracies, summed over rows (keras/src/metrics/accuracy_metrics.py).</summary>
internal static class AccuracyRef
{
    // SparseCategorical: [argmax(p_r) == label_r];  Categorical: [argmax(p_r) == argmax(t_r)];
    // Binary: (1/cols)·Σ_j [(p_rj > 0.5) == t_rj]  (strictly greater, as ops.greater(y_pred, threshold)).
    // argmax is NumPy's: the first index of the maximum.
    public static double Count(AccuracyKind kind, double[] p, double[]? t, int[]? labels, int rows, int cols)
    {
        double correct = 0;
        for (int r = 0; r < rows; r++)
        {
            var pr = p.AsSpan(r * cols, cols);
            correct += kind switch
            {
                AccuracyKind.SparseCategorical => ArgMax(pr) == labels![r] ? 1 : 0,
                AccuracyKind.Categorical => ArgMax(pr) == ArgMax(t.AsSpan(r * cols, cols)) ? 1 : 0,
                AccuracyKind.Binary => BinaryMatches(pr, t.AsSpan(r * cols, cols)) / cols,
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
        return correct;
    }

    private static int ArgMax(ReadOnlySpan<double> x)
    {
        int best = 0;
        for (int j = 1; j < x.Length; j++) if (x[j] > x[best]) best = j;
        return best;
    }

    private static double BinaryMatches(ReadOnlySpan<double> p, ReadOnlySpan<double> t)
    {
        double matches = 0;
        for (int j = 0; j < p.Length; j++) matches += (p[j] > 0.5 ? 1 : 0) == t[j] ? 1 : 0;
        return matches;
    }
}
