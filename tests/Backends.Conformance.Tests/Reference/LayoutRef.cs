namespace KerasGpu.Conformance;

/// <summary>Strided copies and axis permutations: pure data movement, compared bitwise.</summary>
internal static class LayoutRef
{
    /// <summary><c>y[yOffset + r·yRowStride + j] = x[xOffset + r·xRowStride + j]</c>; every other element of y keeps its value.</summary>
    public static T[] CopyStrided<T>(T[] x, long xOffset, int xRowStride, T[] yBefore, long yOffset, int yRowStride, int rows, int rowLength)
    {
        var y = (T[])yBefore.Clone();
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < rowLength; j++)
                y[yOffset + (long)r * yRowStride + j] = x[xOffset + (long)r * xRowStride + j];
        return y;
    }

    /// <summary><c>y[i_0, …, i_n] = x[j]</c> with <c>j_{perm[d]} = i_d</c>; y's shape is <c>xShape[perm[d]]</c>.</summary>
    public static T[] Permute<T>(T[] x, int[] xShape, int[] perm)
    {
        int rank = xShape.Length;
        var yShape = new int[rank];
        for (int d = 0; d < rank; d++) yShape[d] = xShape[perm[d]];
        var y = new T[x.Length];
        var i = new int[rank];
        var j = new int[rank];
        for (int flat = 0; flat < y.Length; flat++)
        {
            for (int d = rank - 1, rest = flat; d >= 0; d--) { i[d] = rest % yShape[d]; rest /= yShape[d]; }
            for (int d = 0; d < rank; d++) j[perm[d]] = i[d];
            int source = 0;
            for (int d = 0; d < rank; d++) source = source * xShape[d] + j[d];
            y[flat] = x[source];
        }
        return y;
    }
}
