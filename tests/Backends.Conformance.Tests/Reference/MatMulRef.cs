using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>Y = act(op(A)·op(B) + bias), or Y = Y0 + op(A)·op(B) when accumulating.</summary>
internal static class MatMulRef
{
    // op(A)[i, p] = A[p, i] (stored [K, M]) when transposed, else A[i, p] (stored [M, K]).
    // op(B)[p, j] = B[j, p] (stored [N, K]) when transposed, else B[p, j] (stored [K, N]).
    // Y[i, j] = act( Σ_p op(A)[i, p]·op(B)[p, j] + bias[j] )   or   Y0[i, j] + Σ_p op(A)[i, p]·op(B)[p, j].
    public static double[] Forward(double[] a, double[] b, MatMulShape s, double[]? bias = null,
        ActivationKind activation = ActivationKind.Linear, double[]? y0 = null)
    {
        var y = new double[s.M * s.N];
        for (int i = 0; i < s.M; i++)
            for (int j = 0; j < s.N; j++)
            {
                double sum = y0?[i * s.N + j] ?? 0;
                for (int p = 0; p < s.K; p++)
                {
                    double aip = s.TransposeA ? a[p * s.M + i] : a[i * s.K + p];
                    double bpj = s.TransposeB ? b[j * s.K + p] : b[p * s.N + j];
                    sum += aip * bpj;
                }
                if (bias is not null) sum += bias[j];
                y[i * s.N + j] = ActivationRef.Forward(activation, sum);
            }
        return y;
    }

    /// <summary>The rounding-error scale <c>|Y0| + |op(A)|·|op(B)| + |bias|</c>.</summary>
    public static double[] Magnitude(double[] a, double[] b, MatMulShape s, double[]? bias, double[]? y0) =>
        Forward(Abs(a), Abs(b), s, bias is null ? null : Abs(bias), ActivationKind.Linear, y0 is null ? null : Abs(y0));

    /// <summary>
    /// Gradients of <c>L = Σ dY ⊙ (op(A)·op(B))</c> with respect to the stored A and B, each itself one MatMul:
    /// d op(A) = dY·op(B)ᵀ and d op(B) = op(A)ᵀ·dY, transposed back to the storage layout when the flag is set.
    /// Returns the shapes of those two MatMuls so a backend can run exactly the same launches.
    /// </summary>
    public static (MatMulShape DA, bool DAFromDyFirst, MatMulShape DB, bool DBFromDyFirst) BackwardShapes(MatMulShape s)
    {
        var (m, n, k, ta, tb) = s;
        return (ta, tb) switch
        {
            // dA[M,K] = dY·Bᵀ ; dB[K,N] = Aᵀ·dY
            (false, false) => (new(m, k, n, false, true), true, new(k, n, m, true, false), false),
            // dA[K,M] = B·dYᵀ ; dB[K,N] = A·dY
            (true, false) => (new(k, m, n, false, true), false, new(k, n, m, false, false), false),
            // dA[M,K] = dY·B ; dB[N,K] = dYᵀ·A
            (false, true) => (new(m, k, n, false, false), true, new(n, k, m, true, false), true),
            // dA[K,M] = Bᵀ·dYᵀ ; dB[N,K] = dYᵀ·Aᵀ
            (true, true) => (new(k, m, n, true, true), false, new(n, k, m, true, true), true),
        };
    }

    public static (double[] DA, double[] DB) Backward(double[] a, double[] b, MatMulShape s, double[] dy)
    {
        var (sa, dyFirstA, sb, dyFirstB) = BackwardShapes(s);
        return (dyFirstA ? Forward(dy, b, sa) : Forward(b, dy, sa), dyFirstB ? Forward(dy, a, sb) : Forward(a, dy, sb));
    }

    public static double[] Abs(double[] x) => Array.ConvertAll(x, Math.Abs);
}
