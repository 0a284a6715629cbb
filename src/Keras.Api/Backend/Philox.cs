namespace KerasGpu.Backend;

/// <summary>
/// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a counter-based generator,
/// so element <c>i</c> of any random tensor is a pure function of (key, counter) and every backend produces the same bits.
/// </summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Encrypts the 128-bit counter <c>(counter, 0)</c> under the 64-bit key; returns four 32-bit words.</summary>
    public static (uint X0, uint X1, uint X2, uint X3) Block(ulong key, ulong counter) =>
        Block((uint)counter, (uint)(counter >> 32), 0, 0, (uint)key, (uint)(key >> 32));

    /// <summary>The full Philox-4x32-10 block function on a 128-bit counter <c>(c0..c3)</c> and key <c>(k0, k1)</c>, as
    /// Random123's <c>philox4x32(ctr, key)</c>: word order matches its known-answer vectors.</summary>
    internal static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0, hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>Word <c>index mod 4</c> of block <c>offset + index / 4</c>: the bits of element <paramref name="index"/>.</summary>
    public static uint Bits(ulong key, ulong offset, ulong index)
    {
        var (x0, x1, x2, x3) = Block(key, offset + index / 4);
        return (index % 4) switch { 0 => x0, 1 => x1, 2 => x2, _ => x3 };
    }

    /// <summary>Maps 32 random bits to a float in <c>[0, 1)</c> with 24 bits of precision.</summary>
    public static float ToUnitFloat(uint bits) => (bits >> 8) * (1.0f / 16777216.0f);

    /// <summary>
    /// A uniform float in <c>[low, high)</c>, computed as <c>fma(u, high − low, low)</c> on every backend; the rare value
    /// that rounds up to <paramref name="high"/> becomes the largest float below it.
    /// </summary>
    public static float Uniform(uint bits, float low, float high)
    {
        float v = MathF.FusedMultiplyAdd(ToUnitFloat(bits), high - low, low);
        return v < high ? v : MathF.BitDecrement(high);
    }
}
