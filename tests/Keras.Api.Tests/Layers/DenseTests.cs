using KerasGpu.Autodiff;
using KerasGpu.Initializers;
using KerasGpu.Layers;
using KerasGpu.Regularizers;
using static KerasGpu.Tests.Layers.LayerTestUtil;

namespace KerasGpu.Tests.Layers;

/// <summary>Dense's Keras arguments: initializers by name, use_bias, rank > 2 inputs, regularizer/constraint config.</summary>
public class DenseTests : IDisposable
{
    private readonly TensorScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void Rank3Inputs_ApplyTheKernelToTheLastAxis()
    {
        using var dense = new Dense(4, activation: "relu", kernelInitializer: new RandomNormal(stddev: 1, seed: 1), biasInitializer: new RandomUniform(-1, 1, seed: 2));
        var xv = Values(2 * 3 * 5, 3);
        var y = dense.Apply(Upload(xv, 2, 3, 5));
        Assert.Equal([2, 3, 4], y.Shape);
        Assert.Equal([null, 7, 4], dense.ComputeOutputShape([null, 7, 5]));
        var k = Host(dense.Kernel!.Value);
        var b = Host(dense.Bias!.Value);
        var got = Host(y);
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 4; j++)
            {
                double z = b[j];
                for (int i = 0; i < 5; i++) z += xv[r * 5 + i] * k[i * 4 + j];
                Assert.Equal(Math.Max(z, 0), got[r * 4 + j], 1e-5);
            }
    }

    [Fact]
    public void Rank3Inputs_BackpropagateThroughTheKernel()
    {
        using var dense = new Dense(2, kernelInitializer: "ones", biasInitializer: "zeros");
        var xv = Values(2 * 3 * 4, 4);
        var x = Upload(xv, 2, 3, 4);
        dense.Build([null, 3, 4]);
        using var tape = new GradientTape();
        tape.Watch(dense.Kernel!.Value);
        var loss = Ops.Sum(dense.Apply(x));
        var g = Host(tape.Gradient(loss, [dense.Kernel!.Value])[0]!);
        for (int i = 0; i < 4; i++)
        {
            double colSum = Enumerable.Range(0, 6).Sum(r => xv[r * 4 + i]);
            Assert.Equal(colSum, g[i * 2], 1e-5);
            Assert.Equal(colSum, g[i * 2 + 1], 1e-5);
        }
    }

    [Fact]
    public void SymbolicRank3_GivesKerasOutputShape_AndChecksTheLastAxis()
    {
        var input = Keras.Input([6, 8]);
        var dense = new Dense(3);
        var output = dense.Apply(input);
        Assert.Equal([null, 6, 3], output.Shape);
        var e = Assert.Throws<ArgumentException>(() => dense.Apply(Keras.Input([6, 5])));
        Assert.Equal("Input 0 of layer \"" + dense.Name + "\" is incompatible with the layer: expected axis -1 of input shape to have value 8, but received input with shape (None, 6, 5)", e.Message);
    }

    [Fact]
    public void InitializersByName_AndNoBias()
    {
        using var dense = new Dense(3, useBias: false, kernelInitializer: "ones");
        dense.Build([null, 2]);
        Assert.Null(dense.Bias);
        Assert.Single(dense.Weights);
        Assert.All(Host(dense.Kernel!.Value), v => Assert.Equal(1.0, v));
        Assert.Equal([3.0, 3.0, 3.0], Host(dense.Apply(Upload([1, 2], 1, 2))));
    }

    [Fact]
    public void KernelInitializer_SeesTheKernelFans()
    {
        // he_uniform on a [400, 300] kernel: limit sqrt(6 / 400).
        using var dense = new Dense(300, kernelInitializer: new HeUniform(seed: 5));
        dense.Build([null, 400]);
        var k = Host(dense.Kernel!.Value);
        double limit = Math.Sqrt(6.0 / 400);
        Assert.All(k, v => Assert.InRange(Math.Abs(v), 0, limit));
        Assert.True(k.Max() > 0.99 * limit);
    }

    [Fact]
    public void GetConfig_ListsRegularizersAndConstraints()
    {
        var config = new Dense(2, kernelRegularizer: new L2(0.5), activityRegularizer: "l1", biasConstraint: "non_neg", name: "d").GetConfig();
        var kr = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(config["kernel_regularizer"]);
        Assert.Equal("L2", kr["class_name"]);
        Assert.Equal(new Dictionary<string, object?> { ["l2"] = 0.5 }, kr["config"]);
        Assert.Null(config["bias_regularizer"]);
        Assert.Equal("L1", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(config["activity_regularizer"])["class_name"]);
        Assert.Null(config["kernel_constraint"]);
        Assert.Equal("NonNeg", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(config["bias_constraint"])["class_name"]);
    }
}
