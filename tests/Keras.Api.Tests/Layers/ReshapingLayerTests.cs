using KerasGpu.Autodiff;
using KerasGpu.Layers;
using static KerasGpu.Tests.Layers.LayerTestUtil;

namespace KerasGpu.Tests.Layers;

/// <summary>Flatten, Reshape, Permute and RepeatVector: values vs index arithmetic, shapes (Keras' documented examples), errors.</summary>
public class ReshapingLayerTests : IDisposable
{
    private readonly TensorScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void Flatten_KeepsRowMajorOrder()
    {
        var xv = Values(2 * 3 * 4, 1);
        var y = new Flatten().Apply(Upload(xv, 2, 3, 4));
        Assert.Equal([2, 12], y.Shape);
        Assert.Equal(xv, Host(y));
        Assert.Equal([3, 1], new Flatten().Apply(Upload([1, 2, 3], 3)).Shape);
    }

    [Fact]
    public void Flatten_ChannelsFirst_MovesChannelsLast()
    {
        // (batch 2, channels 3, h 2, w 2) → element (b, h, w, c) order.
        var xv = Values(2 * 3 * 2 * 2, 2);
        var got = Host(new Flatten(dataFormat: "channels_first").Apply(Upload(xv, 2, 3, 2, 2)));
        int o = 0;
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int w = 0; w < 2; w++)
                    for (int c = 0; c < 3; c++) Assert.Equal(xv[((b * 3 + c) * 2 + h) * 2 + w], got[o++]);
    }

    [Fact]
    public void Flatten_SymbolicShapes_AndConfig()
    {
        // Keras' docstring: Input(shape=(10, 64)) → Flatten → (None, 640).
        Assert.Equal([null, 640], new Flatten().Apply(Keras.Input([10, 64])).Shape);
        Assert.Equal([null, null], new Flatten().ComputeOutputShape([null, null, 3]));
        Assert.Equal([null, 1], new Flatten().ComputeOutputShape([null]));
        Assert.Equal("channels_last", new Flatten().GetConfig()["data_format"]);
        Assert.StartsWith("The `data_format` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=nhwc",
            Assert.Throws<ArgumentException>(() => new Flatten("nhwc")).Message);
    }

    [Fact]
    public void Reshape_InfersMinusOne_AndKeepsTheBatch()
    {
        // Keras' docstring: Input(shape=(12,)) → Reshape((3, 4)) → (None, 3, 4); Reshape((-1, 2, 2)) → (None, 3, 2, 2).
        var x = Keras.Input([12]);
        var r = new Reshape([3, 4]).Apply(x);
        Assert.Equal([null, 3, 4], r.Shape);
        Assert.Equal([null, 3, 2, 2], new Reshape([-1, 2, 2]).Apply(r).Shape);
        Assert.Equal([null, null, 2], new Reshape([-1, 2]).ComputeOutputShape([null, null, 4]));
        var xv = Values(2 * 12, 3);
        var y = new Reshape([-1, 6]).Apply(Upload(xv, 2, 12));
        Assert.Equal([2, 2, 6], y.Shape);
        Assert.Equal(xv, Host(y));
        Assert.Equal(new[] { -1, 6 }, new Reshape([-1, 6]).GetConfig()["target_shape"]);
    }

    [Fact]
    public void Reshape_Errors_AreKeras()
    {
        Assert.Equal("The total size of the tensor must be unchanged. Received: input_shape=(12,), target_shape=(5, 2)",
            Assert.Throws<ArgumentException>(() => new Reshape([5, 2]).Apply(Keras.Input([12]))).Message);
        Assert.StartsWith("The total size of the tensor must be unchanged, however, the input size cannot by divided",
            Assert.Throws<ArgumentException>(() => new Reshape([-1, 5]).Apply(Upload(Values(24, 1), 2, 12))).Message);
        Assert.StartsWith("There must be at most one unknown dimension (-1) in `target_shape`.",
            Assert.Throws<ArgumentException>(() => new Reshape([-1, -1])).Message);
        Assert.StartsWith("Each dimension in `target_shape` must be a non-negative integer",
            Assert.Throws<ArgumentException>(() => new Reshape([-2, 3])).Message);
    }

    [Fact]
    public void Permute_IsOneBased_AndMovesValues()
    {
        // Keras' docstring: Input(shape=(10, 64)) → Permute((2, 1)) → (None, 64, 10).
        Assert.Equal([null, 64, 10], new Permute([2, 1]).Apply(Keras.Input([10, 64])).Shape);
        var xv = Values(2 * 2 * 3 * 4, 4);
        var y = new Permute([3, 1, 2]).Apply(Upload(xv, 2, 2, 3, 4));
        Assert.Equal([2, 4, 2, 3], y.Shape);
        var got = Host(y);
        for (int b = 0; b < 2; b++)
            for (int k = 0; k < 4; k++)
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 3; j++)
                        Assert.Equal(xv[((b * 2 + i) * 3 + j) * 4 + k], got[((b * 4 + k) * 2 + i) * 3 + j]);
    }

    [Fact]
    public void Permute_Errors_AreKeras()
    {
        Assert.Equal("Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. Received dims=(0, 1) (Parameter 'dims')",
            Assert.Throws<ArgumentException>(() => new Permute([0, 1])).Message);
        var layer = new Permute([2, 1], name: "perm");
        Assert.Equal("Input 0 of layer \"perm\" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (None, 5)",
            Assert.Throws<ArgumentException>(() => layer.Apply(Keras.Input([5]))).Message);
    }

    [Fact]
    public void RepeatVector_RepeatsAndSumsGradients()
    {
        // Keras' docstring: Dense(32) on (None, 32) → RepeatVector(3) → (None, 3, 32).
        Assert.Equal([null, 3, 32], new RepeatVector(3).Apply(new Dense(32).Apply(Keras.Input([32]))).Shape);
        var xv = Values(2 * 4, 5);
        var x = Upload(xv, 2, 4);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = new RepeatVector(3).Apply(x);
        Assert.Equal([2, 3, 4], y.Shape);
        var got = Host(y);
        for (int b = 0; b < 2; b++)
            for (int r = 0; r < 3; r++)
                for (int f = 0; f < 4; f++) Assert.Equal(xv[b * 4 + f], got[(b * 3 + r) * 4 + f]);
        var weights = Upload(Values(24, 6), 2, 3, 4);
        var g = Host(tape.Gradient(Ops.Sum(Ops.Multiply(y, weights)), [x])[0]!);
        var wv = Host(weights);
        for (int b = 0; b < 2; b++)
            for (int f = 0; f < 4; f++)
                Assert.Equal(Enumerable.Range(0, 3).Sum(r => wv[(b * 3 + r) * 4 + f]), g[b * 4 + f], 1e-5);
    }

    [Fact]
    public void RepeatVector_Errors_AndConfig()
    {
        Assert.StartsWith("Argument `n` should be a positive integer. Received: n=0", Assert.Throws<ArgumentException>(() => new RepeatVector(0)).Message);
        var layer = new RepeatVector(2, name: "rep");
        Assert.Equal("Input 0 of layer \"rep\" is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: (None, 2, 3)",
            Assert.Throws<ArgumentException>(() => layer.Apply(Keras.Input([2, 3]))).Message);
        Assert.Equal(2, layer.GetConfig()["n"]);
    }

    [Fact]
    public void ReshapingLayers_TrainInASequentialModel()
    {
        // Flatten → Dense → RepeatVector → Reshape → Permute → Flatten → Dropout → Dense: shapes chain through
        // Sequential, and the model fits with gradients through every layer.
        using var model = new Sequential();
        model.Add(Keras.Input([3, 4]));
        model.Add(new Flatten());
        model.Add(new Dense(6));
        model.Add(new RepeatVector(2));
        model.Add(new Reshape([4, 3]));
        model.Add(new Permute([2, 1]));
        model.Add(new Flatten());
        model.Add(new Dropout(0.1, seed: 1));
        model.Add(new Dense(1));
        model.Compile(loss: "mse", optimizer: "sgd");
        var x = NDArray.FromArray(Values(8 * 12, 7).Select(v => (float)v).ToArray(), 8, 3, 4);
        var t = NDArray.FromArray(Values(8, 8).Select(v => (float)v).ToArray(), 8, 1);
        var history = model.Fit(x, t, batchSize: 4, epochs: 3, verbose: 0);
        Assert.Equal(3, history["loss"].Count);
        Assert.All(history["loss"], l => Assert.True(double.IsFinite(l)));
        Assert.Equal([8, 1], model.Predict(x, verbose: 0).Shape);
    }

    [Fact]
    public void Summary_ListsTheLayersWithKerasShapes_AndLazyBuildingWorks()
    {
        using var model = new Sequential([new Flatten(), new Dropout(0.5), new Dense(4), new RepeatVector(2), new Permute([2, 1]), new Reshape([-1])]);
        var y = model.Predict(NDArray.Zeros(DType.Float32, 3, 2, 5), verbose: 0);
        Assert.Equal([3, 8], y.Shape);
        var text = model.SummaryText();
        foreach (var expected in new[] { "Flatten", "(None, 10)", "Dropout", "RepeatVector", "(None, 2, 4)", "Permute", "(None, 4, 2)", "Reshape", "(None, 8)" })
            Assert.Contains(expected, text);
        Assert.Equal(10 * 4 + 4, model.CountParams());
    }
}
