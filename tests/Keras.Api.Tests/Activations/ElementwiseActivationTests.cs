using KerasGpu.Activations;
using static KerasGpu.Tests.Activations.Reference;

namespace KerasGpu.Tests.Activations;

/// <summary>
/// Every elementwise activation (float32, through ActivationFunction) against its float64 formula: forward over a sweep
/// from −1000 to 1000, and tape gradients against float64 central differences away from the kinks and at large |x|.
/// </summary>
public class ElementwiseActivationTests
{
    /// <summary>One activation with its arguments, its float64 formula and where it is not differentiable.</summary>
    private sealed record Case(Func<ActivationFunction> Make, Func<double, double> Formula, double[] Kinks, double CancellationTolerance = 0);

    private static readonly double[] s_none = [];

    private static readonly Dictionary<string, Case> s_cases = new()
    {
        ["linear"] = new(ActivationFunction.Linear, x => x, s_none),
        ["relu"] = new(() => ActivationFunction.Relu(), x => Math.Max(x, 0), [0]),
        // Keras' ReLU layer formula: max_value at or above it, x from the threshold up, negative_slope·(x − threshold) below.
        ["relu(negative_slope=0.1)"] = new(() => ActivationFunction.Relu(negativeSlope: 0.1f), x => x >= 0 ? x : 0.1 * x, [0]),
        ["relu(max_value=6)"] = new(() => ActivationFunction.Relu(maxValue: 6), x => Math.Clamp(x, 0, 6), [0, 6]),
        ["relu(max_value=2.5)"] = new(() => ActivationFunction.Relu(maxValue: 2.5f), x => Math.Clamp(x, 0, 2.5), [0, 2.5]),
        ["relu(threshold=1)"] = new(() => ActivationFunction.Relu(threshold: 1), x => x > 1 ? x : 0, [1]),
        ["relu(0.2, max_value=4, threshold=1)"] = new(() => ActivationFunction.Relu(0.2f, 4, 1), x => x > 1 ? Math.Min(x, 4) : 0.2 * (x - 1), [1, 4]),
        ["relu(0.5, max_value=3)"] = new(() => ActivationFunction.Relu(0.5f, 3), x => x > 0 ? Math.Min(x, 3) : 0.5 * x, [0, 3]),
        ["leaky_relu"] = new(() => ActivationFunction.LeakyRelu(), x => x >= 0 ? x : 0.2 * x, [0]),
        ["leaky_relu(1.5)"] = new(() => ActivationFunction.LeakyRelu(1.5f), x => x >= 0 ? x : 1.5 * x, [0]),
        ["relu6"] = new(ActivationFunction.Relu6, x => Math.Min(Math.Max(x, 0), 6), [0, 6]),
        ["elu"] = new(() => ActivationFunction.Elu(), x => Elu(x, 1), [0]),
        ["elu(0.5)"] = new(() => ActivationFunction.Elu(0.5f), x => Elu(x, 0.5), [0]),
        ["selu"] = new(ActivationFunction.Selu, x => SeluScale * Elu(x, SeluAlpha), [0]),
        ["celu"] = new(() => ActivationFunction.Celu(), x => Math.Max(x, 0) + (Math.Exp(Math.Min(x, 0)) - 1), [0]),
        ["celu(2)"] = new(() => ActivationFunction.Celu(2), x => Math.Max(x, 0) + 2 * (Math.Exp(Math.Min(x, 0) / 2) - 1), [0]),
        ["gelu"] = new(() => ActivationFunction.Gelu(), GeluExact, s_none),
        ["gelu(approximate=True)"] = new(() => ActivationFunction.Gelu(approximate: true), GeluTanh, s_none),
        ["sigmoid"] = new(ActivationFunction.Sigmoid, Sigmoid, s_none),
        ["sparse_sigmoid"] = new(ActivationFunction.SparseSigmoid, x => x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1), [-1, 1]),
        ["hard_sigmoid"] = new(ActivationFunction.HardSigmoid, x => x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5, [-3, 3]),
        ["log_sigmoid"] = new(ActivationFunction.LogSigmoid, x => -Softplus(-x), s_none),
        ["silu"] = new(ActivationFunction.Silu, x => x * Sigmoid(x), s_none),
        ["hard_silu"] = new(ActivationFunction.HardSilu, x => x < -3 ? 0 : x > 3 ? x : x * (x + 3) / 6, [-3, 3]),
        ["mish"] = new(ActivationFunction.Mish, x => x * Math.Tanh(Softplus(x)), s_none),
        ["softplus"] = new(ActivationFunction.Softplus, Softplus, s_none),
        ["softsign"] = new(ActivationFunction.Softsign, x => x / (Math.Abs(x) + 1), [0]),
        ["soft_shrink"] = new(() => ActivationFunction.SoftShrink(), x => x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0, [-0.5, 0.5]),
        ["soft_shrink(2)"] = new(() => ActivationFunction.SoftShrink(2), x => x > 2 ? x - 2 : x < -2 ? x + 2 : 0, [-2, 2]),
        ["sparse_plus"] = new(ActivationFunction.SparsePlus, x => x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x, [-1, 1]),
        // (x + √(x² + b)) / 2 cancels for large negative x: float32 keeps about |x|·1e-7 absolute there, as Keras' does.
        ["squareplus"] = new(() => ActivationFunction.Squareplus(), x => (x + Math.Sqrt(x * x + 4)) / 2, s_none, 1e-7),
        ["squareplus(b=1)"] = new(() => ActivationFunction.Squareplus(1), x => (x + Math.Sqrt(x * x + 1)) / 2, s_none, 1e-7),
        ["tanh"] = new(ActivationFunction.Tanh, Math.Tanh, s_none),
        ["tanh_shrink"] = new(ActivationFunction.TanhShrink, x => x - Math.Tanh(x), s_none),
        ["hard_tanh"] = new(ActivationFunction.HardTanh, x => Math.Clamp(x, -1, 1), [-1, 1]),
        ["hard_shrink"] = new(() => ActivationFunction.HardShrink(), x => Math.Abs(x) > 0.5 ? x : 0, [-0.5, 0.5]),
        ["hard_shrink(1.5)"] = new(() => ActivationFunction.HardShrink(1.5f), x => Math.Abs(x) > 1.5 ? x : 0, [-1.5, 1.5]),
        ["threshold(1, -2)"] = new(() => ActivationFunction.Threshold(1, -2), x => x > 1 ? x : -2, [1]),
        ["exponential"] = new(ActivationFunction.Exponential, Math.Exp, s_none),
    };

    public static TheoryData<string> Names => [.. s_cases.Keys];

    /// <summary>Large and small magnitudes, both signs, and the kinks themselves.</summary>
    private static readonly double[] s_sweep =
    [
        -1000, -100, -88, -50, -20, -10, -6, -5, -3.5, -3, -2.5, -2, -1.5, -1, -0.7, -0.5, -0.3, -0.1, -1e-3, -1e-6, 0,
        1e-6, 1e-3, 0.1, 0.3, 0.5, 0.7, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 10, 20, 50, 88, 100, 1000,
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_MatchesFloat64Formula_FromMinus1000To1000(string name)
    {
        var c = s_cases[name];
        using var h = new Harness();
        var got = Harness.Download(c.Make().Call(h.Upload(s_sweep)));
        for (int i = 0; i < s_sweep.Length; i++)
        {
            double x = s_sweep[i], expected = c.Formula(x);
            // Where float32 itself overflows (eˣ above 88.7), Keras' float32 result is infinite too.
            if (float.IsInfinity((float)expected)) { Assert.Equal((float)expected, (float)got[i]); continue; }
            Assert.False(double.IsNaN(got[i]), $"{name}({x}) is NaN; expected {expected:R}");
            double tolerance = 1e-6 + 1e-5 * Math.Abs(expected) + c.CancellationTolerance * Math.Abs(x);
            Assert.True(Math.Abs(got[i] - expected) <= tolerance, $"{name}({x}) = {got[i]:R}; expected {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_MatchesFiniteDifferences_AwayFromKinks(string name)
    {
        var c = s_cases[name];
        // Random points in [−7, 7] at least 0.01 from every kink (central differences straddle no kink there).
        var x = Harness.Random(64, 1, -7, 7).Where(v => c.Kinks.All(k => Math.Abs(v - k) > 0.01)).ToArray();
        CheckGradient(name, c, x);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_IsFiniteAndRight_AtLargeMagnitudes(string name)
    {
        var c = s_cases[name];
        // eˣ's own gradient overflows where eˣ does; everything else must stay finite out to ±1000.
        double[] x = name == "exponential" ? [-1000, -100, -30, 30, 80] : [-1000, -100, -30, -12, 12, 30, 100, 1000];
        CheckGradient(name, c, x);
    }

    private static void CheckGradient(string name, Case c, double[] x)
    {
        using var h = new Harness();
        var w = Harness.Random(x.Length, 2, 0.5, 1.5);
        var got = h.TapeGradient(t => c.Make().Call(t), x, [x.Length], w);
        // A step relative to |x| keeps the float64 differences accurate at ±1000.
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double step = 1e-6 * Math.Max(1, Math.Abs(x[i]));
            expected[i] = w[i] * (c.Formula(x[i] + step) - c.Formula(x[i] - step)) / (2 * step);
        }
        Harness.AssertClose(expected, got, 2e-4, 2e-4, $"d {name}/dx", x);
    }
}
