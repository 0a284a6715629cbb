namespace KerasGpu.Regularizers;

/// <summary>
/// Encourages the rows (or columns) of a matrix to be orthogonal (Keras' <c>OrthogonalRegularizer</c>): the vectors are
/// L2-normalised (<c>v · rsqrt(max(|v|², ε²))</c>, ε = <see cref="Keras.Config.Epsilon"/>), and the penalty is
/// <c>factor · ½ · sum(|off-diagonal of the Gram matrix|) / (size · (size − 1) / 2)</c>, i.e. the factor times the mean
/// absolute cosine between distinct vectors.
/// </summary>
public sealed class OrthogonalRegularizer : Regularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="factor">The factor (finite, non-negative); default 0.01.</param>
    /// <param name="mode"><c>"rows"</c> (default) or <c>"columns"</c>.</param>
    /// <exception cref="ArgumentException">An argument is out of its domain.</exception>
    public OrthogonalRegularizer(double factor = 0.01, string mode = "rows")
    {
        Factor = ValidateFactor(factor, "factor");
        if (mode is not ("rows" or "columns"))
            throw new ArgumentException($"Invalid value for argument `mode`. Expected one of {{\"rows\", \"columns\"}}. Received: mode={mode}", nameof(mode));
        Mode = mode;
    }

    /// <summary>The factor.</summary>
    public double Factor { get; }

    /// <summary><c>"rows"</c> or <c>"columns"</c>.</summary>
    public string Mode { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="x"/> is not of rank 2.</exception>
    public override Tensor Call(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2)
            throw new ArgumentException($"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={Shapes.Format(x.Dims)}", nameof(x));
        bool rows = Mode == "rows";
        int axis = rows ? 1 : 0, size = x.Dims[rows ? 0 : 1];
        float eps = Keras.Config.Epsilon;
        var squareSum = Ops.Sum(Ops.Square(x), [axis], keepDims: true);
        var unit = Ops.Divide(x, Ops.Sqrt(Ops.Maximum(squareSum, Ops.Scalar(x.Backend, eps * eps))));
        var product = Ops.MatMul(unit, unit, transposeA: !rows, transposeB: rows);
        var offDiagonal = new float[(long)size * size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++) offDiagonal[(long)i * size + j] = i == j ? 0f : 1f;
        var mask = Tensor.FromNDArray(NDArray.FromArray(offDiagonal, [size, size]), x.Backend);
        double numPairs = size * (size - 1.0) / 2.0;
        return Ops.Scale(Ops.Sum(Ops.Abs(Ops.Multiply(product, mask))), (float)(Factor * 0.5 / numPairs));
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["factor"] = Factor, ["mode"] = Mode };
}
