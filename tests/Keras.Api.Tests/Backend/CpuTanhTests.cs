using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Backend;

/// <summary>The CPU backend's vectorised tanh against float64 over a dense sweep (both branches, the switch at 0.5, the
/// clamp at 9, tiny and signed-zero inputs), to the conformance suite's transcendental tolerance (1e-6 relative).</summary>
public class CpuTanhTests
{
    [Fact]
    public void Tanh_DenseSweep_IsWithinOneMillionthRelative()
    {
        var xs = new List<float> { 0f, -0f, 1e-30f, -1e-30f, 1e-7f, 0.4999999f, 0.5f, 0.5000001f, 8.99f, 9f, 9.01f, 9.99f, 10f, 10.01f, 20f, -20f, 88f, float.MaxValue, float.MinValue };
        for (int i = -120000; i <= 120000; i++) xs.Add(i * 1e-4f);
        var x = xs.ToArray();
        var y = new float[x.Length];
        CpuBackend.Tanh(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Tanh(x[i]);
            Assert.True(Math.Abs(y[i] - expected) <= 1e-6 * Math.Abs(expected) + float.Epsilon,
                $"tanh({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }
        Assert.True(float.IsNegative(y[1]), "tanh(-0) must be -0");
    }

    [Fact]
    public void Tanh_NaNStaysNaN_AndInfinitiesSaturate()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1f, 2f, 3f, 4f, 5f];
        var y = new float[x.Length];
        CpuBackend.Tanh(x, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(1f, y[1]);
        Assert.Equal(-1f, y[2]);
    }
}
