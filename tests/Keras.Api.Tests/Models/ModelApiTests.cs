using KerasGpu.Layers;
using KerasGpu.Optimizers;
using KerasGpu.Tests.Training;

namespace KerasGpu.Tests.Models;

/// <summary>Nested, subclassed and cloned models; layer lookup; whole-model weights in Keras' order.</summary>
public class ModelApiTests
{
    private static NDArray Features(int n, int cols, int seed) => NDArray.From2D(TrainingTestUtil.Features(n, cols, seed));

    private static NDArray Targets(int n, int cols, int seed) => NDArray.From2D(TrainingTestUtil.Features(n, cols, seed));

    /// <summary>A subclassed model: two tracked Dense layers and a residual sum in Call.</summary>
    private sealed class ResidualMlp : Model
    {
        private readonly Dense _hidden;
        private readonly Dense _project;
        private readonly Dense _head;

        public ResidualMlp()
        {
            _hidden = Track(new Dense(6, activation: "tanh"));
            _project = Track(new Dense(6));
            _head = Track(new Dense(2));
        }

        public IReadOnlyList<Dense> Parts => [_hidden, _project, _head];

        protected internal override Tensor Call(Tensor inputs, bool training)
        {
            var h = _hidden.Apply(inputs, training);
            return _head.Apply(Ops.Add(h, _project.Apply(inputs, training)), training);
        }
    }

    private sealed class NoCall : Model { }

    /// <summary>float64 <c>x·W + b</c> with an optional tanh, for references.</summary>
    private static double[] DenseRef(double[] x, int rows, NDArray kernel, NDArray bias, bool tanh = false)
    {
        int n = kernel.Shape[0], m = kernel.Shape[1];
        var k = kernel.ToArray<float>();
        var b = bias.ToArray<float>();
        var y = new double[rows * m];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < m; j++)
            {
                double s = b[j];
                for (int i = 0; i < n; i++) s += x[r * n + i] * k[i * m + j];
                y[r * m + j] = tanh ? Math.Tanh(s) : s;
            }
        return y;
    }

    [Fact]
    public void SubclassedModel_BuildsOnFirstUse_Trains_AndTracksWeightsInOrder()
    {
        var model = new ResidualMlp();
        Assert.StartsWith("residual_mlp", model.Name);
        Assert.False(model.Built);
        model.Compile(loss: "mse", optimizer: new Adam(learningRate: 0.02f));
        var x = Features(32, 4, 1);
        var y = Targets(32, 2, 2);
        var history = model.Fit(x, y, batchSize: 8, epochs: 30, verbose: 0);
        Assert.True(model.Built);
        Assert.True(history["loss"][^1] < history["loss"][0], $"loss {history["loss"][0]} -> {history["loss"][^1]}");
        Assert.Equal(model.Parts, model.Layers);
        Assert.Equal(model.Parts.SelectMany(p => new[] { p.Kernel!, p.Bias! }), model.Weights);
        Assert.Equal((4 * 6 + 6) * 2 + 6 * 2 + 2, model.CountParams());

        // Predict equals the formula on the trained weights.
        var w = model.GetWeights();
        var xs = x.ToArray<float>().Select(v => (double)v).ToArray();
        var h = DenseRef(xs, 32, w[0], w[1], tanh: true);
        var p = DenseRef(xs, 32, w[2], w[3]);
        var expected = DenseRef([.. h.Zip(p, (a, b) => a + b)], 32, w[4], w[5]);
        var got = model.Predict(x, verbose: 0).ToArray<float>();
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-4);

        var summary = model.SummaryText();
        Assert.Contains("(Dense)", summary);
        Assert.Contains("(None, 6)", summary);
        Assert.DoesNotContain("Connected to", summary);
    }

    [Fact]
    public void SubclassedModel_WithoutCall_SaysWhatToOverride()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new NoCall().Predict(Features(2, 3, 1), verbose: 0));
        Assert.Contains("must override Call(Tensor inputs, bool training)", e.Message);
    }

    [Fact]
    public void NestedFunctionalModel_IsALayer_InFunctionalAndSequential()
    {
        var innerIn = Keras.Input(shape: [4]);
        var inner = new Model(innerIn, new Dense(3, activation: "tanh", name: "inner_dense").Apply(innerIn), name: "encoder");
        var outerIn = Keras.Input(shape: [4], name: "features");
        var head = new Dense(2, name: "head");
        var outer = new Model(outerIn, head.Apply(inner.Apply(outerIn)), name: "outer");
        Assert.Equal(["features", "encoder", "head"], outer.Layers.Select(l => l.Name));
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2, outer.CountParams());
        Assert.Equal(4, outer.TrainableWeights.Count);

        var x = Features(5, 4, 3);
        var w = outer.GetWeights();
        var expected = DenseRef(DenseRef([.. x.ToArray<float>().Select(v => (double)v)], 5, w[0], w[1], tanh: true), 5, w[2], w[3]);
        var got = outer.Predict(x, verbose: 0).ToArray<float>();
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-5);

        const string summary = """
Model: "outer"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ features (InputLayer)                │ (None, 4)                   │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ encoder (Functional)                 │ (None, 3)                   │              15 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ head (Dense)                         │ (None, 2)                   │               8 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 23 (92.00 B)
 Trainable params: 23 (92.00 B)
 Non-trainable params: 0 (0.00 B)

""";
        Assert.Equal(summary.Replace("\r\n", "\n"), outer.SummaryText());

        var before = inner.GetWeights()[0].ToArray<float>();
        outer.Compile(loss: "mse", optimizer: "sgd");
        outer.Fit(x, Targets(5, 2, 4), epochs: 2, verbose: 0);
        Assert.NotEqual(before, inner.GetWeights()[0].ToArray<float>());

        var stacked = new Sequential();
        stacked.Add(Keras.Input(shape: [4]));
        stacked.Add(inner);
        stacked.Add(new Dense(1));
        Assert.Equal([5, 1], stacked.Predict(x, verbose: 0).Shape);
        Assert.Contains("encoder (Functional)", stacked.SummaryText());
        Assert.Equal(15 + 4, stacked.CountParams());
    }

    [Fact]
    public void NestedModel_RejectsAnInputOfTheWrongWidth()
    {
        var innerIn = Keras.Input(shape: [4]);
        var inner = new Model(innerIn, new Dense(3).Apply(innerIn));
        var e = Assert.Throws<ArgumentException>(() => inner.Apply(Keras.Input(shape: [5])));
        Assert.Contains("expected shape=(None, 4), found shape=(None, 5)", e.Message);
    }

    [Fact]
    public void Weights_FollowLayerOrder_TrainableThenNonTrainablePerLayer()
    {
        var x = Keras.Input(shape: [2]);
        var d1 = new Dense(3, name: "w1");
        var d2 = new Dense(3, name: "w2");
        var d3 = new Dense(1, name: "w3");
        var model = new Model(x, d3.Apply(d2.Apply(d1.Apply(x))));
        d2.Trainable = false;
        Assert.Equal(new[] { d1, d2, d3 }.SelectMany(d => new[] { d.Kernel!, d.Bias! }), model.Weights);
        Assert.Equal(new[] { d1, d3 }.SelectMany(d => new[] { d.Kernel!, d.Bias! }), model.TrainableWeights);
        Assert.Equal([d2.Kernel!, d2.Bias!], model.NonTrainableWeights);

        var values = model.GetWeights().Select((w, i) => NDArray.FromArray([.. Enumerable.Repeat((float)i, (int)w.Size)], w.Shape)).ToList();
        model.SetWeights(values);
        Assert.Equal(Enumerable.Repeat(2f, 9), d2.Kernel!.Numpy().ToArray<float>());
        var e = Assert.Throws<ArgumentException>(() => model.SetWeights(values.Take(5).ToList()));
        Assert.Contains("expects 6 weights, but received 5", e.Message);
    }

    [Fact]
    public void FreezingAModel_FreezesItsLayers_AndDropsTheirWeightPenalties()
    {
        var innerIn = Keras.Input(shape: [2]);
        var innerDense = new Dense(2, name: "inner_d");
        var inner = new Model(innerIn, innerDense.Apply(innerIn));
        var x = Keras.Input(shape: [2]);
        var head = new Dense(1, name: "head_d");
        var model = new Model(x, head.Apply(inner.Apply(x)));
        innerDense.Kernel!.Regularizer = new SquaredSumRegularizer(0.1f);
        head.Kernel!.Regularizer = new SquaredSumRegularizer(0.1f);
        Assert.Equal(2, model.Losses.Count); // each penalty once, though the inner model is also a layer
        inner.Trainable = false;
        Assert.False(innerDense.Trainable);
        Assert.Equal([head.Kernel, head.Bias!], model.TrainableWeights);
        Assert.Single(model.Losses);
        model.Trainable = true;
        Assert.True(innerDense.Trainable);
        Assert.Equal(model.Weights, model.TrainableWeights);
        Assert.Equal(4, model.Weights.Count);
    }

    [Fact]
    public void GetLayer_ByNameOrIndex_WithKerasMessages()
    {
        var x = Keras.Input(shape: [2], name: "in");
        var model = new Model(x, new Dense(1, name: "only").Apply(x));
        Assert.Equal("only", model.GetLayer(1).Name);
        Assert.Equal("in", model.GetLayer(0).Name);
        Assert.StartsWith("Was asked to retrieve layer at index 2 but model only has 2 layers.",
            Assert.Throws<ArgumentOutOfRangeException>(() => model.GetLayer(2)).Message);
        Assert.StartsWith("No such layer: nope. Existing layers are: ['in', 'only'].",
            Assert.Throws<ArgumentException>(() => model.GetLayer("nope")).Message);
    }

    [Fact]
    public void CloneModel_Functional_SameArchitectureFreshWeights_SharedStaysShared()
    {
        var a = Keras.Input(shape: [3], name: "a");
        var b = Keras.Input(shape: [3], name: "b");
        var shared = new Dense(4, activation: "relu", name: "shared");
        var merged = new Concatenate(name: "cat").Apply(shared.Apply(a), shared.Apply(b));
        var model = new Model([a, b], [new Dense(2, name: "out").Apply(merged)], name: "twin");
        var clone = Keras.Models.CloneModel(model);

        Assert.NotSame(model, clone);
        Assert.Equal("twin", clone.Name);
        Assert.Equal(model.Layers.Select(l => (l.Name, l.ClassName)), clone.Layers.Select(l => (l.Name, l.ClassName)));
        Assert.Equal(model.CountParams(), clone.CountParams());
        Assert.Equal(model.SummaryText(), clone.SummaryText());
        Assert.Empty(model.Weights.Intersect(clone.Weights));
        Assert.NotEqual(model.GetWeights()[0].ToArray<float>(), clone.GetWeights()[0].ToArray<float>());
        Assert.Equal("relu", ((Dense)clone.GetLayer("shared")).Activation.Name);

        clone.SetWeights(model.GetWeights());
        NDArray[] x = [Features(4, 3, 1), Features(4, 3, 2)];
        Assert.Equal(model.Predict(x, verbose: 0)[0].ToArray<float>(), clone.Predict(x, verbose: 0)[0].ToArray<float>());
    }

    [Fact]
    public void SequentialInsideFunctional_AndClonedWithItsInput()
    {
        var block = new Sequential(name: "block");
        block.Add(Keras.Input(shape: [3]));
        block.Add(new Dense(4, activation: "relu"));
        block.Add(new Dense(2));
        var x = Keras.Input(shape: [3]);
        var model = new Model(x, new Add().Apply(block.Apply(x), new Dense(2).Apply(x)));
        Assert.Contains("block (Sequential)", model.SummaryText());
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2 + 3 * 2 + 2, model.CountParams());
        var clone = Keras.Models.CloneModel(model);
        Assert.Equal("Sequential", clone.Layers.Single(l => l.Name == "block").ClassName);
        Assert.Equal(model.CountParams(), clone.CountParams());
        clone.SetWeights(model.GetWeights());
        var data = Features(3, 3, 8);
        Assert.Equal(model.Predict(data, verbose: 0).ToArray<float>(), clone.Predict(data, verbose: 0).ToArray<float>());
    }

    [Fact]
    public void CloneModel_Sequential_AndSubclassedIsNotSupported()
    {
        var model = new Sequential([new Dense(3, activation: "relu", name: "s1"), new Dense(1, name: "s2")], name: "seq");
        model.Predict(Features(2, 5, 1), verbose: 0);
        var clone = Keras.Models.CloneModel(model);
        Assert.Equal(["s1", "s2"], clone.Layers.Select(l => l.Name));
        Assert.Equal([2, 1], clone.Predict(Features(2, 5, 1), verbose: 0).Shape);
        Assert.Equal(model.CountParams(), clone.CountParams());
        Assert.Throws<NotSupportedException>(() => Keras.Models.CloneModel(new ResidualMlp()));
    }
}
