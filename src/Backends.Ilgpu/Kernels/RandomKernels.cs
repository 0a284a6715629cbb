using ILGPU;
using ILGPU.Runtime;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>Philox-4x32-10 uniforms, bit-identical to <see cref="KerasGpu.Backend.Philox"/>: the same integer rounds,
/// the float step as one correctly rounded fused multiply-add (<see cref="KernelMath.FusedMultiplyAdd"/>), and the clamp <c>v &lt; high ? v : BitDecrement(high)</c> (the decremented
/// bound comes from the host).</summary>
internal static class RandomKernels
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    public static void Uniform(Index1D index, ArrayView<float> y, long length, ulong key, ulong offset, float low, float range,
        float high, float belowHigh, long stride)
    {
        long blocks = (length + 3) / 4;
        for (long block = index; block < blocks; block += stride)
        {
            ulong counter = offset + (ulong)block;
            uint c0 = (uint)counter, c1 = (uint)(counter >> 32), c2 = 0, c3 = 0, k0 = (uint)key, k1 = (uint)(key >> 32);
            for (int round = 0; round < 10; round++)
            {
                if (round > 0) { k0 += W0; k1 += W1; }
                ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
                uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0, hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
                uint n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
                c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
            }
            long i = block * 4;
            y[i] = ToUniform(c0, low, range, high, belowHigh);
            if (i + 1 < length) y[i + 1] = ToUniform(c1, low, range, high, belowHigh);
            if (i + 2 < length) y[i + 2] = ToUniform(c2, low, range, high, belowHigh);
            if (i + 3 < length) y[i + 3] = ToUniform(c3, low, range, high, belowHigh);
        }
    }

    private static float ToUniform(uint bits, float low, float range, float high, float belowHigh)
    {
        float v = KernelMath.FusedMultiplyAdd((bits >> 8) * (1.0f / 16777216.0f), range, low);
        return v < high ? v : belowHigh;
    }
}
