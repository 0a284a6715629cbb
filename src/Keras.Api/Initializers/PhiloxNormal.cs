using KerasGpu.Backend;

namespace KerasGpu.Initializers;

/// <summary>
/// Normal samples from Philox by the Box–Muller transform, computed in float64 on the host. Element <c>i</c> depends only
/// on (key, i): attempt <c>a</c> encrypts the counter <c>(i, a, tag)</c>, whose four words give two candidates; the
/// truncated variant takes the first candidate within two standard deviations (TensorFlow's and Keras' rule: values
/// beyond are re-drawn), so the result is the same however the work is split.
/// </summary>
internal static class PhiloxNormal
{
    private const uint StreamTag = 0x4E4F524D; // "NORM": keeps these counters apart from RandomUniform's (c2 = c3 = 0)
    private const double TwoPow32 = 4294967296.0;

    public static void Fill(float[] values, ulong key, double mean, double stddev, bool truncated)
    {
        const int Chunk = 1 << 14;
        int chunks = (int)((values.LongLength + Chunk - 1) / Chunk);
        Parallel.For(0, chunks, c =>
        {
            long end = Math.Min(values.LongLength, (long)(c + 1) * Chunk);
            for (long i = (long)c * Chunk; i < end; i++) values[i] = (float)(mean + stddev * Sample(key, (ulong)i, truncated));
        });
    }

    /// <summary>One standard normal sample for element <paramref name="index"/>.</summary>
    public static double Sample(ulong key, ulong index, bool truncated)
    {
        for (uint attempt = 0; ; attempt++)
        {
            var (x0, x1, x2, x3) = Philox.Block((uint)index, (uint)(index >> 32), attempt, StreamTag, (uint)key, (uint)(key >> 32));
            double z = BoxMuller(x0, x1);
            if (!truncated || Math.Abs(z) <= 2.0) return z;
            z = BoxMuller(x2, x3);
            if (Math.Abs(z) <= 2.0) return z;
        }
    }

    /// <summary><c>sqrt(−2 ln u1) · cos(2π u2)</c> with <c>u1 ∈ (0, 1]</c> (never log 0) and <c>u2 ∈ [0, 1)</c>.</summary>
    private static double BoxMuller(uint a, uint b)
    {
        double u1 = (a + 1.0) / TwoPow32, u2 = b / TwoPow32;
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
