using KerasGpu.Autodiff;
using KerasGpu.Layers;
using KerasGpu.Regularizers;

namespace KerasGpu.Tests.Regularizers;

/// <summary>Regularizer penalties and gradients against float64 formulas; Layer.Losses and Model.Losses of Dense.</summary>
public class RegularizerTests : IDisposable
{
    private readonly TensorScope _scope = new();

    public void Dispose() => _scope.Dispose();

    private static double[] Values(int n, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2 - 1) * scale)];
    }

    private static Tensor Upload(double[] v, params int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray(v.Select(x => (float)x).ToArray(), shape));

    private static double[] F64(double[] v) => [.. v.Select(x => (double)(float)x)]; // the float32 values the device holds

    [Fact]
    public void L1_L2_L1L2_MatchKerasFormulas()
    {
        var v = F64(Values(24, 1));
        var x = Upload(v, 4, 6);
        double abs = v.Sum(Math.Abs), sq = v.Sum(a => a * a);
        Assert.Equal(0.1 * abs, new L1(0.1).Call(x).Item(), 1e-5);
        Assert.Equal(0.01 * abs, new L1().Call(x).Item(), 1e-6);
        Assert.Equal(0.3 * sq, new L2(0.3).Call(x).Item(), 1e-5);
        Assert.Equal(0.01 * sq, Regularizer.Get("l2").Call(x).Item(), 1e-6);
        Assert.Equal(0.1 * abs + 0.2 * sq, new L1L2(l1: 0.1, l2: 0.2).Call(x).Item(), 1e-5);
        Assert.Equal(0.2 * sq, new L1L2(l2: 0.2).Call(x).Item(), 1e-5);
        Assert.Equal(0.0, new L1L2().Call(x).Item());
    }

    [Fact]
    public void Penalties_AreDifferentiable()
    {
        var v = F64(Values(12, 2));
        var x = Upload(v, 3, 4);
        using var tape = new GradientTape();
        tape.Watch(x);
        var loss = new L1L2(l1: 0.5, l2: 0.25).Call(x);
        var g = tape.Gradient(loss, [x])[0]!.ToNDArray().ToArray<float>();
        for (int i = 0; i < v.Length; i++) Assert.Equal(0.5 * Math.Sign(v[i]) + 0.25 * 2 * v[i], g[i], 1e-6);
    }

    private static double OrthogonalReference(double[] v, int rows, int cols, double factor, bool byRows)
    {
        int count = byRows ? rows : cols, len = byRows ? cols : rows;
        double At(int vec, int i) => byRows ? v[vec * cols + i] : v[i * cols + vec];
        var norms = Enumerable.Range(0, count).Select(k => Math.Sqrt(Enumerable.Range(0, len).Sum(i => At(k, i) * At(k, i)))).ToArray();
        double sum = 0;
        for (int a = 0; a < count; a++)
            for (int b = 0; b < count; b++)
            {
                if (a == b) continue;
                double dot = 0;
                for (int i = 0; i < len; i++) dot += At(a, i) * At(b, i);
                sum += Math.Abs(dot / (norms[a] * norms[b]));
            }
        return factor * 0.5 * sum / (count * (count - 1) / 2.0);
    }

    [Theory]
    [InlineData("rows")]
    [InlineData("columns")]
    public void OrthogonalRegularizer_IsTheMeanAbsoluteCosine(string mode)
    {
        var v = F64(Values(5 * 3, 3));
        var x = Upload(v, 5, 3);
        double expected = OrthogonalReference(v, 5, 3, 0.1, mode == "rows");
        Assert.Equal(expected, new OrthogonalRegularizer(0.1, mode).Call(x).Item(), 1e-5);
        var e = Assert.Throws<ArgumentException>(() => new OrthogonalRegularizer().Call(Upload(v[..6], 6)));
        Assert.StartsWith("Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=(6,)", e.Message);
    }

    [Fact]
    public void OrthogonalRegularizer_IsZeroForOrthogonalRows()
    {
        var x = Upload([2, 0, 0, 0, 0, 3, 0, 0, 0, 0, -1, 0], 3, 4);
        Assert.Equal(0.0, new OrthogonalRegularizer(1.0).Call(x).Item(), 1e-7);
    }

    [Fact]
    public void BadFactorsAndNames_AreRejected()
    {
        Assert.Equal("Invalid value for argument l1: expected a non-negative float. Received: l1=-1 (Parameter 'l1')",
            Assert.Throws<ArgumentException>(() => new L1(-1)).Message);
        Assert.Throws<ArgumentException>(() => new L2(double.NaN));
        Assert.Throws<ArgumentException>(() => new L1L2(0, double.PositiveInfinity));
        Assert.StartsWith("Invalid value for argument `mode`. Expected one of {\"rows\", \"columns\"}. Received: mode=diag",
            Assert.Throws<ArgumentException>(() => new OrthogonalRegularizer(mode: "diag")).Message);
        Assert.StartsWith("Could not interpret regularizer identifier: l3.",
            Assert.Throws<ArgumentException>(() => Regularizer.Get("l3")).Message);
    }

    [Theory]
    [InlineData("l1", typeof(L1))]
    [InlineData("L1", typeof(L1))]
    [InlineData("l2", typeof(L2))]
    [InlineData("l1_l2", typeof(L1L2))]
    [InlineData("l1l2", typeof(L1L2))]
    [InlineData("orthogonal_regularizer", typeof(OrthogonalRegularizer))]
    public void Get_ResolvesKerasNames(string name, Type type)
    {
        Regularizer r = name;
        Assert.IsType(type, r);
    }

    [Fact]
    public void GetConfig_HasKerasKeysAndDefaults()
    {
        Assert.Equal(new Dictionary<string, object?> { ["l1"] = 0.01 }, new L1().GetConfig());
        Assert.Equal(new Dictionary<string, object?> { ["l2"] = 0.01 }, new L2().GetConfig());
        Assert.Equal(new Dictionary<string, object?> { ["l1"] = 0.0, ["l2"] = 0.0 }, Regularizer.Get("l1_l2").GetConfig());
        Assert.Equal(new Dictionary<string, object?> { ["factor"] = 0.01, ["mode"] = "rows" }, new OrthogonalRegularizer().GetConfig());
    }

    [Fact]
    public void DenseLosses_AreTheWeightPenalties_AndModelLossesCollectThem()
    {
        var d1 = new Dense(3, kernelRegularizer: new L2(0.1), biasRegularizer: new L1(0.2), biasInitializer: new KerasGpu.Initializers.Constant(-0.5f));
        var d2 = new Dense(2, kernelRegularizer: "l1");
        var d3 = new Dense(2);
        using var model = new Sequential();
        model.Add(Keras.Input([4]));
        model.Add(d1);
        model.Add(d2);
        model.Add(d3);
        var k1 = F64([.. d1.Kernel!.Numpy().ToArray<float>().Select(f => (double)f)]);
        var k2 = F64([.. d2.Kernel!.Numpy().ToArray<float>().Select(f => (double)f)]);
        var l1 = d1.Losses;
        Assert.Equal(2, l1.Count);
        Assert.Equal(0.1 * k1.Sum(a => a * a), l1[0].Item(), 1e-6);
        Assert.Equal(0.2 * 3 * 0.5, l1[1].Item(), 1e-6);
        Assert.Empty(d3.Losses);
        d1.Trainable = false; // Keras regularizes trainable weights only
        Assert.Empty(d1.Losses);
        Assert.Single(model.Losses);
        d1.Trainable = true;
        var all = model.Losses;
        Assert.Equal(3, all.Count);
        Assert.Equal(0.01 * k2.Sum(Math.Abs), all[2].Item(), 1e-6);
    }

    [Fact]
    public void ActivityRegularizer_PenalisesTheOutputPerSample_AndIsDifferentiable()
    {
        using var dense = new Dense(3, activityRegularizer: new L2(0.05), kernelRegularizer: new L1(0.01));
        var xv = F64(Values(4 * 2, 5));
        var x = Upload(xv, 4, 2);
        dense.Build([null, 2]);
        Assert.Single(dense.Losses); // no call yet: only the kernel penalty
        using var tape = new GradientTape();
        tape.Watch(dense.Kernel!.Value);
        var y = dense.Apply(x, training: true);
        var yv = y.ToNDArray().ToArray<float>().Select(f => (double)f).ToArray();
        var losses = dense.Losses;
        Assert.Equal(2, losses.Count);
        Assert.Equal(0.05 * yv.Sum(a => a * a) / 4, losses[1].Item(), 1e-6);
        // d/dK of 0.05·Σy²/4 with y = xK + b: 0.05·2/4 · xᵀy.
        var g = tape.Gradient(losses[1], [dense.Kernel!.Value])[0]!.ToNDArray().ToArray<float>();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                double expected = 0;
                for (int b = 0; b < 4; b++) expected += xv[b * 2 + i] * yv[b * 3 + j];
                Assert.Equal(0.05 * 2 / 4 * expected, g[i * 3 + j], 1e-5);
            }
        // A new call replaces the recorded penalty.
        dense.Apply(Upload(xv[..2], 1, 2));
        var single = dense.Apply(Upload(xv[..2], 1, 2)).ToNDArray().ToArray<float>();
        Assert.Equal(0.05 * single.Sum(a => (double)a * a), dense.Losses[1].Item(), 1e-6);
    }

    [Fact]
    public void ActivityPenalty_IsDroppedOnceItsScopeHasEnded()
    {
        using var dense = new Dense(2, activityRegularizer: "l1");
        using (new TensorScope())
        {
            dense.Apply(Upload([1, 2, 3], 1, 3));
            Assert.Single(dense.Losses);
        }
        Assert.Empty(dense.Losses);
    }

    [Fact]
    public void ModelLosses_IncludeTheActivityPenaltyOfTheLastForwardPass()
    {
        var input = Keras.Input([3]);
        var hidden = new Dense(4, activation: "tanh", activityRegularizer: new L1(0.5));
        var output = new Dense(1, kernelRegularizer: new L2(0.25));
        using var model = new Model(input, output.Apply(hidden.Apply(input)));
        var x = Upload(F64(Values(5 * 3, 9)), 5, 3);
        Assert.Single(model.Losses); // before any call: the output kernel's penalty only
        model.Apply(x, training: true);
        var losses = model.Losses;
        Assert.Equal(2, losses.Count);
        var h = hidden.Apply(x).ToNDArray().ToArray<float>();
        Assert.Equal(0.5 * h.Sum(v => Math.Abs((double)v)) / 5, losses[0].Item(), 1e-6);
        var k = output.Kernel!.Numpy().ToArray<float>();
        Assert.Equal(0.25 * k.Sum(v => (double)v * v), losses[1].Item(), 1e-6);
    }
}
