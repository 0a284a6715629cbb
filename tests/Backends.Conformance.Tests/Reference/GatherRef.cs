namespace KerasGpu.Conformance;

internal static class GatherRef
{
    /// <summary>y[i, :] = x[indices[offset + i], :] for i &lt; count.</summary>
    public static T[] Rows<T>(T[] x, int rowLength, int[] indices, int offset, int count)
    {
        var y = new T[count * rowLength];
        for (int i = 0; i < count; i++)
            Array.Copy(x, indices[offset + i] * rowLength, y, i * rowLength, rowLength);
        return y;
    }
}
