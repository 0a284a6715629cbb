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

/// <summary>The vectorised optimizer paths and their scalar tails compute the same bits for the same inputs.</summary>
public class CpuOptimizerPathTests
{
    [Fact]
    public void RmsProp_VectorAndScalarPaths_GiveIdenticalBits()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            float w0 = (float)(rng.NextDouble() * 2 - 1), g0 = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, -rng.Next(0, 20)));
            float v0 = (float)(rng.NextDouble() * Math.Pow(10, -rng.Next(0, 40)));
            // 9 identical weights: elements 0-7 take the vector path, element 8 the scalar tail.
            using var w = backend.Allocate(DType.Float32, 9);
            using var g = backend.Allocate(DType.Float32, 9);
            using var v = backend.Allocate(DType.Float32, 9);
            backend.Upload<float>(Enumerable.Repeat(w0, 9).ToArray(), w);
            backend.Upload<float>(Enumerable.Repeat(g0, 9).ToArray(), g);
            backend.Upload<float>(Enumerable.Repeat(v0, 9).ToArray(), v);
            backend.RmsPropUpdate(w, g, v, null, null, 9, 1e-3f, 0.9f, 0f, 1e-7f);
            var wOut = new float[9];
            var vOut = new float[9];
            backend.Download<float>(w, wOut);
            backend.Download<float>(v, vOut);
            Assert.Equal(BitConverter.SingleToInt32Bits(wOut[8]), BitConverter.SingleToInt32Bits(wOut[0]));
            Assert.Equal(BitConverter.SingleToInt32Bits(vOut[8]), BitConverter.SingleToInt32Bits(vOut[0]));
        }
    }

    [Fact]
    public void Adam_VectorAndScalarPaths_GiveIdenticalBits()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        var rng = new Random(6);
        for (int trial = 0; trial < 200; trial++)
        {
            float w0 = (float)(rng.NextDouble() * 2 - 1), g0 = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, -rng.Next(0, 20)));
            float m0 = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, -rng.Next(0, 40))), v0 = (float)(rng.NextDouble() * Math.Pow(10, -rng.Next(0, 40)));
            using var w = backend.Allocate(DType.Float32, 9);
            using var g = backend.Allocate(DType.Float32, 9);
            using var m = backend.Allocate(DType.Float32, 9);
            using var v = backend.Allocate(DType.Float32, 9);
            backend.Upload<float>(Enumerable.Repeat(w0, 9).ToArray(), w);
            backend.Upload<float>(Enumerable.Repeat(g0, 9).ToArray(), g);
            backend.Upload<float>(Enumerable.Repeat(m0, 9).ToArray(), m);
            backend.Upload<float>(Enumerable.Repeat(v0, 9).ToArray(), v);
            backend.AdamUpdate(w, g, m, v, null, 9, 1e-3f, 0.9f, 0.999f, 1e-7f);
            foreach (var buffer in new[] { w, m, v })
            {
                var values = new float[9];
                backend.Download<float>(buffer, values);
                Assert.Equal(BitConverter.SingleToInt32Bits(values[8]), BitConverter.SingleToInt32Bits(values[0]));
            }
        }
    }
}
