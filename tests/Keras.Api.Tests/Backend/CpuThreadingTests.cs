using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Backend;

/// <summary>
/// Splitting a kernel over threads changes which thread computes an element, never how: every element's sum runs in the
/// same order on one thread and on two, so results are bit-identical. Covers the packed GEMM's shared packed B (several
/// K blocks and K spans, N beyond one column block, ragged edges, every transpose), the small MLP products (packed or
/// direct by layout) and the streaming kernels.
/// </summary>
public class CpuThreadingTests
{
    public static TheoryData<int, int, int, bool, bool, bool> Gemms()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        foreach (var (m, n, k) in new[] { (301, 1100, 600), (128, 784, 512), (784, 512, 128), (97, 700, 300), (256, 260, 2100), (64, 784, 64), (784, 64, 64), (64, 64, 784) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(m, n, k, ta, tb, (m + n) % 2 == 0);
        return data;
    }

    [Theory]
    [MemberData(nameof(Gemms))]
    public void MatMul_OnTwoThreads_MatchesOneThreadBitForBit(int m, int n, int k, bool ta, bool tb, bool accumulate)
    {
        var rng = new Random(m * 31 + n * 7 + k);
        float[] a = Random(rng, m * k), b = Random(rng, k * n), y0 = Random(rng, m * n), bias = Random(rng, n);
        var shape = new MatMulShape(m, n, k, ta, tb);
        float[] one = Run(1), two = Run(2);
        for (int i = 0; i < one.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(one[i]) == BitConverter.SingleToInt32Bits(two[i]),
                $"{shape}: element {i} is {two[i]:R} on two threads, {one[i]:R} on one");

        float[] Run(int threads)
        {
            using var backend = new CpuBackend(threads);
            using IDeviceBuffer da = Upload(backend, a), db = Upload(backend, b), dy = Upload(backend, y0), dBias = Upload(backend, bias);
            for (int repeat = 0; repeat < 3; repeat++) // later launches reuse the scratch and the workers
            {
                backend.Upload<float>(y0, dy);
                backend.MatMul(da, db, dy, shape, dBias, ActivationKind.Relu, accumulate);
            }
            var result = new float[m * n];
            backend.Download<float>(dy, result);
            return result;
        }
    }

    /// <summary>K beyond one packed span of B (2048) and N beyond one column block, against a float64 product: the error
    /// bound is float32 rounding of the sum of |a·b| terms.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void MatMul_AcrossSeveralPackedSpans_MatchesFloat64(bool ta, bool tb)
    {
        const int m = 100, n = 1030, k = 4500;
        var rng = new Random(11);
        float[] a = Random(rng, m * k), b = Random(rng, k * n);
        using var backend = new CpuBackend(2);
        using IDeviceBuffer da = Upload(backend, a), db = Upload(backend, b), dy = backend.Allocate(DType.Float32, m * n);
        backend.MatMul(da, db, dy, new MatMulShape(m, n, k, ta, tb));
        var y = new float[m * n];
        backend.Download<float>(dy, y);
        for (int i = 0; i < m; i += 7)
            for (int j = 0; j < n; j += 5)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = (double)a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                Assert.True(Math.Abs(y[i * n + j] - sum) <= 2e-6 * magnitude, $"y[{i}, {j}] = {y[i * n + j]:R}, expected {sum:R}");
            }
    }

    [Fact]
    public void StreamingKernels_OnTwoThreads_MatchOneThreadBitForBit()
    {
        const int count = (1 << 19) + 13;
        var rng = new Random(3);
        float[] x = Random(rng, count), g = Random(rng, count);
        Assert.Equal(Run(1), Run(2));

        float[] Run(int threads)
        {
            using var backend = new CpuBackend(threads);
            using IDeviceBuffer dx = Upload(backend, x), dg = Upload(backend, g), y = backend.Allocate(DType.Float32, count),
                m = Upload(backend, new float[count]), v = Upload(backend, new float[count]);
            backend.ActivationForward(ActivationKind.Tanh, dx, y, count);
            backend.ActivationBackward(ActivationKind.Tanh, y, dg, y, count);
            backend.Unary(UnaryOp.Exp, y, y, count);
            backend.AdamUpdate(y, dg, m, v, null, count, 1e-3f, 0.9f, 0.999f, 1e-7f);
            var result = new float[count];
            backend.Download<float>(y, result);
            return result;
        }
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    private static IDeviceBuffer Upload(CpuBackend backend, float[] values)
    {
        var buffer = backend.Allocate(DType.Float32, values.Length);
        backend.Upload<float>(values, buffer);
        return buffer;
    }
}
