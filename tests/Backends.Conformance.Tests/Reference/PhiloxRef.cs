namespace KerasGpu.Conformance;

/// <summary>
/// Philox-4x32-10, written from the paper (Salmon et al., SC 2011) independently of <c>KerasGpu.Backend.Philox</c>:
/// round keys are computed directly as <c>k + r·W</c> rather than bumped, products via <see cref="Math.BigMul(uint, uint)"/>.
/// </summary>
internal static class PhiloxRef
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57; // multipliers
    private const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85; // Weyl key increments (golden ratio, sqrt(3) − 1)

    // One round r (0-based) on counter x under round key (k0 + r·W0, k1 + r·W1):
    //   (hi0, lo0) = M0·x0, (hi1, lo1) = M1·x2   (64-bit products)
    //   x ← (hi1 ⊕ x1 ⊕ rk0, lo1, hi0 ⊕ x3 ⊕ rk1, lo0)
    public static uint[] Block(uint[] counter, uint[] key)
    {
        uint x0 = counter[0], x1 = counter[1], x2 = counter[2], x3 = counter[3];
        for (uint r = 0; r < 10; r++)
        {
            uint rk0 = unchecked(key[0] + r * W0), rk1 = unchecked(key[1] + r * W1);
            ulong p0 = Math.BigMul(M0, x0), p1 = Math.BigMul(M1, x2);
            (x0, x1, x2, x3) = ((uint)(p1 >> 32) ^ x1 ^ rk0, (uint)p1, (uint)(p0 >> 32) ^ x3 ^ rk1, (uint)p0);
        }
        return [x0, x1, x2, x3];
    }

    // RandomUniform's spec: element i takes word i mod 4 of the block at counter (offset + i/4) as a 128-bit number
    // (low 64 bits = the ulong counter, high 64 bits = 0) under key (low, high 32 bits of the ulong key);
    // u = (bits >> 8)·2⁻²⁴ (24 exact bits), y = fma(u, high − low, low) rounded once in float32; a y that rounds up
    // to high becomes the largest float below high, so the range stays [low, high).
    // This is a float32 formula by design: random numbers must be bitwise identical on every backend.
    public static float[] Uniform(int length, ulong key, ulong offset, float low, float high)
    {
        var y = new float[length];
        uint[] k = [(uint)key, (uint)(key >> 32)];
        for (int i = 0; i < length; i++)
        {
            ulong counter = offset + (ulong)(i / 4);
            uint bits = Block([(uint)counter, (uint)(counter >> 32), 0, 0], k)[i % 4];
            float u = (bits >> 8) / 16777216f;
            float v = MathF.FusedMultiplyAdd(u, high - low, low);
            y[i] = v < high ? v : MathF.BitDecrement(high);
        }
        return y;
    }
}
