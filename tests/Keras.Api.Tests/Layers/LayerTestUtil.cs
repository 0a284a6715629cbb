namespace KerasGpu.Tests.Layers;

/// <summary>Host/device helpers for the layer tests.</summary>
internal static class LayerTestUtil
{
    public static double[] Values(int n, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (double)(float)((rng.NextDouble() * 2 - 1) * scale))];
    }

    public static Tensor Upload(double[] v, params int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray(v.Select(x => (float)x).ToArray(), shape));

    public static double[] Host(Tensor t) => [.. t.ToNDArray().ToArray<float>().Select(f => (double)f)];
}
