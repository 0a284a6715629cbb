namespace KerasGpu;

/// <summary>Shape arithmetic and Keras-style formatting shared by host arrays, tensors and layers.</summary>
internal static class Shapes
{
    /// <summary>Element count with overflow checking.</summary>
    public static long Size(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimensions are not allowed; received shape {Format(shape.ToArray())}.");
            n = checked(n * d);
        }
        return n;
    }

    /// <summary>Product of all dimensions but the last.</summary>
    public static int Rows(ReadOnlySpan<int> shape) => shape.Length == 0 ? 1 : (int)Size(shape[..^1]);

    /// <summary>Formats like Python's tuple repr: <c>(64, 784)</c>, <c>(10,)</c>, <c>()</c>.</summary>
    public static string Format(int[] shape) => shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    /// <summary>Formats a symbolic shape with <c>None</c> for unknown dimensions.</summary>
    public static string Format(int?[] shape) =>
        shape.Length == 1 ? $"({shape[0]?.ToString() ?? "None"},)" : $"({string.Join(", ", shape.Select(d => d?.ToString() ?? "None"))})";

    /// <summary>NumPy broadcasting of two shapes; throws with both shapes when incompatible.</summary>
    public static int[] Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var y = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"Shapes {Format(a)} and {Format(b)} cannot be broadcast together.");
            y[i] = da == 1 ? db : da;
        }
        return y;
    }

    /// <summary>True when two concrete shapes are equal.</summary>
    public static bool Equal(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);
}
