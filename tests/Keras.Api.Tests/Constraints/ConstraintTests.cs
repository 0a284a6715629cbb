using KerasGpu.Constraints;
using KerasGpu.Layers;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Constraints;

/// <summary>Constraints against float64 formulas and Keras' documented example; applied by Optimizer.Apply.</summary>
public class ConstraintTests : IDisposable
{
    private readonly TensorScope _scope = new();
    private const double Eps = 1e-7;

    public void Dispose() => _scope.Dispose();

    private static double[] Values(int n, int seed, double scale)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (double)(float)((rng.NextDouble() * 2 - 1) * scale))];
    }

    private static Tensor Upload(double[] v, params int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray(v.Select(x => (float)x).ToArray(), shape));

    private static double[] Host(Tensor t) => [.. t.ToNDArray().ToArray<float>().Select(f => (double)f)];

    /// <summary>Applies <c>scale(norm)</c> to each vector of a rows × cols matrix along <paramref name="axis"/> (0: columns).</summary>
    private static double[] ByNorm(double[] w, int rows, int cols, int axis, Func<double, double> factor)
    {
        var r = new double[w.Length];
        int count = axis == 0 ? cols : rows, len = axis == 0 ? rows : cols;
        for (int k = 0; k < count; k++)
        {
            int Index(int i) => axis == 0 ? i * cols + k : k * cols + i;
            double norm = Math.Sqrt(Enumerable.Range(0, len).Sum(i => w[Index(i)] * w[Index(i)]));
            for (int i = 0; i < len; i++) r[Index(i)] = w[Index(i)] * factor(norm);
        }
        return r;
    }

    private static void AssertClose(double[] expected, double[] actual, double tol = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tol);
    }

    [Fact]
    public void MaxNorm_KerasDocumentedExample()
    {
        // keras constraints_test: columns of norms 0, 1, 3 and 3·sqrt(3), capped at 2.
        var x = Upload([0, 1, 3, 3, 0, 0, 0, 3, 0, 0, 0, 3], 3, 4);
        double s = 2 / Math.Sqrt(3);
        AssertClose([0, 1, 2, s, 0, 0, 0, s, 0, 0, 0, s], Host(new MaxNorm(2.0).Call(x)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void NormConstraints_MatchFormulas(int axis)
    {
        var w = Values(6 * 5, 7, 2.0);
        w[0] = 0; // a zero element, and below a zero vector, must stay finite
        for (int i = 0; i < 5; i++) w[(axis == 0 ? i * 5 + 2 : 2 * 5 + i) % w.Length] = 0;
        var x = Upload(w, 6, 5);
        AssertClose(ByNorm(w, 6, 5, axis, n => Math.Clamp(n, 0, 1.5) / (Eps + n)), Host(new MaxNorm(1.5, axis).Call(x)));
        AssertClose(ByNorm(w, 6, 5, axis, n => 1 / (Eps + n)), Host(new UnitNorm(axis).Call(x)));
        AssertClose(ByNorm(w, 6, 5, axis, n => (0.7 * Math.Clamp(n, 0.5, 1.2) + 0.3 * n) / (Eps + n)),
            Host(new MinMaxNorm(0.5, 1.2, 0.7, axis).Call(x)));
        Assert.All(Host(new UnitNorm(axis).Call(x)), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void NormOverSeveralAxes_IsPerFilter()
    {
        // A conv-like kernel [2, 2, 3, 4]: axis [0, 1, 2] normalises each of the 4 filters.
        var w = Values(2 * 2 * 3 * 4, 8, 1.0);
        var got = Host(new UnitNorm([0, 1, 2]).Call(Upload(w, 2, 2, 3, 4)));
        AssertClose(ByNorm(w, 12, 4, 0, n => 1 / (Eps + n)), got);
    }

    [Fact]
    public void NonNeg_ClampsNegativesToZero()
    {
        var w = Values(40, 9, 50);
        AssertClose([.. w.Select(v => Math.Max(v, 0))], Host(new NonNeg().Call(Upload(w, 8, 5))), 0);
    }

    [Fact]
    public void Defaults_Names_AndConfigs_AreKeras()
    {
        var m = Assert.IsType<MaxNorm>(Constraint.Get("max_norm"));
        Assert.Equal(2.0, m.MaxValue);
        Assert.Equal([0], m.Axis);
        var mm = Assert.IsType<MinMaxNorm>(Constraint.Get("MinMaxNorm"));
        Assert.Equal((0.0, 1.0, 1.0), (mm.MinValue, mm.MaxValue, mm.Rate));
        Constraint nn = "non_neg";
        Assert.IsType<NonNeg>(nn);
        Assert.IsType<UnitNorm>(Constraint.Get("unit_norm"));
        Assert.StartsWith("Could not interpret constraint identifier: typo.", Assert.Throws<ArgumentException>(() => Constraint.Get("typo")).Message);
        Assert.Equal(new Dictionary<string, object?> { ["max_value"] = 3.0, ["axis"] = 1 }, new MaxNorm(3.0, 1).GetConfig());
        Assert.Equal(new Dictionary<string, object?> { ["min_value"] = 0.0, ["max_value"] = 1.0, ["rate"] = 1.0, ["axis"] = 0 }, new MinMaxNorm().GetConfig());
        Assert.Empty(new NonNeg().GetConfig());
    }

    [Fact]
    public void BadAxes_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new UnitNorm(Array.Empty<int>()));
        Assert.Throws<ArgumentException>(() => new MaxNorm(1, [0, 0]));
        Assert.Throws<ArgumentException>(() => new MinMaxNorm(2, 1));
        var e = Assert.Throws<ArgumentException>(() => new UnitNorm(2).Call(Upload([1, 2, 3, 4], 2, 2)));
        Assert.Contains("axis 2 is out of bounds for a weight of rank 2", e.Message);
    }

    [Fact]
    public void OptimizerApply_ProjectsTheUpdatedWeights()
    {
        using var dense = new Dense(3, kernelConstraint: new MaxNorm(0.5), biasConstraint: "non_neg");
        dense.Build([null, 4]);
        var k = Values(12, 10, 1.0);
        dense.SetWeights([NDArray.FromArray(k.Select(v => (float)v).ToArray(), 4, 3), NDArray.FromArray(new[] { 0.1f, -0.2f, 0.3f }, 3)]);
        var gk = Values(12, 11, 1.0);
        double[] gb = [1.0, -1.0, 2.0];
        new SGD(learningRate: 0.1f).Apply([Upload(gk, 4, 3), Upload(gb, 3)], [dense.Kernel!, dense.Bias!]);
        var stepped = k.Zip(gk, (a, b) => a - 0.1 * b).ToArray();
        AssertClose(ByNorm(stepped, 4, 3, 0, n => Math.Clamp(n, 0, 0.5) / (Eps + n)), Host(dense.Kernel!.Value));
        AssertClose([0.0, 0.0, 0.1], Host(dense.Bias!.Value), 1e-6); // 0.1 − 0.1, max(−0.2 + 0.1, 0), 0.3 − 0.2
    }
}
