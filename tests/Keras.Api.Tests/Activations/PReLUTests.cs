using KerasGpu.Constraints;
using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;
using KerasGpu.Regularizers;

namespace KerasGpu.Tests.Activations;

/// <summary>PReLU: alpha's shape (shared axes), values, gradients for x and alpha, input spec, config and training.</summary>
public class PReLUTests
{
    /// <summary>Keras' formula: <c>x</c> where <c>x &gt; 0</c>, else <c>alpha · x</c>, alpha broadcast from the trailing axes.</summary>
    private static double[] Formula(double[] x, double[] alpha, int[] shape, int[] alphaShape)
    {
        var y = new double[x.Length];
        int rank = shape.Length;
        for (int flat = 0; flat < x.Length; flat++)
        {
            int rem = flat, a = 0, stride = 1;
            for (int d = rank - 1; d >= 1; d--)
            {
                int coord = rem % shape[d];
                rem /= shape[d];
                if (alphaShape[d - 1] != 1) a += coord * stride;
                stride *= alphaShape[d - 1];
            }
            y[flat] = x[flat] > 0 ? x[flat] : alpha[a] * x[flat];
        }
        return y;
    }

    public static TheoryData<int[], int[]?, int[]> Shapes => new()
    {
        { new[] { 3, 4 }, null, new[] { 4 } },
        { new[] { 2, 3, 4 }, null, new[] { 3, 4 } },
        { new[] { 2, 3, 4 }, new[] { 1 }, new[] { 1, 4 } },
        { new[] { 2, 2, 3, 4 }, new[] { 1, 2 }, new[] { 1, 1, 4 } },
        { new[] { 2, 2, 3, 4 }, new[] { 3 }, new[] { 2, 3, 1 } },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AlphaShape_Values_AndGradients_MatchFloat64(int[] shape, int[]? sharedAxes, int[] alphaShape)
    {
        using var h = new Harness();
        using var use = h.Use();
        using var layer = new PReLU(sharedAxes: sharedAxes);
        var x = Harness.Random((int)KerasGpu.Shapes.Size(shape), 1, -3, 3);
        var input = h.Upload(x, shape);
        var zeroAlphaOutput = Harness.Download(layer.Apply(input));
        Assert.Equal(alphaShape, layer.Alpha!.Shape);
        Assert.Single(layer.TrainableWeights);
        // Zeros, the default initializer: the layer starts as a ReLU.
        Harness.AssertClose([.. x.Select(v => Math.Max(v, 0))], zeroAlphaOutput, 0, 0, "PReLU with alpha = 0");

        var alpha = Harness.Random((int)KerasGpu.Shapes.Size(alphaShape), 2, 0.05, 0.5);
        layer.SetWeights([NDArray.FromArray([.. alpha.Select(v => (float)v)], alphaShape)]);
        Harness.AssertClose(Formula(x, alpha, shape, alphaShape), Harness.Download(layer.Apply(input)), 1e-6, 1e-6, "PReLU");

        var w = Harness.Random(x.Length, 3);
        Harness.AssertClose(Harness.FiniteDifference(v => Formula(v, alpha, shape, alphaShape), x, w),
            h.TapeGradient(t => layer.Apply(t), x, shape, w), 2e-4, 2e-4, "d PReLU/dx");

        // d/d alpha: sums over the batch and the shared axes.
        Tensor? alphaGrad;
        using (var tape = new KerasGpu.Autodiff.GradientTape())
        {
            tape.Watch(layer.Alpha.Value);
            var loss = Ops.Sum(Ops.Multiply(layer.Apply(input), h.Upload(w, shape)));
            alphaGrad = tape.Gradient(loss, [layer.Alpha.Value])[0];
        }
        Harness.AssertClose(Harness.FiniteDifference(a => Formula(x, a, shape, alphaShape), alpha, w),
            Harness.Download(alphaGrad!), 2e-4, 2e-4, "d PReLU/d alpha");
    }

    [Fact]
    public void InputSpec_RejectsOtherRanksAndSizes_WithKerasMessages()
    {
        using var h = new Harness();
        using var use = h.Use();
        using var layer = new PReLU(sharedAxes: [1], name: "prelu_spec");
        layer.Build([null, 5, 3]);
        var rank = Assert.Throws<ArgumentException>(() => layer.Apply(h.Upload(new double[6], [2, 3])));
        Assert.Equal("Input 0 of layer \"prelu_spec\" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (2, 3)", rank.Message);
        var axis = Assert.Throws<ArgumentException>(() => layer.Apply(h.Upload(new double[8], [2, 2, 2])));
        Assert.Equal("Input 0 of layer \"prelu_spec\" is incompatible with the layer: expected axis 2 of input shape to have value 3, but received input with shape (2, 2, 2)", axis.Message);
        // Axis 1 is shared, so any size is accepted there.
        Assert.Equal([2, 7, 3], layer.Apply(h.Upload(new double[42], [2, 7, 3])).Shape);
    }

    [Fact]
    public void BadSharedAxes_AndUnknownDimensions_AreRejected()
    {
        Assert.Contains("shared_axes=[0]", Assert.Throws<ArgumentException>(() => new PReLU(sharedAxes: [0])).Message);
        Assert.Contains("must not repeat", Assert.Throws<ArgumentException>(() => new PReLU(sharedAxes: [1, 1])).Message);
        using var h = new Harness();
        using var use = h.Use();
        using var layer = new PReLU(sharedAxes: [3]);
        Assert.Contains("shared axis 3 is out of range", Assert.Throws<ArgumentException>(() => layer.Build([null, 2, 3])).Message);
        using var unknown = new PReLU();
        Assert.Contains("axis 1 of input shape (None, None, 3) is None", Assert.Throws<ArgumentException>(() => unknown.Build([null, null, 3])).Message);
        Assert.False(unknown.Built);
        Assert.Empty(unknown.Weights);
    }

    private sealed class SumOfSquares(float factor) : Regularizer
    {
        public override Tensor Call(Tensor x) => Ops.Scale(Ops.Sum(Ops.Square(x)), factor);
        public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["factor"] = factor };
    }

    private sealed class NonNegative : Constraint
    {
        public override Tensor Call(Tensor w) => Ops.Maximum(w, Ops.Scalar(w.Backend, 0f));
        public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();
    }

    [Fact]
    public void RegularizerConstraintAndInitializer_ReachTheWeight_AndTheConfig()
    {
        using var h = new Harness();
        using var use = h.Use();
        var regularizer = new SumOfSquares(0.5f);
        var constraint = new NonNegative();
        using var layer = new PReLU(alphaInitializer: "glorot_uniform", alphaRegularizer: regularizer, alphaConstraint: constraint, sharedAxes: [1]);
        Assert.StartsWith("p_re_lu", layer.Name);
        layer.Build([null, 2, 3]);
        Assert.Same(regularizer, layer.Alpha!.Regularizer);
        Assert.Same(constraint, layer.Alpha.Constraint);
        var alpha = Harness.Download(layer.Alpha.Value);
        Assert.Contains(alpha, v => v != 0); // glorot_uniform, not zeros
        Assert.Equal(0.5 * alpha.Sum(v => v * v), layer.Losses.Single().Item(), 1e-5);
        var config = layer.GetConfig();
        Assert.Equal("glorot_uniform", config["alpha_initializer"]);
        Assert.Equal(0.5f, ((IReadOnlyDictionary<string, object?>)config["alpha_regularizer"]!)["factor"]);
        Assert.NotNull(config["alpha_constraint"]);
        Assert.Equal(new[] { 1 }, config["shared_axes"]);
        Assert.Equal("zeros", new PReLU().GetConfig()["alpha_initializer"]);
        Assert.Null(new PReLU().GetConfig()["shared_axes"]);
    }

    [Fact]
    public void Alpha_IsTrainable_CountedInSummary_AndLearnsInFit()
    {
        using var model = new Sequential();
        model.Add(Keras.Input(shape: [4]));
        var prelu = new PReLU(name: "prelu");
        foreach (var layer in new Layer[] { new Dense(8), prelu, new Dense(1) }) model.Add(layer);
        Assert.Equal(4 * 8 + 8 + 8 + 8 + 1, model.CountParams());
        var summary = model.SummaryText();
        Assert.Contains(summary.Split('\n'), l => l.StartsWith("│ prelu (PReLU)") && l.Contains("(None, 8)") && l.TrimEnd().EndsWith(" 8 │"));
        Assert.Contains(" Trainable params: 57 (228.00 B)", summary);

        // Targets that need a negative slope: y = −x₀ for negative x₀ pushes alpha away from 0.
        var rng = new Random(3);
        var x = Enumerable.Range(0, 64 * 4).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, 64).Select(i => Math.Abs(x[i * 4])).ToArray();
        model.Compile(optimizer: new SGD(learningRate: 0.05f), loss: new MeanSquaredError());
        model.Fit(NDArray.FromArray(x, 64, 4), NDArray.FromArray(y, 64, 1), batchSize: 16, epochs: 2, verbose: 0);
        Assert.Contains(prelu.Alpha!.Numpy().ToArray<float>(), a => a != 0f);
    }

    [Fact]
    public void InAFunctionalModel_BuildsFromSymbolicShapes_AndChecksThem()
    {
        var inputs = Keras.Input(shape: [3, 4]);
        var prelu = new PReLU(sharedAxes: [1]);
        var hidden = prelu.Apply(new Softmax(axis: 1).Apply(inputs));
        using var model = new Model(inputs, new LeakyReLU().Apply(hidden));
        Assert.Equal([null, 3, 4], hidden.Shape);
        Assert.Equal([1, 4], prelu.Alpha!.Shape);
        Assert.Equal(4, model.CountParams());
        var x = Harness.Random(2 * 3 * 4, 9, -2, 2);
        var y = model.Predict(NDArray.FromArray([.. x.Select(v => (float)v)], 2, 3, 4), verbose: 0).ToArray<float>();
        // alpha = 0 and softmax outputs are positive, so the model is softmax over axis 1.
        Harness.AssertClose(Reference.SoftmaxOverAxes(x, [2, 3, 4], [1], false), [.. y.Select(v => (double)v)], 1e-6, 1e-5, "model");
        Assert.Throws<ArgumentException>(() => prelu.Apply(Keras.Input(shape: [3, 5])));
    }
}
