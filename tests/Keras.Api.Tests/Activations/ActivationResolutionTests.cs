using KerasGpu.Utils;
using KerasGpu.Activations;
using KerasGpu.Backend;
using KerasGpu.Layers;

namespace KerasGpu.Tests.Activations;

/// <summary>Activations by name (keras.activations.get), as objects, and inside Dense (fused kernel or composition).</summary>
public class ActivationResolutionTests
{
    // Keras 3's ALL_OBJECTS_DICT (keras/src/activations/__init__.py) without threshold (its arguments have no defaults, so
    // it cannot be used by name).
    private static readonly string[] s_kerasNames =
    [
        "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
        "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu",
        "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus", "swish", "tanh",
        "tanh_shrink",
    ];

    [Fact]
    public void KnownNames_AreKeras3sNames()
    {
        Assert.Equal(s_kerasNames, ActivationFunction.KnownNames);
    }

    [Fact]
    public void EveryName_Resolves_ToItsCanonicalName()
    {
        foreach (var name in s_kerasNames)
        {
            var f = ActivationFunction.Get(name);
            string canonical = name switch { "swish" => "silu", "hard_swish" => "hard_silu", _ => name };
            Assert.Equal(canonical, f.Name);
            Assert.Equal(canonical, f.ToString());
        }
    }

    [Fact]
    public void Aliases_ComputeTheSameFunction()
    {
        using var h = new Harness();
        var x = h.Upload(Harness.Random(9, 1, -5, 5));
        Assert.Equal(Harness.Download(ActivationFunction.Get("silu").Call(x)), Harness.Download(ActivationFunction.Get("swish").Call(x)));
        Assert.Equal(Harness.Download(ActivationFunction.Get("hard_silu").Call(x)), Harness.Download(ActivationFunction.Get("hard_swish").Call(x)));
        Assert.Equal(Harness.Download(Ops.Silu(x)), Harness.Download(Ops.Swish(x)));
        Assert.Equal(Harness.Download(Ops.HardSilu(x)), Harness.Download(Ops.HardSwish(x)));
        Assert.Equal("silu", ActivationFunction.Swish().Name);
        Assert.Equal("hard_silu", ActivationFunction.HardSwish().Name);
    }

    [Fact]
    public void Null_MeansLinear_AsKerasGetDoes()
    {
        Assert.Equal("linear", ActivationFunction.Get(null).Name);
    }

    [Fact]
    public void UnknownName_RaisesKerasMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationFunction.Get("relu7"));
        Assert.StartsWith("Could not interpret activation function identifier: relu7.", e.Message);
        Assert.Contains("gelu", e.Message);
        Assert.Throws<ArgumentException>(() => new Dense(3, activation: "Relu"));
    }

    [Fact]
    public void Threshold_ByName_ExplainsItsRequiredArguments()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationFunction.Get("threshold"));
        Assert.Contains("default_value", e.Message);
        Assert.Contains("ActivationFunction.Threshold", e.Message);
    }

    [Fact]
    public void ElementwiseKernels_AreUsed_OnlyForTheirDefaultForms()
    {
        Assert.Equal(ActivationKind.Relu, ActivationFunction.Get("relu").Kind);
        Assert.Equal(ActivationKind.Sigmoid, ActivationFunction.Get("sigmoid").Kind);
        Assert.Equal(ActivationKind.Tanh, ActivationFunction.Get("tanh").Kind);
        Assert.Equal(ActivationKind.Linear, ActivationFunction.Get("linear").Kind);
        Assert.Null(ActivationFunction.Relu(maxValue: 6).Kind);
        Assert.Null(ActivationFunction.Relu(negativeSlope: 0.1f).Kind);
        Assert.Null(ActivationFunction.Get("softmax").Kind);
        Assert.Null(ActivationFunction.Get("gelu").Kind);
    }

    [Fact]
    public void Config_HoldsTheArguments_ByKerasNames()
    {
        var relu = ActivationFunction.Relu(0.1f, 6, 0.5f);
        Assert.Equal(0.1f, relu.Config["negative_slope"]);
        Assert.Equal(6f, relu.Config["max_value"]);
        Assert.Equal(0.5f, relu.Config["threshold"]);
        Assert.Null(ActivationFunction.Get("relu").Config["max_value"]);
        Assert.Equal(0.2f, ActivationFunction.Get("leaky_relu").Config["negative_slope"]);
        Assert.Equal(1f, ActivationFunction.Get("elu").Config["alpha"]);
        Assert.Equal(-1, ActivationFunction.Get("softmax").Config["axis"]);
        Assert.Equal(4f, ActivationFunction.Get("squareplus").Config["b"]);
        Assert.Empty(ActivationFunction.Get("selu").Config);
    }

    [Fact]
    public void BadArguments_AreRejected_WhenTheActivationIsCreated()
    {
        Assert.Contains("max_value=-1", Assert.Throws<ArgumentException>(() => ActivationFunction.Relu(maxValue: -1)).Message);
        Assert.Contains("alpha=0", Assert.Throws<ArgumentException>(() => ActivationFunction.Celu(0)).Message);
        Assert.Contains("b=-1", Assert.Throws<ArgumentException>(() => ActivationFunction.Squareplus(-1)).Message);
        Assert.Throws<ArgumentException>(() => new ActivationFunction(" ", x => x));
        Assert.Throws<ArgumentNullException>(() => new ActivationFunction("f", null!));
    }

    [Fact]
    public void ArgumentsInMessages_AreWrittenAsPythonWould()
    {
        Assert.Equal("-1.0", PyFormat.ReprOfLiteral(-1f));
        Assert.Equal("0.3", PyFormat.ReprOfLiteral(0.3f));
        Assert.Equal("1e-05", PyFormat.ReprOfLiteral(1e-5f));
        Assert.Equal("nan", PyFormat.ReprOfLiteral(float.NaN));
        Assert.Equal("-inf", PyFormat.ReprOfLiteral(float.NegativeInfinity));
    }

    [Fact]
    public void Glu_OddAxis_RaisesKerasMessage()
    {
        using var h = new Harness();
        var e = Assert.Throws<ArgumentException>(() => ActivationFunction.Glu().Call(h.Upload(Harness.Random(6, 2), [2, 3])));
        Assert.Equal("axis size must be divisible by 2. Received: x.shape=(2, 3) with axis=-1", e.Message);
    }

    [Fact]
    public void Glu_AlongAnAxis_MatchesFloat64()
    {
        using var h = new Harness();
        // Shape (2, 2, 3): the halves along axis 1 are a = x[i, 0, k] and b = x[i, 1, k].
        var x = Harness.Random(12, 3, -3, 3);
        var expected = new double[6];
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 3; k++)
                expected[i * 3 + k] = x[i * 6 + k] * Reference.Sigmoid(x[i * 6 + 3 + k]);
        var got = Harness.Download(ActivationFunction.Glu(axis: 1).Call(h.Upload(x, [2, 2, 3])));
        Harness.AssertClose(expected, got, 1e-6, 1e-6, "glu(axis=1)");
        var w = Harness.Random(6, 4);
        double[] Formula(double[] v)
        {
            var y = new double[6];
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < 3; k++) y[i * 3 + k] = v[i * 6 + k] * Reference.Sigmoid(v[i * 6 + 3 + k]);
            return y;
        }
        Harness.AssertClose(Harness.FiniteDifference(Formula, x, w), h.TapeGradient(t => Ops.Glu(t, 1), x, [2, 2, 3], w), 2e-4, 2e-4, "d glu");
    }

    public static TheoryData<string> DenseActivations => ["relu", "sigmoid", "tanh", "selu", "gelu", "swish", "softmax", "leaky_relu", "hard_sigmoid"];

    [Theory]
    [MemberData(nameof(DenseActivations))]
    public void Dense_ByName_MatchesFloat64_ValuesAndGradients(string name)
    {
        using var h = new Harness();
        using var use = h.Use();
        Func<double[], double[]> act = name switch
        {
            "relu" => z => [.. z.Select(v => Math.Max(v, 0))],
            "sigmoid" => z => [.. z.Select(Reference.Sigmoid)],
            "tanh" => z => [.. z.Select(Math.Tanh)],
            "selu" => z => [.. z.Select(v => Reference.SeluScale * Reference.Elu(v, Reference.SeluAlpha))],
            "gelu" => z => [.. z.Select(Reference.GeluExact)],
            "swish" => z => [.. z.Select(v => v * Reference.Sigmoid(v))],
            "softmax" => z => Reference.SoftmaxRows(z, 3),
            "leaky_relu" => z => [.. z.Select(v => v >= 0 ? v : 0.2 * v)],
            _ => z => [.. z.Select(Reference.HardSigmoid)],
        };
        using var dense = new Dense(3, activation: name);
        var x = Harness.Random(8, 5, -2, 2);
        dense.Build([null, 4]);
        var kernel = Harness.Download(dense.Kernel!.Value);
        var bias = Harness.Random(3, 6, -0.5, 0.5); // a nonzero bias, so the epilogue's bias add is checked too
        dense.Bias!.Assign(NDArray.FromArray([.. bias.Select(v => (float)v)], 3));
        var got = Harness.Download(dense.Apply(h.Upload(x, [2, 4])));
        double[] Forward(double[] xs)
        {
            var z = new double[6];
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                {
                    z[i * 3 + j] = bias[j];
                    for (int p = 0; p < 4; p++) z[i * 3 + j] += xs[i * 4 + p] * kernel[p * 3 + j];
                }
            return act(z);
        }
        Harness.AssertClose(Forward(x), got, 1e-5, 1e-5, $"Dense(activation=\"{name}\")");
        var w = Harness.Random(6, 7);
        Harness.AssertClose(Harness.FiniteDifference(Forward, x, w), h.TapeGradient(t => dense.Apply(t), x, [2, 4], w), 2e-4, 2e-4, $"d Dense({name})/dx");
        Assert.Equal(ActivationFunction.Get(name).Name, dense.GetConfig()["activation"]);
    }

    [Fact]
    public void CustomFunction_WorksInDenseAndActivation()
    {
        using var h = new Harness();
        using var use = h.Use();
        var square = new ActivationFunction("square", Ops.Square);
        using var layer = new Activation(square);
        var x = Harness.Random(5, 8, -2, 2);
        Harness.AssertClose([.. x.Select(v => v * v)], Harness.Download(layer.Apply(h.Upload(x))), 1e-6, 1e-6, "custom");
        Assert.Equal("square", layer.GetConfig()["activation"]);
        using var dense = new Dense(2, activation: square);
        Assert.True(Harness.Download(dense.Apply(h.Upload(x, [1, 5]))).All(v => v >= 0));
    }
}
