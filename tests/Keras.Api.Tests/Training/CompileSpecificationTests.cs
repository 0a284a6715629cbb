using KerasGpu.Layers;
using KerasGpu.Losses;

namespace KerasGpu.Tests.Training;

/// <summary>Compile's loss / loss_weights / metrics forms, resolved against output names as Keras' compile_utils does.</summary>
public class CompileSpecificationTests
{
    private static Model TwoOutputs()
    {
        var x = Keras.Input(shape: [3]);
        var h = new Dense(4, activation: "relu").Apply(x);
        return new Model([x], [new Dense(2, activation: "softmax", name: "label").Apply(h), new Dense(1, name: "score").Apply(h)]);
    }

    [Fact]
    public void SingleOutput_MetricsAreUnprefixed_AndThereIsNoPerOutputLoss()
    {
        var x = Keras.Input(shape: [3]);
        var model = new Model(x, new Dense(2, activation: "softmax", name: "out").Apply(x));
        model.Compile(loss: "sparse_categorical_crossentropy", metrics: ["accuracy", "acc"]);
        Assert.Equal(["loss", "accuracy", "acc"], model.MetricsNames);
    }

    [Fact]
    public void ListOfLosses_ByPosition_NamesEachOutputsLoss()
    {
        var model = TwoOutputs();
        model.Compile(loss: ["sparse_categorical_crossentropy", "mse"], metrics: [["accuracy"], []]);
        Assert.Equal(["loss", "label_loss", "score_loss", "label_accuracy"], model.MetricsNames);
    }

    [Fact]
    public void FlatMetricList_OfOutputLength_IsPerOutput_OtherwiseAppliesToAll()
    {
        var model = TwoOutputs();
        model.Compile(loss: "mse", metrics: ["accuracy", "binary_accuracy"]);
        Assert.Equal(["loss", "label_loss", "score_loss", "label_accuracy", "score_binary_accuracy"], model.MetricsNames);
        model.Compile(loss: "mse", metrics: ["accuracy"]);
        Assert.Equal(["loss", "label_loss", "score_loss", "label_accuracy", "score_accuracy"], model.MetricsNames);
    }

    [Fact]
    public void OutputWithoutLoss_LeavesOneLoss_AndNoPerOutputTrackers()
    {
        var model = TwoOutputs();
        model.Compile(loss: new Loss?[] { null, "mse" }, metrics: new() { ["label"] = "accuracy" });
        Assert.Equal(["loss", "label_accuracy"], model.MetricsNames);
    }

    [Fact]
    public void LossDictionary_MustNameEveryOutput()
    {
        var model = TwoOutputs();
        var e = Assert.Throws<ArgumentException>(() => model.Compile(loss: new() { ["labels"] = "mse", ["score"] = "mse" }));
        Assert.Equal("Expected keys ['label', 'score'] in loss dict, but found loss.keys()=['labels', 'score']", e.Message);
        Assert.False(model.Compiled);
    }

    [Fact]
    public void LossWeights_MustMatchTheLosses()
    {
        var model = TwoOutputs();
        var e = Assert.Throws<ArgumentException>(() => model.Compile(loss: ["mse", "mse"], lossWeights: [1.0, 2.0, 3.0]));
        Assert.Equal("`loss_weights` must match the number of losses, got 2 losses and 3 weights.", e.Message);
        // One loss object for every output pairs with one number only (Keras compares the two structures first).
        e = Assert.Throws<ArgumentException>(() => model.Compile(loss: "mse", lossWeights: [1.0, 2.0]));
        Assert.Equal("`loss_weights` must match the number of losses, got 1 losses and 2 weights.", e.Message);
    }

    [Fact]
    public void MetricsDictionary_WithUnknownOutput_IsRejected_AndTheOldCompilationStays()
    {
        var model = TwoOutputs();
        model.Compile(loss: "mse");
        var e = Assert.Throws<ArgumentException>(() => model.Compile(loss: "mse", metrics: new() { ["nope"] = "accuracy" }));
        Assert.StartsWith("Invalid `metrics`. `metrics` should contain metrics objects and either be a dict or a list matching the output names of the functional model ['label', 'score']", e.Message);
        Assert.Equal(["loss", "label_loss", "score_loss"], model.MetricsNames);
    }

    [Fact]
    public void NestedMetricList_OfWrongLength_IsRejected()
    {
        var model = TwoOutputs();
        Assert.Throws<ArgumentException>(() => model.Compile(loss: "mse", metrics: [["accuracy"], ["accuracy"], ["accuracy"]]));
    }

    [Fact]
    public void DuplicateMetricNames_GetKerasSuffixes()
    {
        var x = Keras.Input(shape: [3]);
        var model = new Model(x, new Dense(2, activation: "softmax").Apply(x));
        model.Compile(loss: "mse", metrics: ["accuracy", "accuracy"]);
        var y = NDArray.FromArray([0f, 1f, 1f, 0f], 2, 2);
        var logs = model.Evaluate(NDArray.FromArray(new float[6], 2, 3), y, returnDict: true, verbose: 0);
        Assert.Equal(["accuracy", "accuracy_1", "loss"], logs.Keys);
    }

    [Fact]
    public void MetricObject_UsedForSeveralOutputs_IsCopiedForTheLaterOnes()
    {
        var model = TwoOutputs();
        var given = new KerasGpu.Metrics.BinaryAccuracy(threshold: 0.25f);
        model.Compile(loss: "mse", metrics: [given]);
        Assert.Equal(["loss", "label_loss", "score_loss", "label_binary_accuracy", "score_binary_accuracy"], model.MetricsNames);
        var x = NDArray.FromArray([1f, 2f, 3f, -1f, 0f, 2f], 2, 3);
        var logs = model.Evaluate([x], [NDArray.FromArray([1f, 0f, 0f, 1f], 2, 2), NDArray.FromArray([1f, 0f], 2, 1)], returnDict: true, verbose: 0);
        // Each output's accuracy has its own state: the first uses the given object, the second a copy with its threshold.
        var p = model.Predict([x], verbose: 0);
        double Accuracy(float[] pred, float[] truth) => pred.Zip(truth).Average(t => (t.First > 0.25f ? 1f : 0f) == t.Second ? 1.0 : 0.0);
        Assert.Equal(Accuracy(p[0].ToArray<float>(), [1f, 0f, 0f, 1f]), logs["label_binary_accuracy"], 1e-6);
        Assert.Equal(Accuracy(p[1].ToArray<float>(), [1f, 0f]), logs["score_binary_accuracy"], 1e-6);
        Assert.Equal(logs["label_binary_accuracy"], given.Result(), 1e-6);
    }
}
