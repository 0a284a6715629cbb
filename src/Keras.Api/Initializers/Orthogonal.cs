namespace KerasGpu.Initializers;

/// <summary>
/// An orthogonal matrix times <see cref="Gain"/> (Keras' <c>Orthogonal</c>). The shape is viewed as a matrix of
/// <c>prod(shape[..^1])</c> rows and <c>shape[^1]</c> columns; a standard-normal matrix of
/// <c>(max(rows, cols), min(rows, cols))</c> is factored as QR, Q's columns take the signs of R's diagonal (so the
/// result is Haar-distributed), and Q is transposed when there are fewer rows than columns. So the columns are
/// orthonormal when rows ≥ cols, and the rows otherwise. Computed in float64 on the host (Householder QR) from Philox
/// normals and uploaded once: identical on every backend for a given key.
/// </summary>
/// <param name="gain">Multiplier of the orthogonal matrix; default 1.</param>
/// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
public sealed class Orthogonal(double gain = 1.0, int? seed = null) : RandomInitializer(seed)
{
    /// <summary>Multiplier of the orthogonal matrix.</summary>
    public double Gain { get; } = gain;

    /// <inheritdoc />
    public override string Name => "orthogonal";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig()) { ["gain"] = Gain };

    internal override void CheckShape(int[] shape)
    {
        if (shape.Length < 2)
            throw new ArgumentException($"The tensor to initialize must be at least two-dimensional. Received: shape={Shapes.Format(shape)} of rank {shape.Length}.");
    }

    internal override void Fill(Tensor tensor)
    {
        CheckShape(tensor.Dims);
        int cols = tensor.Dims[^1];
        long rowsLong = Shapes.Size(tensor.Dims.AsSpan(0, tensor.Rank - 1));
        if (rowsLong * cols == 0) return;
        if (rowsLong > int.MaxValue) throw new ArgumentException($"Orthogonal initializer: shape {Shapes.Format(tensor.Dims)} has too many rows.");
        int rows = (int)rowsLong;
        int m = Math.Max(rows, cols), n = Math.Min(rows, cols);

        ulong key = DrawKey();
        var a = new double[m, n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) a[i, j] = PhiloxNormal.Sample(key, (ulong)i * (ulong)n + (ulong)j, truncated: false);
        var q = HouseholderQ(a, out var rDiagonal);

        var values = new float[(long)rows * cols];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                // sign(0) would zero a column; R's diagonal is almost surely non-zero, so 0 counts as positive.
                double v = Gain * q[i, j] * (rDiagonal[j] < 0 ? -1.0 : 1.0);
                if (rows >= cols) values[(long)i * cols + j] = (float)v;   // Q is rows × cols
                else values[(long)j * cols + i] = (float)v;               // Qᵀ is rows × cols
            }
        Upload(tensor, values);
    }

    /// <summary>
    /// The thin Q (m × n, m ≥ n) of <c>a = QR</c> by Householder reflections, and R's diagonal. <paramref name="a"/> is
    /// overwritten.
    /// </summary>
    internal static double[,] HouseholderQ(double[,] a, out double[] rDiagonal)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var reflectors = new double[n][];
        rDiagonal = new double[n];
        for (int k = 0; k < n; k++)
        {
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[i, k] * a[i, k];
            norm = Math.Sqrt(norm);
            var v = new double[m - k];
            if (norm == 0) { reflectors[k] = v; rDiagonal[k] = 0; continue; }
            double alpha = a[k, k] > 0 ? -norm : norm; // the sign that avoids cancellation
            for (int i = k; i < m; i++) v[i - k] = a[i, k];
            v[0] -= alpha;
            double vNorm = 0;
            foreach (double x in v) vNorm += x * x;
            vNorm = Math.Sqrt(vNorm);
            for (int i = 0; i < v.Length; i++) v[i] /= vNorm;
            reflectors[k] = v;
            ApplyReflector(a, v, k, k, n);
            rDiagonal[k] = alpha;
        }
        var q = new double[m, n];
        for (int j = 0; j < n; j++) q[j, j] = 1;
        for (int k = n - 1; k >= 0; k--) ApplyReflector(q, reflectors[k], k, 0, n);
        return q;
    }

    /// <summary><c>M[k:, c0:c1] −= 2 v (vᵀ M[k:, c0:c1])</c>.</summary>
    private static void ApplyReflector(double[,] matrix, double[] v, int k, int c0, int c1)
    {
        int m = matrix.GetLength(0);
        for (int j = c0; j < c1; j++)
        {
            double dot = 0;
            for (int i = k; i < m; i++) dot += v[i - k] * matrix[i, j];
            if (dot == 0) continue;
            for (int i = k; i < m; i++) matrix[i, j] -= 2 * dot * v[i - k];
        }
    }
}
