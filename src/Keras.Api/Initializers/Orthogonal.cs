namespace KerasGpu.Initializers;

/// <summary>
/// An orthogonal matrix times <see cref="Gain"/> (Keras' <c>Orthogonal</c>). The shape is viewed as a matrix of
/// <c>prod(shape[..^1])</c> rows and <c>shape[^1]</c> columns; a standard-normal matrix of
/// <c>(max(rows, cols), min(rows, cols))</c> is factored as QR, Q's columns take the signs of R's diagonal (so the
/// result is Haar-distributed), and Q is transposed when there are fewer rows than columns. So the columns are
/// orthonormal when rows ≥ cols, and the rows otherwise. Computed in float64 on the host (Householder QR) from Philox
/// normals and uploaded once: identical on every backend for a given key. The host work is O(m·n²) for
/// m = max(rows, cols), n = min(rows, cols): milliseconds for typical recurrent kernels, seconds around 1024 × 1024.
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
        // Column-major: columns[j][i] is a[i, j], so reflections run over contiguous memory.
        var columns = new double[n][];
        for (int j = 0; j < n; j++)
        {
            columns[j] = new double[m];
            for (int i = 0; i < m; i++) columns[j][i] = PhiloxNormal.Sample(key, (ulong)i * (ulong)n + (ulong)j, truncated: false);
        }
        var q = HouseholderQ(columns, m, out var rDiagonal);

        var values = new float[(long)rows * cols];
        for (int j = 0; j < n; j++)
        {
            // sign(0) would zero a column; R's diagonal is almost surely non-zero, so 0 counts as positive.
            double scale = Gain * (rDiagonal[j] < 0 ? -1.0 : 1.0);
            for (int i = 0; i < m; i++)
            {
                if (rows >= cols) values[(long)i * cols + j] = (float)(scale * q[j][i]);   // Q is rows × cols
                else values[(long)j * cols + i] = (float)(scale * q[j][i]);               // Qᵀ is rows × cols
            }
        }
        Upload(tensor, values);
    }

    /// <summary>
    /// The thin Q (m × n, m ≥ n) of <c>a = QR</c> by Householder reflections, and R's diagonal. Matrices are column-major
    /// (<c>columns[j][i]</c> = element (i, j)); <paramref name="columns"/> is overwritten.
    /// </summary>
    internal static double[][] HouseholderQ(double[][] columns, int m, out double[] rDiagonal)
    {
        int n = columns.Length;
        var reflectors = new double[n][];
        rDiagonal = new double[n];
        for (int k = 0; k < n; k++)
        {
            var x = columns[k].AsSpan(k);
            double norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<double>(x, x));
            var v = x.ToArray();
            reflectors[k] = v;
            if (norm == 0) continue; // a zero column: no reflection, R's diagonal entry is 0
            double alpha = x[0] > 0 ? -norm : norm; // the sign that avoids cancellation
            v[0] -= alpha;
            double vNorm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<double>(v, v));
            System.Numerics.Tensors.TensorPrimitives.Divide(v, vNorm, v);
            Reflect(columns, v, k, k + 1, n);
            rDiagonal[k] = alpha;
        }
        var q = new double[n][];
        for (int j = 0; j < n; j++)
        {
            q[j] = new double[m];
            q[j][j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) Reflect(q, reflectors[k], k, k, n); // columns left of k are still e_j there
        return q;
    }

    /// <summary><c>M[k:, c0:c1] −= 2 v (vᵀ M[k:, c0:c1])</c>, one column per task when the work is large.</summary>
    private static void Reflect(double[][] columns, double[] v, int k, int c0, int c1)
    {
        void Column(int j)
        {
            var c = columns[j].AsSpan(k);
            double dot = System.Numerics.Tensors.TensorPrimitives.Dot<double>(v, c);
            if (dot != 0) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<double>(v, -2 * dot, c, c);
        }
        if ((long)v.Length * (c1 - c0) < 1 << 17) for (int j = c0; j < c1; j++) Column(j);
        else Parallel.For(c0, c1, Column);
    }
}
