namespace KerasGpu.Losses;

/// <summary>Host-side checks of class-index labels, run before any training state changes.</summary>
internal static class Labels
{
    /// <summary>Throws unless every label is an integer in <c>[0, classes)</c> or equals <paramref name="ignoreClass"/>.</summary>
    public static void CheckClassIndices(NDArray labels, int classes, int? ignoreClass = null)
    {
        switch (labels.DType)
        {
            case DType.UInt8: Check(labels.AsSpan<byte>(), classes, ignoreClass, v => v); break;
            case DType.Int32: Check(labels.AsSpan<int>(), classes, ignoreClass, v => v); break;
            case DType.Int64: Check(labels.AsSpan<long>(), classes, ignoreClass, v => v); break;
            case DType.Float32: Check(labels.AsSpan<float>(), classes, ignoreClass, v => v); break;
            case DType.Float64: Check(labels.AsSpan<double>(), classes, ignoreClass, v => v); break;
            default: throw new ArgumentException($"Sparse labels must be integers; received dtype {labels.DType.KerasName()}.");
        }
    }

    private static void Check<T>(ReadOnlySpan<T> values, int classes, int? ignoreClass, Func<T, double> toDouble)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double v = toDouble(values[i]);
            if (v != Math.Floor(v) || double.IsNaN(v))
                throw new ArgumentException($"Sparse labels must be integer class indices; received {v} at index {i}.");
            if (ignoreClass is int ignored && v == ignored) continue;
            if (v < 0 || v >= classes)
                throw new ArgumentOutOfRangeException(nameof(values), $"Received a label value of {v} at index {i} which is outside the valid range of [0, {classes}).");
        }
    }
}
