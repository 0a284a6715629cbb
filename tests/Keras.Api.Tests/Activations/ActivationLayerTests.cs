using KerasGpu.Activations;
using KerasGpu.Layers;

namespace KerasGpu.Tests.Activations;

/// <summary>ReLU, LeakyReLU, ELU, Softmax and Activation layers: values, shapes, configs, names and Keras' errors.</summary>
public class ActivationLayerTests
{
    private static readonly double[] s_input = [-10, -5, 0, 5, 10];

    private static double[] Run(Layer layer, double[] x, int[]? shape = null)
    {
        using var h = new Harness();
        using var use = h.Use();
        return Harness.Download(layer.Apply(h.Upload(x, shape ?? [x.Length])));
    }

    [Fact]
    public void ReLU_KerasExample_AndDefaults()
    {
        // keras.layers.ReLU docstring: max_value=10, negative_slope=0.5, threshold=0.
        Harness.AssertClose([-5, -2.5, 0, 5, 10], Run(new ReLU(maxValue: 10, negativeSlope: 0.5f, threshold: 0), s_input), 0, 0, "ReLU");
        Harness.AssertClose([0, 0, 0, 5, 10], Run(new ReLU(), s_input), 0, 0, "ReLU()");
        Harness.AssertClose([0, 0, 0, 5, 7], Run(new ReLU(maxValue: 7), s_input), 0, 0, "ReLU(max_value=7)");
        Harness.AssertClose([-2.2, -1.2, -0.2, 5, 10], Run(new ReLU(negativeSlope: 0.2f, threshold: 1), s_input), 1e-6, 1e-6, "ReLU(0.2, threshold=1)");
    }

    [Fact]
    public void ReLU_ConfigAndName()
    {
        var layer = new ReLU(maxValue: 6, negativeSlope: 0.1f);
        Assert.StartsWith("re_lu", layer.Name);
        Assert.True(layer.Built);
        Assert.Empty(layer.Weights);
        var config = layer.GetConfig();
        Assert.Equal(6f, config["max_value"]);
        Assert.Equal(0.1f, config["negative_slope"]);
        Assert.Equal(0f, config["threshold"]);
        Assert.Null(new ReLU().GetConfig()["max_value"]);
        Assert.Equal([null, 3, 4], layer.ComputeOutputShape([null, 3, 4]));
    }

    [Fact]
    public void ReLU_NegativeArguments_RaiseKerasMessages()
    {
        Assert.Equal("max_value of a ReLU layer cannot be a negative value. Received: max_value=-1.0 (Parameter 'maxValue')",
            Assert.Throws<ArgumentException>(() => new ReLU(maxValue: -1)).Message);
        Assert.StartsWith("negative_slope of a ReLU layer cannot be None or a negative value. Received: negative_slope=-0.5 ",
            Assert.Throws<ArgumentException>(() => new ReLU(negativeSlope: -0.5f)).Message);
        Assert.StartsWith("threshold of a ReLU layer cannot be None or a negative value. Received: threshold=nan",
            Assert.Throws<ArgumentException>(() => new ReLU(threshold: float.NaN)).Message);
    }

    [Fact]
    public void LeakyReLU_LayerDefaultIs0Point3_AndKerasExample()
    {
        Harness.AssertClose([-3, -1.5, 0, 5, 10], Run(new LeakyReLU(), s_input), 1e-6, 1e-6, "LeakyReLU()");
        Harness.AssertClose([-5, -2.5, 0, 5, 10], Run(new LeakyReLU(negativeSlope: 0.5f), s_input), 0, 0, "LeakyReLU(0.5)");
        var layer = new LeakyReLU();
        Assert.StartsWith("leaky_re_lu", layer.Name);
        Assert.Equal(0.3f, layer.GetConfig()["negative_slope"]);
        Assert.StartsWith("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float. Received: negative_slope=-0.1",
            Assert.Throws<ArgumentException>(() => new LeakyReLU(-0.1f)).Message);
    }

    [Fact]
    public void ELU_MatchesFormula_WithAlpha()
    {
        var x = Harness.Random(11, 3, -6, 6);
        Harness.AssertClose([.. x.Select(v => Reference.Elu(v, 1))], Run(new ELU(), x), 1e-6, 1e-5, "ELU()");
        Harness.AssertClose([.. x.Select(v => Reference.Elu(v, 0.3))], Run(new ELU(alpha: 0.3f), x), 1e-6, 1e-5, "ELU(0.3)");
        var layer = new ELU(0.3f);
        Assert.StartsWith("elu", layer.Name);
        Assert.Equal(0.3f, layer.GetConfig()["alpha"]);
    }

    [Fact]
    public void Softmax_KerasExample_AndAxes()
    {
        Harness.AssertClose([0.21194157, 0.5761169, 0.21194157], Run(new Softmax(), [1, 2, 1]), 1e-7, 1e-6, "Softmax()");
        int[] shape = [2, 3, 4];
        var x = Harness.Random(24, 4, -3, 3);
        Harness.AssertClose(Reference.SoftmaxOverAxes(x, shape, [1], false), Run(new Softmax(axis: 1), x, shape), 1e-6, 1e-5, "Softmax(axis=1)");
        Harness.AssertClose(Reference.SoftmaxOverAxes(x, shape, [1, 2], false), Run(new Softmax([1, 2]), x, shape), 1e-6, 1e-5, "Softmax(axis=[1, 2])");
        Assert.Equal(1, new Softmax(axis: 1).GetConfig()["axis"]);
        Assert.Equal(new[] { 1, 2 }, new Softmax([1, 2]).GetConfig()["axis"]);
        Assert.StartsWith("softmax", new Softmax().Name);
    }

    [Fact]
    public void Softmax_AxisOutOfRange_IsRejectedAtCall()
    {
        var layer = new Softmax(axis: 2);
        var e = Assert.Throws<ArgumentException>(() => Run(layer, [1, 2, 3, 4], [2, 2]));
        Assert.Contains("softmax axis 2 is out of range for an input of rank 2", e.Message);
        Assert.Throws<ArgumentException>(() => new Softmax([1, 1]));
        Assert.Throws<ArgumentException>(() => new Softmax(Array.Empty<int>()));
    }

    [Fact]
    public void Activation_KerasExample()
    {
        Harness.AssertClose([0, 0, 0, 2], Run(new Activation("relu"), [-3, -1, 0, 2]), 0, 0, "Activation('relu')");
        var x = Harness.Random(7, 5, -4, 4);
        Harness.AssertClose([.. x.Select(Reference.GeluExact)], Run(new Activation("gelu"), x), 1e-6, 1e-5, "Activation('gelu')");
        var layer = new Activation("hard_swish");
        Assert.Equal("hard_silu", layer.GetConfig()["activation"]);
        Assert.True(layer.Built);
    }

    [Fact]
    public void LayersInASequentialModel_KeepShapes_AndTrainWithoutWeights()
    {
        using var model = new Sequential();
        model.Add(Keras.Input(shape: [6]));
        foreach (var layer in new Layer[] { new Dense(5), new ReLU(maxValue: 6), new LeakyReLU(), new ELU(), new Activation("selu"), new Dense(3), new Softmax() })
            model.Add(layer);
        Assert.Equal(6 * 5 + 5 + 5 * 3 + 3, model.CountParams());
        var y = model.Predict(NDArray.FromArray([.. Harness.Random(12, 6).Select(v => (float)v)], 2, 6), verbose: 0).ToArray<float>();
        for (int r = 0; r < 2; r++) Assert.Equal(1.0, y.Skip(3 * r).Take(3).Sum(v => (double)v), 1e-5);
    }
}
