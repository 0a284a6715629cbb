using KerasGpu.Initializers;
using KerasGpu.Layers;

namespace KerasGpu.Tests.Models;

/// <summary>The "Connected to" summary of non-linear functional models, compared with Keras 3's printed output.</summary>
public class SummaryConnectedToTests
{
    /// <summary>A layer that only knows its Keras class name, output shape and weight shapes: enough to draw a summary
    /// of architectures whose layers (Conv2D, pooling) this project does not have yet.</summary>
    private sealed class ShapeOnlyLayer(string kerasClass, string name, Func<int?[], int?[]> outputShape, Func<int?[], int[][]>? weightShapes = null)
        : Layer(name)
    {
        public override string ClassName => kerasClass;

        public override void Build(int?[] inputShape)
        {
            foreach (var shape in weightShapes?.Invoke(inputShape) ?? []) AddWeight("w", shape, new Zeros());
            Built = true;
        }

        public override int?[] ComputeOutputShape(int?[] inputShape) => outputShape(inputShape);

        protected internal override Tensor Call(Tensor inputs, bool training) => throw new NotSupportedException("shape-only test layer");
    }

    private static ShapeOnlyLayer Conv2D(int filters, string name, bool same = false) =>
        new("Conv2D", name,
            s => [s[0], same ? s[1] : s[1] - 2, same ? s[2] : s[2] - 2, filters],
            s => [[3, 3, s[3]!.Value, filters], [filters]]);

    [Fact]
    public void ToyResNet_MatchesKerasIoOutput_CharacterForCharacter()
    {
        // keras-io guides/functional_api "A toy ResNet model", printed by Keras 3 at line_length 76 (an 80-column
        // terminal); Conv2D, MaxPooling2D, GlobalAveragePooling2D and Dropout are shape-only stand-ins here.
        var inputs = Keras.Input(shape: [32, 32, 3], name: "img");
        var x = Conv2D(32, "conv2d_8").Apply(inputs);
        x = Conv2D(64, "conv2d_9").Apply(x);
        var block1 = new ShapeOnlyLayer("MaxPooling2D", "max_pooling2d_2", s => [s[0], s[1] / 3, s[2] / 3, s[3]]).Apply(x);
        x = Conv2D(64, "conv2d_10", same: true).Apply(block1);
        x = Conv2D(64, "conv2d_11", same: true).Apply(x);
        var block2 = new Add(name: "add").Apply(x, block1);
        x = Conv2D(64, "conv2d_12", same: true).Apply(block2);
        x = Conv2D(64, "conv2d_13", same: true).Apply(x);
        var block3 = new Add(name: "add_1").Apply(x, block2);
        x = Conv2D(64, "conv2d_14").Apply(block3);
        x = new ShapeOnlyLayer("GlobalAveragePooling2D", "global_average_pooling2d", s => [s[0], s[3]]).Apply(x);
        x = new Dense(256, activation: "relu", name: "dense_6").Apply(x);
        x = new ShapeOnlyLayer("Dropout", "dropout", s => s).Apply(x);
        var outputs = new Dense(10, name: "dense_7").Apply(x);
        var model = new Model(inputs, outputs, name: "toy_resnet");

        const string expected = KerasGpu.Tests.Utils.KerasIoOutputs.ToyResnetSummary;
        Assert.Equal(expected.Replace("\r\n", "\n"), model.SummaryText(lineLength: 76));
    }

    [Fact]
    public void LayerOrder_FollowsKerasDepths_NotCreationOrder()
    {
        // Keras orders layers by depth from the outputs, then by the order a walk back from the outputs meets them: the
        // walk finishes "side" before "deep_1", but "deep_1" (depth 2) is listed before "side" (depth 1).
        var inputs = Keras.Input(shape: [4], name: "x");
        var deep = new Dense(4, name: "deep_1").Apply(inputs);
        deep = new Dense(4, name: "deep_2").Apply(deep);
        var side = new Dense(4, name: "side").Apply(inputs);
        var merged = new Add(name: "sum").Apply(side, deep);
        var model = new Model(inputs, merged);
        Assert.Equal(new[] { "x", "deep_1", "deep_2", "side", "sum" }.Order(), model.Layers.Select(l => l.Name).Order());
        Assert.Equal(["x", "deep_1", "side", "deep_2", "sum"], model.Layers.Select(l => l.Name));
    }

    [Fact]
    public void SharedLayer_ListsEveryCall_AndShowsTheLastCallsShape()
    {
        var a = Keras.Input(shape: [4], name: "left");
        var b = Keras.Input(shape: [4], name: "right");
        var shared = new Dense(3, name: "shared");
        var sum = new Add(name: "join").Apply(shared.Apply(a), shared.Apply(b));
        var model = new Model([a, b], [sum], name: "siamese");
        var rows = model.SummaryRows().ToList();
        var sharedRow = rows.Single(r => r.Name == "shared");
        Assert.Equal(["left[0][0]", "right[0][0]"], sharedRow.ConnectedTo);
        Assert.Equal(["shared[0][0]", "shared[1][0]"], rows.Single(r => r.Name == "join").ConnectedTo);
        Assert.False(model.IsSequentialLike);
    }

    [Fact]
    public void Chain_IsDrawnWithoutConnectedTo()
    {
        var inputs = Keras.Input(shape: [4]);
        var model = new Model(inputs, new Dense(2).Apply(new Dense(3).Apply(inputs)));
        Assert.True(model.IsSequentialLike);
        Assert.DoesNotContain("Connected to", model.SummaryText());
    }
}
