using KerasGpu.Initializers;

namespace KerasGpu.Tests.Initializers;

/// <summary>
/// Initializers against Keras' formulas: moments and bounds of large draws against the distribution each one promises
/// (computed in float64 here), fans of dense and convolution shapes, seeding, orthogonality and the constant ones.
/// </summary>
public class InitializerTests
{
    private static double[] Draw(Initializer init, params int[] shape)
    {
        using var scope = new TensorScope();
        return [.. init.Call(shape).ToNDArray().ToArray<float>().Select(v => (double)v)];
    }

    private static (double Mean, double Std) Moments(double[] v)
    {
        double mean = v.Average();
        double var = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        return (mean, Math.Sqrt(var));
    }

    /// <summary>Sample mean and standard deviation within 5 standard errors of the promised ones (kurtosis ≤ 3 here).</summary>
    private static void AssertMoments(double[] v, double mean, double std)
    {
        var (m, s) = Moments(v);
        double n = v.Length;
        Assert.InRange(m, mean - 5 * std / Math.Sqrt(n), mean + 5 * std / Math.Sqrt(n));
        Assert.InRange(s, std * (1 - 5 * Math.Sqrt(2 / n)), std * (1 + 5 * Math.Sqrt(2 / n)));
    }

    /// <summary>Standard deviation of a unit normal truncated to [−2, 2], by the closed form with Φ from Simpson's rule.</summary>
    private static double TruncatedUnitStd()
    {
        static double Pdf(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
        const int Steps = 20000;
        double h = 4.0 / Steps, mass = 0;
        for (int i = 0; i <= Steps; i++)
            mass += (i == 0 || i == Steps ? 1 : i % 2 == 1 ? 4 : 2) * Pdf(-2 + i * h);
        mass *= h / 3;
        return Math.Sqrt(1 - 2 * 2 * Pdf(2) / mass);
    }

    [Fact]
    public void KerasTruncationConstant_IsTheStdOfAUnitNormalCutAtTwo()
    {
        Assert.Equal(VarianceScaling.TruncatedStddevCorrection, TruncatedUnitStd(), 1e-9);
    }

    [Theory]
    [InlineData(new int[0], 1, 1)]
    [InlineData(new[] { 7 }, 7, 7)]
    [InlineData(new[] { 3, 5 }, 3, 5)]
    [InlineData(new[] { 3, 3, 4, 8 }, 36, 72)]
    [InlineData(new[] { 5, 16, 32 }, 80, 160)]
    public void Fans_FollowKerasComputeFans(int[] shape, double fanIn, double fanOut)
    {
        Assert.Equal((fanIn, fanOut), Initializer.Fans(shape));
    }

    [Fact]
    public void RandomNormal_HasTheRequestedMeanAndStd()
    {
        var v = Draw(new RandomNormal(mean: 1.5, stddev: 2.0, seed: 3), 300, 400);
        AssertMoments(v, 1.5, 2.0);
        // Normal tails exist: some values beyond 3 sigma (expected 0.27% of 120000).
        Assert.InRange(v.Count(x => Math.Abs(x - 1.5) > 6.0), 200, 450);
    }

    [Fact]
    public void RandomNormal_Defaults_AreKeras()
    {
        var init = new RandomNormal();
        Assert.Equal(0.0, init.Mean);
        Assert.Equal(0.05, init.Stddev);
        AssertMoments(Draw(init, 200, 300), 0, 0.05);
    }

    [Fact]
    public void RandomUniform_StaysInItsRange_WithUniformMoments()
    {
        var v = Draw(new RandomUniform(minval: -1, maxval: 3, seed: 4), 400, 300);
        Assert.All(v, x => Assert.InRange(x, -1, 3 - 1e-7));
        AssertMoments(v, 1, 4 / Math.Sqrt(12));
        var d = Draw(new RandomUniform(), 1000);
        Assert.All(d, x => Assert.InRange(x, -0.05, 0.05));
    }

    [Fact]
    public void TruncatedNormal_IsCutAtTwoStd_WithTheTruncatedSpread()
    {
        var v = Draw(new TruncatedNormal(mean: 0.5, stddev: 0.1, seed: 5), 400, 300);
        Assert.All(v, x => Assert.InRange(x, 0.5 - 0.2 - 1e-6, 0.5 + 0.2 + 1e-6));
        AssertMoments(v, 0.5, 0.1 * TruncatedUnitStd());
        Assert.True(v.Max() > 0.69 && v.Min() < 0.31, "the tails up to the cut are reached");
    }

    [Theory]
    [InlineData(2.0, "fan_in", "truncated_normal")]
    [InlineData(2.0, "fan_out", "untruncated_normal")]
    [InlineData(0.5, "fan_avg", "uniform")]
    [InlineData(1.0, "fan_avg", "normal")]
    public void VarianceScaling_GivesVarianceScaleOverFan(double scale, string mode, string distribution)
    {
        int[] shape = [3, 3, 40, 60]; // fan_in 360, fan_out 540
        double n = mode switch { "fan_in" => 360, "fan_out" => 540, _ => 450 };
        double std = Math.Sqrt(scale / n);
        var v = Draw(new VarianceScaling(scale, mode, distribution, seed: 6), shape);
        AssertMoments(v, 0, std);
        if (distribution == "uniform") Assert.All(v, x => Assert.InRange(Math.Abs(x), 0, Math.Sqrt(3) * std + 1e-7));
        if (distribution is "truncated_normal" or "normal")
            Assert.All(v, x => Assert.InRange(Math.Abs(x), 0, 2 * std / VarianceScaling.TruncatedStddevCorrection + 1e-6));
        if (distribution == "untruncated_normal") Assert.Contains(v, x => Math.Abs(x) > 3 * std);
    }

    public static TheoryData<string, double, bool> NamedVarianceScaling => new()
    {
        // name, variance as a function of (fan_in = 200, fan_out = 300), uniform?
        { "glorot_uniform", 2.0 / 500, true }, { "glorot_normal", 2.0 / 500, false },
        { "he_uniform", 2.0 / 200, true }, { "he_normal", 2.0 / 200, false },
        { "lecun_uniform", 1.0 / 200, true }, { "lecun_normal", 1.0 / 200, false },
    };

    [Theory]
    [MemberData(nameof(NamedVarianceScaling))]
    public void NamedVarianceScalingInitializers_MatchTheirFormulas(string name, double variance, bool uniform)
    {
        var init = Initializer.Get(name);
        Assert.Equal(name, init.Name);
        var v = Draw(init, 200, 300);
        AssertMoments(v, 0, Math.Sqrt(variance));
        double bound = uniform ? Math.Sqrt(3 * variance) : 2 * Math.Sqrt(variance) / VarianceScaling.TruncatedStddevCorrection;
        Assert.All(v, x => Assert.InRange(Math.Abs(x), 0, bound + 1e-6));
        Assert.True(v.Max(Math.Abs) > 0.95 * bound, "values reach close to the bound");
    }

    [Fact]
    public void SmallFans_AreClampedToOne()
    {
        // fan_in 0 would divide by zero; Keras uses max(1, n).
        var v = Draw(new VarianceScaling(scale: 3, mode: "fan_in", distribution: "uniform", seed: 1), 0, 5);
        Assert.Empty(v);
        var s = Draw(new HeUniform(seed: 2), 1, 20000);
        Assert.All(s, x => Assert.InRange(Math.Abs(x), 0, Math.Sqrt(6) + 1e-6));
        AssertMoments(s, 0, Math.Sqrt(2));
    }

    [Fact]
    public void Seeded_GivesTheSameValuesEveryCall_AndAcrossInstances()
    {
        foreach (var make in new Func<int, Initializer>[]
        {
            s => new RandomNormal(seed: s), s => new RandomUniform(seed: s), s => new TruncatedNormal(seed: s),
            s => new GlorotUniform(seed: s), s => new HeNormal(seed: s), s => new Orthogonal(seed: s),
        })
        {
            var a = make(42);
            var first = Draw(a, 17, 9);
            Assert.Equal(first, Draw(a, 17, 9));
            Assert.Equal(first, Draw(make(42), 17, 9));
            Assert.NotEqual(first, Draw(make(43), 17, 9));
        }
    }

    [Fact]
    public void Unseeded_DrawsFreshValuesEachCall()
    {
        var init = new GlorotNormal();
        Assert.NotEqual(Draw(init, 10, 10), Draw(init, 10, 10));
        var u = new RandomUniform();
        Assert.NotEqual(Draw(u, 50), Draw(u, 50));
    }

    [Fact]
    public void NormalSamples_AreIndependentOfTheirNeighbours()
    {
        // Lag-1 correlation of consecutive elements ~ N(0, 1/n).
        var v = Draw(new RandomNormal(stddev: 1, seed: 9), 100000);
        double r = 0;
        for (int i = 1; i < v.Length; i++) r += v[i] * v[i - 1];
        r /= v.Length - 1;
        Assert.InRange(r, -5 / Math.Sqrt(v.Length), 5 / Math.Sqrt(v.Length));
    }

    [Theory]
    [InlineData(50, 20)]
    [InlineData(20, 50)]
    [InlineData(16, 16)]
    public void Orthogonal_HasOrthonormalColumnsOrRows(int rows, int cols)
    {
        var q = Draw(new Orthogonal(gain: 1.5, seed: 11), rows, cols);
        bool byColumns = rows >= cols;
        int k = Math.Min(rows, cols), len = Math.Max(rows, cols);
        double At(int vec, int i) => byColumns ? q[i * cols + vec] : q[vec * cols + i];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                double dot = 0;
                for (int i = 0; i < len; i++) dot += At(a, i) * At(b, i);
                Assert.Equal(a == b ? 1.5 * 1.5 : 0.0, dot, 1e-5);
            }
    }

    [Fact]
    public void Orthogonal_LargeSquare_IsOrthogonal()
    {
        // 512 × 512 exercises the parallel reflection path; check QᵀQ = I on a sample of column pairs.
        const int N = 512;
        var q = Draw(new Orthogonal(seed: 13), N, N);
        var rng = new Random(1);
        for (int t = 0; t < 200; t++)
        {
            int a = rng.Next(N), b = t % 4 == 0 ? a : rng.Next(N);
            double dot = 0;
            for (int i = 0; i < N; i++) dot += q[i * N + a] * q[i * N + b];
            Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-5);
        }
    }

    [Fact]
    public void Orthogonal_IsTheSignCorrectedQOfItsNormalMatrix()
    {
        // Independent float64 reference: Gram–Schmidt on the same Philox normals gives the Q whose R has a positive
        // diagonal, which is what Keras' q * sign(diag(r)) produces.
        const int Rows = 12, Cols = 5, Seed = 21;
        var got = Draw(new Orthogonal(seed: Seed), 3, 4, Cols); // 12 × 5 after flattening the leading axes
        ulong key = RandomState.KeyFromSeed(Seed);
        var a = new double[Rows, Cols];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) a[i, j] = PhiloxNormal.Sample(key, (ulong)(i * Cols + j), truncated: false);
        for (int j = 0; j < Cols; j++)
        {
            for (int p = 0; p < j; p++)
            {
                double dot = 0;
                for (int i = 0; i < Rows; i++) dot += a[i, p] * a[i, j];
                for (int i = 0; i < Rows; i++) a[i, j] -= dot * a[i, p];
            }
            double norm = Math.Sqrt(Enumerable.Range(0, Rows).Sum(i => a[i, j] * a[i, j]));
            for (int i = 0; i < Rows; i++) a[i, j] /= norm;
        }
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) Assert.Equal(a[i, j], got[i * Cols + j], 1e-5);
    }

    [Fact]
    public void Orthogonal_RejectsVectors()
    {
        var e = Assert.Throws<ArgumentException>(() => new Orthogonal().Call(5));
        Assert.Equal("The tensor to initialize must be at least two-dimensional. Received: shape=(5,) of rank 1.", e.Message);
    }

    [Fact]
    public void Identity_IsGainTimesARectangularEye()
    {
        var v = Draw(new Identity(gain: 2.5f), 3, 5);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(i == j ? 2.5 : 0.0, v[i * 5 + j]);
        var tall = Draw(Initializer.Get("identity"), 4, 2);
        Assert.Equal([1, 0, 0, 1, 0, 0, 0, 0], tall);
        var e = Assert.Throws<ArgumentException>(() => new Identity().Call(2, 2, 2));
        Assert.Equal("Identity matrix initializer can only be used for 2D matrices. Received: shape=(2, 2, 2) of rank 3.", e.Message);
    }

    [Fact]
    public void ConstantOnesZeros_FillEveryElement()
    {
        Assert.All(Draw(new Constant(0.25f), 4, 3), x => Assert.Equal(0.25, x));
        Assert.All(Draw(new Ones(), 7), x => Assert.Equal(1.0, x));
        Assert.All(Draw(Initializer.Get("zeros"), 2, 2, 2), x => Assert.Equal(0.0, x));
        Assert.Equal(new Dictionary<string, object?> { ["value"] = 0.25f }, new Constant(0.25f).GetConfig());
    }

    [Theory]
    [InlineData("zeros", typeof(Zeros))]
    [InlineData("Zeros", typeof(Zeros))]
    [InlineData("zero", typeof(Zeros))]
    [InlineData("ones", typeof(Ones))]
    [InlineData("one", typeof(Ones))]
    [InlineData("constant", typeof(Constant))]
    [InlineData("random_normal", typeof(RandomNormal))]
    [InlineData("normal", typeof(RandomNormal))]
    [InlineData("random_uniform", typeof(RandomUniform))]
    [InlineData("uniform", typeof(RandomUniform))]
    [InlineData("truncated_normal", typeof(TruncatedNormal))]
    [InlineData("variance_scaling", typeof(VarianceScaling))]
    [InlineData("GlorotUniform", typeof(GlorotUniform))]
    [InlineData("he_normal", typeof(HeNormal))]
    [InlineData("lecun_uniform", typeof(LecunUniform))]
    [InlineData("orthogonal", typeof(Orthogonal))]
    [InlineData("OrthogonalInitializer", typeof(Orthogonal))]
    [InlineData("identity", typeof(Identity))]
    [InlineData("IdentityInitializer", typeof(Identity))]
    public void Get_ResolvesKerasNamesAndAliases(string name, Type type)
    {
        Assert.IsType(type, Initializer.Get(name));
        Initializer implicitly = name;
        Assert.IsType(type, implicitly);
    }

    [Fact]
    public void Get_UnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Initializer.Get("He_Normal"));
        Assert.StartsWith("Could not interpret initializer identifier: He_Normal. Known initializers: ", e.Message);
        Assert.Contains("he_normal", e.Message);
        Assert.Contains("glorot_uniform", e.Message);
    }

    [Fact]
    public void VarianceScaling_RejectsBadArguments_WithKerasMessages()
    {
        Assert.StartsWith("Argument `scale` must be positive float. Received: scale=0",
            Assert.Throws<ArgumentException>(() => new VarianceScaling(scale: 0)).Message);
        Assert.StartsWith("Invalid `mode` argument: fan_sum. Please use one of",
            Assert.Throws<ArgumentException>(() => new VarianceScaling(mode: "fan_sum")).Message);
        Assert.StartsWith("Invalid `distribution` argument: gamma. Please use one of",
            Assert.Throws<ArgumentException>(() => new VarianceScaling(distribution: "Gamma")).Message);
        Assert.Equal("untruncated_normal", new VarianceScaling(distribution: "Untruncated_Normal").Distribution);
        Assert.Throws<ArgumentException>(() => new RandomUniform(minval: 1, maxval: 0));
        Assert.Throws<ArgumentException>(() => new Zeros().Call(2, -1));
    }

    [Fact]
    public void GetConfig_HasKerasKeys()
    {
        Assert.Equal(new Dictionary<string, object?> { ["seed"] = 3, ["scale"] = 2.0, ["mode"] = "fan_out", ["distribution"] = "uniform" },
            new VarianceScaling(2, "fan_out", "uniform", seed: 3).GetConfig());
        Assert.Equal(new Dictionary<string, object?> { ["seed"] = null }, new HeNormal().GetConfig());
        Assert.Equal(new Dictionary<string, object?> { ["seed"] = 1, ["mean"] = 0.0, ["stddev"] = 0.05 }, new TruncatedNormal(seed: 1).GetConfig());
        Assert.Equal(new Dictionary<string, object?> { ["seed"] = null, ["gain"] = 1.0 }, new Orthogonal().GetConfig());
    }
}

/// <summary>Seeding through the global stream (changes process-wide state, so it runs alone).</summary>
[Collection("GlobalState")]
public class InitializerGlobalSeedTests
{
    [Fact]
    public void SetRandomSeed_MakesUnseededInitializersReproducible()
    {
        float[] Run()
        {
            Keras.Utils.SetRandomSeed(1234);
            using var scope = new TensorScope();
            return [.. new HeNormal().Call(8, 8).ToNDArray().ToArray<float>(), .. new GlorotUniform().Call(8, 8).ToNDArray().ToArray<float>()];
        }
        var first = Run();
        Assert.Equal(first, Run());
        Keras.Utils.SetRandomSeed(1235);
        using var scope = new TensorScope();
        Assert.NotEqual(first[..64], new HeNormal().Call(8, 8).ToNDArray().ToArray<float>());
    }
}
