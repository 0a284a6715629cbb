using KerasGpu.Autodiff;
using KerasGpu.Layers;
using static KerasGpu.Tests.Layers.LayerTestUtil;

namespace KerasGpu.Tests.Layers;

/// <summary>Dropout: Keras' scaling, inference identity, drop rate, seeding, noise shapes, gradient and errors.</summary>
public class DropoutTests : IDisposable
{
    private readonly TensorScope _scope = new();

    public void Dispose() => _scope.Dispose();

    /// <summary>Every output is 0 or input / (1 − rate); returns the kept-mask.</summary>
    private static bool[] CheckScaled(double[] x, double[] y, double rate)
    {
        var kept = new bool[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            if (y[i] == 0) continue;
            kept[i] = true;
            Assert.Equal(x[i] / (1 - rate), y[i], 1e-5 * Math.Max(1, Math.Abs(y[i])));
        }
        return kept;
    }

    [Fact]
    public void Inference_ReturnsTheInput()
    {
        var layer = new Dropout(0.5);
        var x = Upload(Values(20, 1), 4, 5);
        Assert.Equal(Host(x), Host(layer.Apply(x, training: false)));
        Assert.Equal(Host(x), Host(layer.Apply(x)));
        Assert.Equal(Host(x), Host(new Dropout(0).Apply(x, training: true)));
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Training_DropsAboutRate_AndScalesTheRest(double rate)
    {
        const int N = 200 * 500;
        var xv = Values(N, 2);
        for (int i = 0; i < N; i++) if (xv[i] == 0) xv[i] = 0.5; // a zero input would look dropped
        var y = Host(new Dropout(rate, seed: 7).Apply(Upload(xv, 200, 500), training: true));
        int kept = CheckScaled(xv, y, rate).Count(k => k);
        double sd = Math.Sqrt(N * rate * (1 - rate));
        Assert.InRange(kept, N * (1 - rate) - 5 * sd, N * (1 - rate) + 5 * sd);
    }

    [Fact]
    public void SameSeed_SameMaskSequence_AndEachCallANewMask()
    {
        var x = Upload(Enumerable.Repeat(1.0, 400).ToArray(), 20, 20);
        Dropout a = new(0.5, seed: 3), b = new(0.5, seed: 3), c = new(0.5, seed: 4);
        var a1 = Host(a.Apply(x, training: true));
        var a2 = Host(a.Apply(x, training: true));
        Assert.NotEqual(a1, a2);
        Assert.Equal(a1, Host(b.Apply(x, training: true)));
        Assert.Equal(a2, Host(b.Apply(x, training: true)));
        Assert.NotEqual(a1, Host(c.Apply(x, training: true)));
        Assert.All(a1, v => Assert.True(v is 0 or 2));
    }

    [Fact]
    public void NoiseShape_SharesTheMaskAlongSizeOneAxes()
    {
        var xv = Values(4 * 6 * 5, 4);
        var layer = new Dropout(0.5, noiseShape: [null, 1, null], seed: 9);
        var y = Host(layer.Apply(Upload(xv, 4, 6, 5), training: true));
        var kept = CheckScaled(xv, y, 0.5);
        for (int b = 0; b < 4; b++)
            for (int f = 0; f < 5; f++)
                for (int t = 1; t < 6; t++)
                    Assert.Equal(kept[(b * 6) * 5 + f], kept[(b * 6 + t) * 5 + f]);
        Assert.Contains(true, kept);
        Assert.Contains(false, kept);
    }

    [Fact]
    public void RateOne_DropsEverything_EvenInfinities()
    {
        var y = Host(new Dropout(1.0).Apply(Upload([1, double.PositiveInfinity, -3], 1, 3), training: true));
        Assert.Equal([0.0, 0.0, 0.0], y);
    }

    [Fact]
    public void Gradient_IsTheMaskOverKeepProbability()
    {
        var xv = Values(60, 5);
        var x = Upload(xv, 6, 10);
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = new Dropout(0.25, seed: 1).Apply(x, training: true);
        var kept = CheckScaled(xv, Host(y), 0.25);
        var g = Host(tape.Gradient(Ops.Sum(y), [x])[0]!);
        for (int i = 0; i < g.Length; i++) Assert.Equal(kept[i] ? 1 / 0.75 : 0, g[i], 1e-6);
    }

    [Fact]
    public void BadArguments_AreRejected_WithKerasMessages()
    {
        Assert.Equal("Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=1.5 (Parameter 'rate')",
            Assert.Throws<ArgumentException>(() => new Dropout(1.5)).Message);
        Assert.Throws<ArgumentException>(() => new Dropout(double.NaN));
        Assert.StartsWith("Invalid value received for argument `noise_shape`. Expected all dimensions to be positive integers or None. Received negative or zero value at index 1: 0",
            Assert.Throws<ArgumentException>(() => new Dropout(0.5, noiseShape: [null, 0])).Message);
        var layer = new Dropout(0.5, noiseShape: [null, 3]);
        Assert.Contains("cannot be broadcast to the input shape (None, 4)", Assert.Throws<ArgumentException>(() => layer.Apply(Keras.Input([4]))).Message);
        Assert.Contains("has rank 2, but the input has rank 3", Assert.Throws<ArgumentException>(() => layer.Apply(Keras.Input([2, 3]))).Message);
    }

    [Fact]
    public void InAModel_PredictIsDeterministic_AndConfigIsKeras()
    {
        var layer = new Dropout(0.3, noiseShape: [null, 1], seed: 5);
        using var model = new Sequential();
        model.Add(Keras.Input([8]));
        model.Add(layer);
        var x = NDArray.FromArray(Values(16, 6).Select(v => (float)v).ToArray(), 2, 8);
        Assert.Equal(x.ToArray<float>(), model.Predict(x, verbose: 0).ToArray<float>());
        Assert.Equal([null, 8], layer.ComputeOutputShape([null, 8]));
        var config = layer.GetConfig();
        Assert.Equal(0.3, config["rate"]);
        Assert.Equal(5, config["seed"]);
        Assert.Equal(new int?[] { null, 1 }, config["noise_shape"]);
        Assert.StartsWith("dropout", layer.Name);
    }
}
