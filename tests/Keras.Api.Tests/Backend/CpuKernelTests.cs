using KerasGpu.Backend;
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

/// <summary>
/// The vectorised update and elementwise paths and their scalar tails compute the same bits for the same inputs, at
/// every vector width the CPU backend runs (128, 256 and 512 bits; a width the machine lacks is emulated by .NET in
/// software): 33 identical elements, of which 0-31 take the vector path at any width and element 32 the scalar tail.
/// </summary>
public class CpuVectorPathTests
{
    private const int Length = 33;

    public static TheoryData<int> Widths => new() { 128, 256, 512 };

    [Theory, MemberData(nameof(Widths))]
    public void Backend_RunsAtTheRequestedWidthOrTheHardwareLimit(int bits)
    {
        using var backend = new CpuBackend(1, bits);
        Assert.True(backend.VectorBits <= bits, $"asked for at most {bits} bits, got {backend.VectorBits}");
        if (bits == 128 && System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) Assert.Equal(128, backend.VectorBits);
        if (bits == 256 && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) Assert.Equal(256, backend.VectorBits);
    }

    [Theory, MemberData(nameof(Widths))]
    public void Backend_WithAnEmulatedWidth_RunsAtExactlyThatWidth(int bits)
    {
        using var backend = new CpuBackend(1, bits, emulateWidth: true);
        Assert.Equal(bits, backend.VectorBits);
    }

    [Theory, InlineData(0), InlineData(64), InlineData(384), InlineData(1024)]
    public void Backend_RejectsAWidthOtherThan128_256Or512(int bits)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CpuBackend(1, bits));
        Assert.Contains("Expected 128, 256 or 512", e.Message);
    }

    [Theory, MemberData(nameof(Widths))]
    public void RmsProp_VectorAndScalarPaths_GiveIdenticalBits(int bits)
    {
        using var backend = new CpuBackend(1, bits, emulateWidth: true);
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            float w0 = (float)(rng.NextDouble() * 2 - 1), g0 = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, -rng.Next(0, 20)));
            float v0 = (float)(rng.NextDouble() * Math.Pow(10, -rng.Next(0, 40)));
            using var w = Uniform(backend, w0);
            using var g = Uniform(backend, g0);
            using var v = Uniform(backend, v0);
            backend.RmsPropUpdate(w, g, v, null, null, Length, 1e-3f, 0.9f, 0f, 1e-7f);
            AssertUniform(backend, w, v);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Adam_VectorAndScalarPaths_GiveIdenticalBits(int bits)
    {
        using var backend = new CpuBackend(1, bits, emulateWidth: true);
        var rng = new Random(6);
        for (int trial = 0; trial < 200; trial++)
        {
            float w0 = (float)(rng.NextDouble() * 2 - 1), g0 = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, -rng.Next(0, 20)));
            float m0 = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, -rng.Next(0, 40))), v0 = (float)(rng.NextDouble() * Math.Pow(10, -rng.Next(0, 40)));
            using var w = Uniform(backend, w0);
            using var g = Uniform(backend, g0);
            using var m = Uniform(backend, m0);
            using var v = Uniform(backend, v0);
            backend.AdamUpdate(w, g, m, v, null, Length, 1e-3f, 0.9f, 0.999f, 1e-7f);
            AssertUniform(backend, w, m, v);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Sgd_VectorAndScalarPaths_GiveIdenticalBits(int bits)
    {
        using var backend = new CpuBackend(1, bits, emulateWidth: true);
        var rng = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            float w0 = (float)(rng.NextDouble() * 2 - 1), g0 = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, -rng.Next(0, 20)));
            float m0 = (float)(rng.NextDouble() * 2 - 1);
            int variant = trial % 3; // plain, momentum, Nesterov
            using var w = Uniform(backend, w0);
            using var g = Uniform(backend, g0);
            using var m = Uniform(backend, m0);
            backend.SgdUpdate(w, g, variant == 0 ? null : m, Length, 0.01f, 0.9f, nesterov: variant == 2);
            AssertUniform(backend, w, m);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ScaleAdd_VectorAndScalarPaths_GiveIdenticalBits(int bits)
    {
        using var backend = new CpuBackend(1, bits, emulateWidth: true);
        var rng = new Random(8);
        for (int trial = 0; trial < 100; trial++)
        {
            float x0 = (float)(rng.NextDouble() * 2 - 1), z0 = (float)(rng.NextDouble() * 2 - 1);
            float alpha = (float)(rng.NextDouble() * 4 - 2), beta = (float)(rng.NextDouble() * 4 - 2);
            using var x = Uniform(backend, x0);
            using var z = Uniform(backend, z0);
            using var y = Uniform(backend, 0f);
            using var y2 = Uniform(backend, 0f);
            backend.ScaleAdd(x, alpha, z, beta, y, Length);
            backend.ScaleAdd(x, alpha, null, beta, y2, Length);
            AssertUniform(backend, y, y2);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ActivationBackward_VectorAndScalarPaths_GiveIdenticalBits(int bits)
    {
        using var backend = new CpuBackend(1, bits, emulateWidth: true);
        var rng = new Random(9);
        foreach (var kind in new[] { ActivationKind.Linear, ActivationKind.Relu, ActivationKind.Sigmoid, ActivationKind.Tanh })
            for (int trial = 0; trial < 50; trial++)
            {
                float y0 = (float)(rng.NextDouble() * 2 - 1), dy0 = (float)(rng.NextDouble() * 2 - 1);
                using var y = Uniform(backend, y0);
                using var dy = Uniform(backend, dy0);
                using var dx = Uniform(backend, 0f);
                backend.ActivationBackward(kind, y, dy, dx, Length);
                AssertUniform(backend, dx);
            }
    }

    private static IDeviceBuffer Uniform(CpuBackend backend, float value)
    {
        var buffer = backend.Allocate(DType.Float32, Length);
        backend.Upload<float>(Enumerable.Repeat(value, Length).ToArray(), buffer);
        return buffer;
    }

    private static void AssertUniform(CpuBackend backend, params IDeviceBuffer[] buffers)
    {
        foreach (var buffer in buffers)
        {
            var values = new float[Length];
            backend.Download<float>(buffer, values);
            for (int i = 0; i < Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(values[i]) == BitConverter.SingleToInt32Bits(values[^1]),
                    $"element {i} is {values[i]:R}, the scalar tail's is {values[^1]:R}");
        }
    }
}
