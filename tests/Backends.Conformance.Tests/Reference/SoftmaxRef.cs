namespace KerasGpu.Conformance;

/// <summary>Softmax along the last axis of a [rows, cols] view.</summary>
internal static class SoftmaxRef
{
    // m = max_k x_k;  S = Σ_k exp(x_k − m);  y_j = exp(x_j − m) / S.   (A NaN in a row makes the whole row NaN.)
    // Magnitude y_j·|x_j − m|: the float32 rounding of x_j − m becomes a relative error of that size after exp.
    public static (double[] Y, double[] Magnitude) Forward(double[] x, int rows, int cols)
    {
        var y = new double[rows * cols];
        var mag = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double m = Max(row), s = 0;
            foreach (double v in row) s += Math.Exp(v - m);
            for (int j = 0; j < cols; j++)
            {
                y[r * cols + j] = Math.Exp(row[j] - m) / s;
                mag[r * cols + j] = y[r * cols + j] * Math.Abs(row[j] - m);
            }
        }
        return (y, mag);
    }

    // dx_j = y_j·(dy_j − Σ_k dy_k·y_k)   (the Jacobian of softmax, diag(y) − y·yᵀ, applied to dy).
    // Magnitude |y_j|·(|dy_j| + Σ_k |dy_k·y_k|).
    public static (double[] Dx, double[] Magnitude) Backward(double[] y, double[] dy, int rows, int cols)
    {
        var dx = new double[rows * cols];
        var mag = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double dot = 0, absDot = 0;
            for (int k = 0; k < cols; k++) { dot += dy[r * cols + k] * y[r * cols + k]; absDot += Math.Abs(dy[r * cols + k] * y[r * cols + k]); }
            for (int j = 0; j < cols; j++)
            {
                int i = r * cols + j;
                dx[i] = y[i] * (dy[i] - dot);
                mag[i] = Math.Abs(y[i]) * (Math.Abs(dy[i]) + absDot);
            }
        }
        return (dx, mag);
    }

    public static double Max(ReadOnlySpan<double> row)
    {
        double m = double.NegativeInfinity;
        foreach (double v in row) m = double.IsNaN(v) || double.IsNaN(m) ? double.NaN : Math.Max(m, v);
        return m;
    }
}
