namespace KerasGpu.Layers;

/// <summary>Keras' rank checks of an input spec (<c>ndim</c>, <c>min_ndim</c>), with its error text.</summary>
internal static class InputRank
{
    /// <summary>Throws unless <paramref name="shape"/> has exactly <paramref name="ndim"/> dimensions.</summary>
    public static void Exactly(Layer layer, int[] shape, int inputIndex, int ndim)
    {
        if (shape.Length != ndim)
            throw new ArgumentException($"Input {inputIndex} of layer \"{layer.Name}\" is incompatible with the layer: expected ndim={ndim}, found ndim={shape.Length}. Full shape received: {Format(shape)}");
    }

    /// <summary>Throws unless <paramref name="shape"/> has at least <paramref name="minNdim"/> dimensions.</summary>
    public static void AtLeast(Layer layer, int[] shape, int inputIndex, int minNdim)
    {
        if (shape.Length < minNdim)
            throw new ArgumentException($"Input {inputIndex} of layer \"{layer.Name}\" is incompatible with the layer: expected min_ndim={minNdim}, found ndim={shape.Length}. Full shape received: {Format(shape)}");
    }

    /// <summary>A concrete or symbolic shape (−1 = unknown) as Python prints it.</summary>
    public static string Format(int[] shape) => Shapes.Format(shape.Select(d => d < 0 ? (int?)null : d).ToArray());
}
