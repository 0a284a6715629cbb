namespace KerasGpu.Training;

/// <summary>
/// User arrays for one call of Fit/Evaluate/Predict: one host array per model input and (optionally) per output,
/// checked for a common sample count. Splitting takes zero-copy row views.
/// </summary>
internal sealed class ArrayData
{
    private ArrayData(NDArray[] x, NDArray[]? y, int count)
    {
        X = x;
        Y = y;
        Count = count;
    }

    public NDArray[] X { get; }
    public NDArray[]? Y { get; }
    public int Count { get; }

    /// <summary>Checks shapes and cardinality (Keras' wording) and that there is at least one sample.</summary>
    public static ArrayData Create(NDArray[] x, NDArray[]? y, string what = "x")
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length == 0 || x.Any(a => a is null)) throw new ArgumentNullException(nameof(x), "Expected input arrays; received none (or null).");
        if (y is not null && y.Any(a => a is null)) throw new ArgumentNullException(nameof(y), "Expected target arrays; received null.");
        if (x.Any(a => a.Rank == 0) || (y?.Any(a => a.Rank == 0) ?? false))
            throw new ArgumentException("Expected arrays with a leading sample axis; received a 0-dimensional array.");
        var sizes = x.Select(a => a.Length).Concat(y?.Select(a => a.Length) ?? []).Distinct().ToList();
        if (sizes.Count > 1)
        {
            string xs = string.Join(", ", x.Select(a => a.Length));
            string ys = y is null ? "" : $" y sizes: {string.Join(", ", y.Select(a => a.Length))}";
            throw new ArgumentException($"Data cardinality is ambiguous: {what} sizes: {xs}{ys}. Make sure all arrays contain the same number of samples.");
        }
        if (sizes[0] == 0)
            throw new ArgumentException($"The dataset is empty: {what} has 0 samples (shape {Shapes.Format(x[0].Shape)}). Expected at least one sample.");
        return new ArrayData(x, y, sizes[0]);
    }

    /// <summary>Keras' validation_split: the last fraction of the samples, taken before any shuffling.</summary>
    public (ArrayData Train, ArrayData Validation) Split(double validationSplit)
    {
        int splitAt = (int)Math.Floor(Count * (1.0 - validationSplit));
        if (splitAt == 0 || splitAt == Count)
            throw new ArgumentException($"Training data contains {Count} samples, which is not sufficient to split it into a validation and training set as specified by `validation_split={validationSplit}`. Either provide more data, or a different value for the `validation_split` argument.");
        return (Slice(0, splitAt), Slice(splitAt, Count));
    }

    private ArrayData Slice(int start, int end) =>
        new([.. X.Select(a => a[start..end])], Y is null ? null : [.. Y.Select(a => a[start..end])], end - start);
}
