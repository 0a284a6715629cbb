using KerasGpu.Backend;
using KerasGpu.Losses;

namespace KerasGpu.Tests.Losses;

/// <summary>The numbers printed in Keras 3's loss docstrings (keras/src/losses/losses.py), to the digits they show.</summary>
public class LossDocExampleTests : LossTestContext
{
    private double[] Run(Loss loss, double[] yTrue, int[] trueShape, double[] yPred, int[] predShape, double[]? sampleWeight = null,
        DType targetType = DType.Float32) =>
        Download(loss.Call(Upload(yTrue, trueShape, targetType), Upload(yPred, predShape),
            sampleWeight is null ? null : Upload(sampleWeight, [sampleWeight.Length])));

    /// <summary>Passes when the value rounds to the printed one (half a unit of its last digit, plus float32 slack).</summary>
    private static void AssertPrinted(double printed, int decimals, double got, string what) =>
        Assert.True(Math.Abs(got - printed) <= 0.5 * Math.Pow(10, -decimals) + 1e-6 * Math.Abs(printed) + 1e-7,
            $"{what}: got {got:R}, Keras prints {printed}");

    private static void AssertPrintedTruncated(double printed, int decimals, double got, string what) =>
        // A few docstrings cut digits rather than round them; accept either reading.
        Assert.True(Math.Abs(got - printed) <= Math.Pow(10, -decimals) + 1e-6, $"{what}: got {got:R}, Keras prints {printed}");

    [Fact]
    public void Regression_Examples()
    {
        AssertPrinted(0.02, 2, Run(new MeanSquaredError(), [1, 0, 1], [3], [0.9, 0.1, 0.8], [3])[0], "MeanSquaredError");
        AssertPrinted(0.5666667, 7, Run(new MeanAbsoluteError(), [1, 0.3, 1], [3], [1.9, 0.3, 1.8], [3])[0], "MeanAbsoluteError");
        AssertPrinted(6.111111, 5, Run(new MeanAbsolutePercentageError(), [100, 200, 300], [3], [90, 210, 310], [3])[0], "MeanAbsolutePercentageError");
        AssertPrinted(0.155, 3, Run(new Huber(), [0, 1, 0, 0], [2, 2], [0.6, 0.4, 0.4, 0.6], [2, 2])[0], "huber");
        AssertPrinted(0.108, 3, Run(new LogCosh(), [0, 1, 0, 0], [2, 2], [1, 1, 0, 0], [2, 2])[0], "log_cosh");
    }

    [Fact]
    public void CosineSimilarity_Example()
    {
        var got = Run(new CosineSimilarity(reduction: "none"), [0, 1, 1, 1, 1, 1], [3, 2], [1, 0, 1, 1, -1, -1], [3, 2]);
        AssertPrinted(0, 7, got[0], "orthogonal");
        AssertPrinted(-0.99999994, 7, got[1], "same direction");
        AssertPrinted(0.99999994, 7, got[2], "opposite");
    }

    [Fact]
    public void CategoricalAndSparseCrossentropy_Examples()
    {
        double[] oneHot = [0, 1, 0, 0, 0, 1], labels = [1, 2], p = [0.05, 0.95, 0, 0.1, 0.8, 0.1];
        foreach (var (make, t, shape, type) in new (Func<string, Loss>, double[], int[], DType)[]
        {
            (r => new CategoricalCrossentropy(reduction: r), oneHot, [2, 3], DType.Float32),
            (r => new SparseCategoricalCrossentropy(reduction: r), labels, [2], DType.Int32),
        })
        {
            string what = make("sum").Name;
            AssertPrinted(1.177, 3, Run(make("sum_over_batch_size"), t, shape, p, [2, 3], targetType: type)[0], what);
            AssertPrinted(0.814, 3, Run(make("sum_over_batch_size"), t, shape, p, [2, 3], [0.3, 0.7], type)[0], what + " weighted");
            AssertPrinted(2.354, 3, Run(make("sum"), t, shape, p, [2, 3], targetType: type)[0], what + " sum");
            var none = Run(make("none"), t, shape, p, [2, 3], targetType: type);
            AssertPrinted(0.0513, 4, none[0], what + " none[0]");
            AssertPrinted(2.303, 3, none[1], what + " none[1]");
        }
    }

    [Fact]
    public void CategoricalFocalCrossentropy_Examples()
    {
        double[] t = [0, 1, 0, 0, 0, 1], p = [0.05, 0.95, 0, 0.1, 0.8, 0.1];
        AssertPrinted(0.23315276, 8, Run(new CategoricalFocalCrossentropy(), t, [2, 3], p, [2, 3])[0], "default");
        AssertPrinted(0.1632, 4, Run(new CategoricalFocalCrossentropy(), t, [2, 3], p, [2, 3], [0.3, 0.7])[0], "weighted");
        AssertPrinted(0.46631, 5, Run(new CategoricalFocalCrossentropy(reduction: "sum"), t, [2, 3], p, [2, 3])[0], "sum");
        var none = Run(new CategoricalFocalCrossentropy(reduction: "none"), t, [2, 3], p, [2, 3]);
        Assert.True(Math.Abs(none[0] - 3.2058331e-05) <= 1e-9 + 1e-4 * 3.2058331e-05, $"none[0] {none[0]:R}");
        AssertPrinted(0.46627346, 8, none[1], "none[1]");
        var fn = Run(new CategoricalFocalCrossentropy(reduction: "none"), t, [2, 3], [0.05, 0.9, 0.05, 0.1, 0.85, 0.05], [2, 3]);
        Assert.True(Math.Abs(fn[0] - 2.63401289e-04) <= 1e-4 * 2.63401289e-04, $"function example [0] {fn[0]:R}");
        AssertPrinted(0.675912094, 7, fn[1], "function example [1]");
    }

    [Fact]
    public void BinaryCrossentropy_Examples()
    {
        double[] logits = [-18.6, 0.51, 2.94, -12.8], t = [0, 1, 0, 0];
        AssertPrintedTruncated(0.8654, 4, Run(new BinaryCrossentropy(fromLogits: true), t, [4], logits, [4])[0], "1-D");
        AssertPrintedTruncated(0.8654, 4, Run(new BinaryCrossentropy(fromLogits: true), t, [2, 2], logits, [2, 2])[0], "2x2");
        AssertPrintedTruncated(0.243, 3, Run(new BinaryCrossentropy(fromLogits: true), t, [2, 2], logits, [2, 2], [0.8, 0.2])[0], "weighted");
        AssertPrintedTruncated(1.730, 3, Run(new BinaryCrossentropy(fromLogits: true, reduction: "sum"), t, [2, 2], logits, [2, 2])[0], "sum");
        var none = Run(new BinaryCrossentropy(fromLogits: true, reduction: "none"), t, [2, 2], logits, [2, 2]);
        AssertPrinted(0.235, 3, none[0], "none[0]");
        AssertPrinted(1.496, 3, none[1], "none[1]");
        var fn = Run(new BinaryCrossentropy(reduction: "none"), [0, 1, 0, 0], [2, 2], [0.6, 0.4, 0.4, 0.6], [2, 2]);
        AssertPrinted(0.916, 3, fn[0], "function example [0]");
        AssertPrinted(0.714, 3, fn[1], "function example [1]");
    }

    [Fact]
    public void BinaryFocalCrossentropy_Examples()
    {
        double[] logits = [-18.6, 0.51, 2.94, -12.8], t = [0, 1, 0, 0];
        double Scalar(float gamma, bool balance, int[] shape, double[]? w = null, string reduction = "sum_over_batch_size") =>
            Run(new BinaryFocalCrossentropy(applyClassBalancing: balance, gamma: gamma, fromLogits: true, reduction: reduction), t, shape, logits, shape, w)[0];
        AssertPrinted(0.691, 3, Scalar(2, false, [4]), "gamma 2");
        AssertPrinted(0.51, 2, Scalar(2, true, [4]), "gamma 2 balanced");
        AssertPrinted(0.647, 3, Scalar(3, false, [2, 2]), "gamma 3");
        AssertPrinted(0.482, 3, Scalar(3, true, [2, 2]), "gamma 3 balanced");
        AssertPrinted(0.133, 3, Scalar(3, false, [2, 2], [0.8, 0.2]), "gamma 3 weighted");
        AssertPrinted(0.097, 3, Scalar(3, true, [2, 2], [0.8, 0.2]), "gamma 3 balanced weighted");
        AssertPrinted(1.222, 3, Scalar(4, false, [2, 2], reduction: "sum"), "gamma 4 sum");
        AssertPrinted(0.914, 3, Scalar(4, true, [2, 2], reduction: "sum"), "gamma 4 balanced sum");
        var none = Run(new BinaryFocalCrossentropy(gamma: 5, fromLogits: true, reduction: "none"), t, [2, 2], logits, [2, 2]);
        AssertPrinted(0.0017, 4, none[0], "gamma 5 none[0]");
        AssertPrinted(1.1561, 4, none[1], "gamma 5 none[1]");
        var balanced = Run(new BinaryFocalCrossentropy(applyClassBalancing: true, gamma: 5, fromLogits: true, reduction: "none"), t, [2, 2], logits, [2, 2]);
        AssertPrinted(0.0004, 4, balanced[0], "gamma 5 balanced none[0]");
        AssertPrintedTruncated(0.8670, 4, balanced[1], "gamma 5 balanced none[1]");
        var fn = Run(new BinaryFocalCrossentropy(gamma: 2, reduction: "none"), [0, 1, 0, 0], [2, 2], [0.6, 0.4, 0.4, 0.6], [2, 2]);
        AssertPrinted(0.330, 3, fn[0], "function example [0]");
        AssertPrinted(0.206, 3, fn[1], "function example [1]");
    }

    [Fact]
    public void Dice_Examples()
    {
        double[] t = [1, 1, 0, 0, 1, 1, 0, 0], p = [0, 1, 0, 1, 0.4, 0, 0, 0.9];
        var perImage = Run(new Dice(reduction: "none", axis: [1, 2, 3]), t, [2, 2, 2, 1], p, [2, 2, 2, 1]);
        AssertPrinted(0.5, 7, perImage[0], "axis (1, 2, 3) [0]");
        AssertPrinted(0.75757575, 7, perImage[1], "axis (1, 2, 3) [1]");
        var whole = new Dice().Call(Upload(t, [2, 2, 2, 1]), Upload(p, [2, 2, 2, 1]));
        Assert.Equal([], whole.Shape);
        AssertPrinted(0.6164384, 7, Download(whole)[0], "all axes");
        // Tversky with alpha = beta = 0.5 is Dice (up to where epsilon sits).
        AssertPrinted(0.6164384, 6, Run(new Tversky(), t, [2, 2, 2, 1], p, [2, 2, 2, 1])[0], "tversky 0.5/0.5");
    }
}
