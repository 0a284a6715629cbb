using KerasGpu.Layers;
using KerasGpu.Losses;

namespace KerasGpu.Tests.Models;

public class FunctionalModelTests
{
    private static NDArray RandomArray(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return NDArray.FromArray(data, rows, cols);
    }

    [Fact]
    public void Chain_PredictsLikeTheSameLayersAppliedEagerly()
    {
        var inputs = Keras.Input(shape: [8]);
        var hidden = new Dense(5, activation: "tanh");
        var head = new Dense(3);
        var model = new Model(inputs, head.Apply(hidden.Apply(inputs)), name: "chain");
        var x = RandomArray(7, 8, 1);
        var predicted = model.Predict(x, verbose: 0).ToArray<float>();
        using var scope = new TensorScope();
        var eager = head.Apply(hidden.Apply(Tensor.FromNDArray(x))).ToNDArray().ToArray<float>();
        Assert.Equal(eager, predicted);
        Assert.Equal(["input_layer", "dense", "dense"], model.Layers.Select(l => l.Name[..Math.Min(l.Name.Length, l.Name.StartsWith("input") ? 11 : 5)]).ToArray());
    }

    [Fact]
    public void SharedLayer_UsesOneSetOfWeights_AndTrains()
    {
        var a = Keras.Input(shape: [4]);
        var b = Keras.Input(shape: [4]);
        var shared = new Dense(3, activation: "relu", name: "shared");
        var merged = new Add().Apply(shared.Apply(a), shared.Apply(b));
        var model = new Model([a, b], [new Dense(2).Apply(merged)], name: "siamese");
        Assert.Equal(3, model.Layers.Count(l => l is not InputLayer)); // shared, add, dense
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, model.CountParams());
        model.Compile(loss: "mse", optimizer: "sgd");
        var before = shared.GetWeights()[0].ToArray<float>();
        var history = model.Fit([RandomArray(32, 4, 2), RandomArray(32, 4, 3)], [RandomArray(32, 2, 4)], batchSize: 8, epochs: 2, verbose: 0);
        Assert.Equal(2, history["loss"].Count);
        Assert.NotEqual(before, shared.GetWeights()[0].ToArray<float>());
        var text = model.SummaryText();
        Assert.Contains("Connected to", text);
        Assert.Contains("shared[0][0]", text);
        Assert.Contains("shared[1][0]", text);
        Assert.Contains("input_layer", text);
    }

    [Fact]
    public void TwoInputsTwoOutputs_FitEvaluatePredict()
    {
        var left = Keras.Input(shape: [3], name: "left");
        var right = Keras.Input(shape: [5], name: "right");
        var outA = new Dense(4, name: "out_a").Apply(left);
        var outB = new Dense(2, activation: "softmax", name: "out_b").Apply(right);
        var model = new Model([left, right], [outA, outB]);
        model.Compile(loss: "mse", optimizer: "adam", metrics: ["accuracy"]);
        var x = new[] { RandomArray(20, 3, 5), RandomArray(20, 5, 6) };
        var y = new[] { RandomArray(20, 4, 7), RandomArray(20, 2, 8) };
        var history = model.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0);
        Assert.Contains("out_a_accuracy", history.Keys);
        Assert.Contains("out_b_accuracy", history.Keys);
        // Keras 3: the total loss, each output's loss, then the prefixed metrics.
        Assert.Equal(["loss", "out_a_loss", "out_b_loss", "out_a_accuracy", "out_b_accuracy"], model.MetricsNames);
        Assert.Equal(5, model.Evaluate(x, y, verbose: 0).Length);
        var predictions = model.Predict(x, verbose: 0);
        Assert.Equal([20, 4], predictions[0].Shape);
        Assert.Equal([20, 2], predictions[1].Shape);
        Assert.Contains("expects 2 input(s)", Assert.Throws<ArgumentException>(() => model.Predict(x[0], verbose: 0)).Message);

        var single = Keras.Input(shape: [3]);
        var forked = new Model([single], [new Dense(1).Apply(single), new Dense(2).Apply(single)]);
        Assert.Contains("has 2 outputs", Assert.Throws<InvalidOperationException>(() => forked.Predict(x[0], verbose: 0)).Message);
    }

    [Fact]
    public void DisconnectedGraph_IsAClearError()
    {
        var a = Keras.Input(shape: [2]);
        var b = Keras.Input(shape: [2]);
        var y = new Dense(1).Apply(b);
        var e = Assert.Throws<ArgumentException>(() => new Model(a, y));
        Assert.Contains("Graph disconnected", e.Message);
    }

    [Fact]
    public void WrongInputWidth_IsRejected_WithKerasMessage()
    {
        var inputs = Keras.Input(shape: [784]);
        var model = new Model(inputs, new Dense(10).Apply(inputs));
        var e = Assert.Throws<ArgumentException>(() => model.Predict(RandomArray(2, 785, 9), verbose: 0));
        Assert.Contains("expected shape=(None, 784), found shape=(2, 785)", e.Message);
    }

    [Fact]
    public void GetLayer_UnknownName_ListsLayers()
    {
        var inputs = Keras.Input(shape: [2]);
        var model = new Model(inputs, new Dense(1, name: "only").Apply(inputs));
        Assert.Equal("only", model.GetLayer("only").Name);
        Assert.Contains("only", Assert.Throws<ArgumentException>(() => model.GetLayer("nope")).Message);
    }
}
