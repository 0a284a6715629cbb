namespace KerasGpu.Conformance;

/// <summary>
/// Losses, one row per sample. Targets are given densely here (a sparse label l is the one-hot row e_l), which is exactly
/// how Keras' sparse crossentropies compute them (one_hot, then the dense formula).
/// </summary>
internal static class LossRef
{
    public static double[] OneHot(int[] labels, int cols)
    {
        var t = new double[labels.Length * cols];
        for (int r = 0; r < labels.Length; r++) t[r * cols + labels[r]] = 1;
        return t;
    }

    // Fused softmax + crossentropy from logits z (Keras from_logits=True: −Σ_j t_j·log_softmax(z)_j):
    //   lse = m + log Σ_j exp(z_j − m),  loss = −Σ_j t_j (z_j − lse) = lse·Σ_j t_j − Σ_j t_j z_j.
    // Magnitude Σ|t|(|m| + |log S| + 1) + Σ|t·z| (see Tolerances.SoftmaxCrossEntropyLoss).
    public static (double[] Loss, double[] Magnitude) SoftmaxCrossEntropy(double[] z, double[] t, int rows, int cols)
    {
        var loss = new double[rows];
        var mag = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            var zr = z.AsSpan(r * cols, cols);
            var tr = t.AsSpan(r * cols, cols);
            double m = SoftmaxRef.Max(zr), s = 0, mass = 0, absMass = 0, tz = 0, absTz = 0;
            foreach (double v in zr) s += Math.Exp(v - m);
            for (int j = 0; j < cols; j++) { mass += tr[j]; absMass += Math.Abs(tr[j]); tz += tr[j] * zr[j]; absTz += Math.Abs(tr[j] * zr[j]); }
            double lse = m + Math.Log(s);
            loss[r] = lse * mass - tz;
            mag[r] = absMass * (Math.Abs(m) + Math.Abs(Math.Log(s)) + 1) + absTz;
        }
        return (loss, mag);
    }

    // ∂loss_r/∂z_j = Σt·softmax(z)_j − t_j; times the upstream g_r:  dz = g·(p·Σt − t).   Magnitude |g|(p·Σ|t| + |t|).
    public static (double[] Dz, double[] Magnitude) SoftmaxCrossEntropyBackward(double[] p, double[] t, double[] g, int rows, int cols)
    {
        var dz = new double[rows * cols];
        var mag = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double mass = 0, absMass = 0;
            for (int j = 0; j < cols; j++) { mass += t[r * cols + j]; absMass += Math.Abs(t[r * cols + j]); }
            for (int j = 0; j < cols; j++)
            {
                int i = r * cols + j;
                dz[i] = g[r] * (p[i] * mass - t[i]);
                mag[i] = Math.Abs(g[r]) * (Math.Abs(p[i]) * absMass + Math.Abs(t[i]));
            }
        }
        return (dz, mag);
    }

    // Crossentropy of probabilities, Keras from_logits=False (keras/src/backend/*/nn.py categorical_crossentropy):
    //   s = Σ_j p_j,  q_j = p_j / s,  c_j = clip(q_j, ε, 1 − ε),  loss = −Σ_j t_j·log c_j.
    // Magnitude Σ|t|(|log c| + 1).
    public static (double[] Loss, double[] Magnitude) CrossEntropy(double[] p, double[] t, int rows, int cols, double eps)
    {
        var loss = new double[rows];
        var mag = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int j = 0; j < cols; j++) s += p[r * cols + j];
            for (int j = 0; j < cols; j++)
            {
                double c = Math.Clamp(p[r * cols + j] / s, eps, 1 - eps), tj = t[r * cols + j];
                loss[r] -= tj * Math.Log(c);
                mag[r] += Math.Abs(tj) * (Math.Abs(Math.Log(c)) + 1);
            }
        }
        return (loss, mag);
    }

    // Chain rule through the clip and the renormalisation:
    //   u_j = ∂loss/∂q_j = −t_j / q_j inside (ε, 1 − ε), 0 where the clip is active (the clip's gradient is 0 there);
    //   ∂q_j/∂p_k = (δ_jk − q_j) / s   ⇒   ∂loss/∂p_k = (u_k − Σ_j u_j q_j) / s;   times the upstream g_r.
    // Magnitude |g|(|u_k| + Σ|u·q|)/s.
    public static (double[] Dp, double[] Magnitude) CrossEntropyBackward(double[] p, double[] t, double[] g, int rows, int cols, double eps)
    {
        var dp = new double[rows * cols];
        var mag = new double[rows * cols];
        var u = new double[cols];
        for (int r = 0; r < rows; r++)
        {
            double s = 0, uq = 0, absUq = 0;
            for (int j = 0; j < cols; j++) s += p[r * cols + j];
            for (int j = 0; j < cols; j++)
            {
                double q = p[r * cols + j] / s;
                u[j] = q > eps && q < 1 - eps ? -t[r * cols + j] / q : 0;
                uq += u[j] * q;
                absUq += Math.Abs(u[j] * q);
            }
            for (int k = 0; k < cols; k++)
            {
                dp[r * cols + k] = g[r] * (u[k] - uq) / s;
                mag[r * cols + k] = Math.Abs(g[r]) * (Math.Abs(u[k]) + absUq) / Math.Abs(s);
            }
        }
        return (dp, mag);
    }

    // Mean squared error per row: loss_r = (1/cols)·Σ_j (p_j − t_j)².
    public static double[] SquaredError(double[] p, double[] t, int rows, int cols)
    {
        var loss = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < cols; j++) { double d = p[r * cols + j] - t[r * cols + j]; loss[r] += d * d; }
            loss[r] /= cols;
        }
        return loss;
    }

    // ∂loss_r/∂p_j = 2(p_j − t_j)/cols; times g_r.
    public static double[] SquaredErrorBackward(double[] p, double[] t, double[] g, int rows, int cols)
    {
        var dp = new double[rows * cols];
        for (int i = 0; i < dp.Length; i++) dp[i] = g[i / cols] * 2 * (p[i] - t[i]) / cols;
        return dp;
    }
}
