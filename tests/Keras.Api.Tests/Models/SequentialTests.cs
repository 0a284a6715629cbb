using KerasGpu.Layers;

namespace KerasGpu.Tests.Models;

public class SequentialTests
{
    [Fact]
    public void WithoutInput_IsUnbuilt_UntilFirstPredict()
    {
        var model = new Sequential([new Dense(4, activation: "relu"), new Dense(2)]);
        Assert.False(model.Built);
        var text = model.SummaryText();
        Assert.Contains("0 (unbuilt)", text);
        Assert.Contains("│ ?", text);
        var y = model.Predict(NDArray.Zeros(DType.Float32, 3, 5), verbose: 0);
        Assert.Equal([3, 2], y.Shape);
        Assert.True(model.Built);
        Assert.Equal(5 * 4 + 4 + 4 * 2 + 2, model.CountParams());
    }

    [Fact]
    public void Input_BuildsLayersAsTheyAreAdded_AndPopRemovesTheLast()
    {
        var model = new Sequential();
        model.Add(Keras.Input(shape: [6]));
        var dense = new Dense(3);
        model.Add(dense);
        Assert.True(dense.Built);
        Assert.Equal([6, 3], dense.Kernel!.Shape);
        model.Add(new Dense(1));
        Assert.Equal(2, model.Layers.Count);
        Assert.IsType<Dense>(model.Pop());
        Assert.Single(model.Layers);
        Assert.Equal([3, 3], model.Predict(NDArray.Zeros(DType.Float32, 3, 6), verbose: 0).Shape);
    }

    [Fact]
    public void Summary_MatchesKeras3Layout()
    {
        var model = new Sequential(name: "mnist_like");
        model.Add(Keras.Input(shape: [784]));
        model.Add(new Dense(64, activation: "relu", name: "dense_a"));
        model.Add(new Dense(10, name: "dense_b"));
        var lines = model.SummaryText().Split('\n');
        Assert.Equal("Model: \"mnist_like\"", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("│ dense_a (Dense)") && l.Contains("(None, 64)") && l.TrimEnd().EndsWith("50,240 │"));
        Assert.Contains(" Total params: 50,890 (198.79 KB)", lines);
        Assert.Contains(" Trainable params: 50,890 (198.79 KB)", lines);
        Assert.Contains(" Non-trainable params: 0 (0.00 B)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("InputLayer")); // Keras' Sequential hides its input layer
    }

    [Fact]
    public void AddingAnIncompatibleLayer_IsRejected()
    {
        var model = new Sequential();
        var dense = new Dense(3);
        model.Add(Keras.Input(shape: [4]));
        model.Add(dense);
        Assert.Throws<ArgumentException>(() => model.Add(Keras.Input(shape: [4])));
        Assert.Throws<ArgumentException>(() => model.Add(dense));
    }

    [Fact]
    public void Names_FollowKerasAutoNaming()
    {
        var first = new Dense(1);
        var second = new Dense(1);
        Assert.Matches("^dense(_\\d+)?$", first.Name);
        Assert.NotEqual(first.Name, second.Name);
        Assert.Matches("^activation(_\\d+)?$", new Activation("relu").Name);
    }
}
