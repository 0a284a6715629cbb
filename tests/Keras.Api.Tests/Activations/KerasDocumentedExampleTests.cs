using KerasGpu.Activations;

namespace KerasGpu.Tests.Activations;

/// <summary>The numbers printed in Keras 3's docstrings (keras/src/activations, keras/src/ops/nn.py, layers/activations).</summary>
public class KerasDocumentedExampleTests
{
    private static void Check(ActivationFunction f, double[] x, double[] expected)
    {
        using var h = new Harness();
        Harness.AssertClose(expected, Harness.Download(f.Call(h.Upload(x))), 1e-6, 1e-6, f.Name, x);
    }

    private static readonly double[] s_reluInput = [-10, -5, 0, 5, 10];

    [Fact]
    public void Relu_AndItsArguments() // keras.activations.relu
    {
        Check(ActivationFunction.Relu(), s_reluInput, [0, 0, 0, 5, 10]);
        Check(ActivationFunction.Relu(negativeSlope: 0.5f), s_reluInput, [-5, -2.5, 0, 5, 10]);
        Check(ActivationFunction.Relu(maxValue: 5), s_reluInput, [0, 0, 0, 5, 5]);
        Check(ActivationFunction.Relu(threshold: 5), s_reluInput, [-0.0, -0.0, 0, 0, 10]);
    }

    [Fact]
    public void OpsExamples()
    {
        Check(ActivationFunction.Relu6(), [-3, -2, 0.1, 0.2, 6, 8], [0, 0, 0.1, 0.2, 6, 6]);
        Check(ActivationFunction.Sigmoid(), [-6, 1, 0, 1, 6], [0.00247262, 0.7310586, 0.5, 0.7310586, 0.9975274]);
        Check(ActivationFunction.Silu(), [-6, 1, 0, 1, 6], [-0.0148357, 0.7310586, 0.0, 0.7310586, 5.9851646]);
        Check(ActivationFunction.Softplus(), [-0.555, 0, 0.555], [0.45366603, 0.6931472, 1.008666]);
        Check(ActivationFunction.Softsign(), [-0.1, -10, 1, 0, 100], [-0.09090909, -0.90909094, 0.5, 0.0, 0.990099]);
        Check(ActivationFunction.SoftShrink(), [-1, 0, 1], [-0.5, 0, 0.5]);
        Check(ActivationFunction.SparsePlus(), [-1, 0, 1], [0, 0.25, 1]);
        Check(ActivationFunction.LogSigmoid(), [-0.541391, 0.0, 0.50, 5.0], [-1.0000418, -0.6931472, -0.474077, -0.00671535]);
        Check(ActivationFunction.LeakyRelu(), [-1, 0, 1], [-0.2, 0, 1]);
        Check(ActivationFunction.HardSilu(), [-3, -1, 0, 1, 3], [-0.0, -0.3333333, 0.0, 0.6666667, 3.0]);
        Check(ActivationFunction.Elu(), [-1, 0, 1], [-0.63212055, 0, 1]);
        Check(ActivationFunction.Selu(), [-1, 0, 1], [-1.11133055, 0, 1.05070098]);
        Check(ActivationFunction.Celu(), [-1, 0, 1], [-0.63212056, 0, 1]);
        Check(ActivationFunction.TanhShrink(), [-1, 0, 1], [-0.23840584, 0, 0.23840584]);
        Check(ActivationFunction.HardTanh(), [-2, -1, 0, 1, 2], [-1, -1, 0, 1, 1]);
        Check(ActivationFunction.HardShrink(), [-0.5, 0, 1], [0, 0, 1]);
        Check(ActivationFunction.Threshold(1, 0), [-1, 0, 1, 2], [0, 0, 0, 2]);
        Check(ActivationFunction.Softmax(), [-1, 0, 1], [0.09003057, 0.24472847, 0.66524096]);
        Check(ActivationFunction.Glu(), [-1, 0, 1, 1], [-0.73105858, 0]);
    }

    [Fact]
    public void Squareplus_DocumentedToFourDecimals()
    {
        using var h = new Harness();
        Harness.AssertClose([0.6180, 1.0000, 1.6180], Harness.Download(ActivationFunction.Squareplus().Call(h.Upload([-1, 0, 1]))), 1e-4, 0, "squareplus");
    }

    [Fact]
    public void Gelu_ActivationsDefaultIsTheExactForm()
    {
        // keras.activations.gelu defaults to approximate=False; these are the erf values (the tanh form gives 0.841192).
        Check(ActivationFunction.Gelu(), [-1, 0, 1], [-0.15865525, 0, 0.84134475]);
        Assert.Equal(false, ActivationFunction.Get("gelu").Config["approximate"]);
    }

    [Fact]
    public void Gelu_OpsDefaultIsTheTanhApproximation()
    {
        using var h = new Harness();
        var x = h.Upload([-1, 0, 1]);
        Harness.AssertClose([.. new double[] { -1, 0, 1 }.Select(Reference.GeluTanh)], Harness.Download(Ops.Gelu(x)), 1e-6, 1e-6, "ops.gelu");
        Assert.True(Math.Abs(Harness.Download(Ops.Gelu(x))[2] - 0.84134475) > 1e-4, "keras.ops.gelu defaults to the tanh form");
    }
}
