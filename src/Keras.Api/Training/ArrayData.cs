namespace KerasGpu.Training;

/// <summary>
/// User arrays for one call of Fit/Evaluate/Predict: one host array per model input, (optionally) one per output and
/// (optionally) per-sample weights, checked for a common sample count. Splitting takes zero-copy row views.
/// </summary>
internal sealed class ArrayData
{
    private ArrayData(NDArray[] x, NDArray[]? y, NDArray? sampleWeight, int count)
    {
        X = x;
        Y = y;
        SampleWeight = sampleWeight;
        Count = count;
    }

    public NDArray[] X { get; }
    public NDArray[]? Y { get; }

    /// <summary>Float32 weights whose first axis is the samples (usually shape <c>(n,)</c>), or null.</summary>
    public NDArray? SampleWeight { get; }

    public int Count { get; }

    /// <summary>Checks shapes and cardinality (Keras' wording) and that there is at least one sample.</summary>
    public static ArrayData Create(NDArray[] x, NDArray[]? y, string what = "x", NDArray? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length == 0 || x.Any(a => a is null)) throw new ArgumentNullException(nameof(x), "Expected input arrays; received none (or null).");
        if (y is not null && y.Any(a => a is null)) throw new ArgumentNullException(nameof(y), "Expected target arrays; received null.");
        if (x.Any(a => a.Rank == 0) || (y?.Any(a => a.Rank == 0) ?? false) || sampleWeight is { Rank: 0 })
            throw new ArgumentException("Expected arrays with a leading sample axis; received a 0-dimensional array.");
        var all = x.Concat(y ?? []).Concat(sampleWeight is null ? [] : [sampleWeight]);
        var sizes = all.Select(a => a.Length).Distinct().ToList();
        if (sizes.Count > 1)
        {
            string xs = string.Join(", ", x.Select(a => a.Length));
            string ys = y is null ? "" : $" y sizes: {string.Join(", ", y.Select(a => a.Length))}";
            string sw = sampleWeight is null ? "" : $" sample_weight sizes: {sampleWeight.Length}";
            throw new ArgumentException($"Data cardinality is ambiguous: {what} sizes: {xs}{ys}{sw}. Make sure all arrays contain the same number of samples.");
        }
        if (sizes[0] == 0)
            throw new ArgumentException($"The dataset is empty: {what} has 0 samples (shape {Shapes.Format(x[0].Shape)}). Expected at least one sample.");
        if (sampleWeight is not null)
        {
            if (y is not null && y.Length > 1 && !(sampleWeight.Rank == 1 || (sampleWeight.Rank == 2 && sampleWeight.Shape[1] == 1)))
                throw new ArgumentException("For a model with multiple outputs, when providing a single `sample_weight` array, it should only have one scalar score per sample (i.e. shape `(num_samples,)`). If you want to use non-scalar sample weights, pass a `sample_weight` argument with one array per model output.");
            sampleWeight = sampleWeight.AsType(DType.Float32);
            if (sampleWeight.Rank == 2 && sampleWeight.Shape[1] == 1) sampleWeight = sampleWeight.Reshape(sampleWeight.Length);
        }
        return new ArrayData(x, y, sampleWeight, sizes[0]);
    }

    /// <summary>
    /// Keras' <c>class_weight_to_sample_weights</c>: one weight per sample from its class (the argmax of one-hot
    /// targets, else the rounded label); classes missing from the dictionary weigh 1.
    /// </summary>
    public static NDArray ClassWeightsToSampleWeights(NDArray y, IReadOnlyDictionary<int, double> classWeight)
    {
        var labels = y.AsType(DType.Float64);
        int n = y.Length;
        int width = y.Rank > 1 ? (int)(y.Size / n) : 1;
        bool oneHot = y.Rank > 1 && y.Shape[^1] != 1;
        var values = labels.AsSpan<double>();
        var weights = new float[n];
        for (int i = 0; i < n; i++)
        {
            int label;
            if (oneHot)
            {
                // np.argmax over the last axis: the first maximum (y of rank 2 here; higher ranks are rejected below).
                int best = 0;
                for (int j = 1; j < width; j++) if (values[i * width + j] > values[i * width + best]) best = j;
                label = best;
            }
            else label = (int)Math.Round(values[i * width], MidpointRounding.ToEven);
            weights[i] = classWeight.TryGetValue(label, out double w) ? (float)w : 1f;
        }
        return NDArray.FromArray(weights, n);
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
        new([.. X.Select(a => a[start..end])], Y is null ? null : [.. Y.Select(a => a[start..end])], SampleWeight?[start..end], end - start);

    /// <summary>The same data with other sample weights.</summary>
    public ArrayData WithSampleWeight(NDArray sampleWeight) => new(X, Y, sampleWeight, Count);
}
