namespace KerasGpu.Conformance;

/// <summary>
/// One update step per optimizer, in place, as Keras 3 writes it (keras/src/optimizers/sgd.py, rmsprop.py, adam.py;
/// checked against the source). Hyperparameters arrive as the float32 values the backend receives.
/// </summary>
internal static class OptimizerRef
{
    // SGD:          w ← w − lr·g
    // momentum:     m ← μ·m − lr·g;  w ← w + m
    // Nesterov:     m ← μ·m − lr·g;  w ← w + μ·m − lr·g      (with the updated m)
    public static void Sgd(double[] w, double[] g, double[]? m, double lr, double mu, bool nesterov)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (m is null) { w[i] -= lr * g[i]; continue; }
            m[i] = mu * m[i] - lr * g[i];
            w[i] += nesterov ? mu * m[i] - lr * g[i] : m[i];
        }
    }

    // RMSprop:      v ← ρ·v + (1 − ρ)·g²
    // centered:     ḡ ← ρ·ḡ + (1 − ρ)·g;  d = v − ḡ²     (else d = v)
    //               inc = lr·g / sqrt(d + ε)
    // momentum:     m ← μ·m + inc;  w ← w − m             (else w ← w − inc)
    public static void RmsProp(double[] w, double[] g, double[] v, double[]? m, double[]? avg, double lr, double rho, double mu, double eps)
    {
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
            double d = v[i];
            if (avg is not null)
            {
                avg[i] = rho * avg[i] + (1 - rho) * g[i];
                d = v[i] - avg[i] * avg[i];
            }
            double inc = lr * g[i] / Math.Sqrt(d + eps);
            if (m is null) { w[i] -= inc; continue; }
            m[i] = mu * m[i] + inc;
            w[i] -= m[i];
        }
    }

    // Adam:         m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2)
    // AMSGrad:      v̂ ← max(v̂, v), used in place of v below
    //               w ← w − α·m / (sqrt(v) + ε),   α = lr·sqrt(1 − β2^t)/(1 − β1^t) computed by the caller
    public static void Adam(double[] w, double[] g, double[] m, double[] v, double[]? vHat, double alpha, double beta1, double beta2, double eps)
    {
        for (int i = 0; i < w.Length; i++)
        {
            m[i] += (g[i] - m[i]) * (1 - beta1);
            v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
            double vi = v[i];
            if (vHat is not null) vi = vHat[i] = Math.Max(vHat[i], v[i]);
            w[i] -= alpha * m[i] / (Math.Sqrt(vi) + eps);
        }
    }

    /// <summary>Rounding scale of an updated buffer: |old| + |new| + |new − old|.</summary>
    public static double[] Magnitude(double[] before, double[] after)
    {
        var mag = new double[before.Length];
        for (int i = 0; i < mag.Length; i++) mag[i] = Math.Abs(before[i]) + Math.Abs(after[i]) + Math.Abs(after[i] - before[i]);
        return mag;
    }
}
