using KerasGpu.Backend;

namespace KerasGpu;

/// <summary>
/// The global seed generator: hands out fresh Philox keys for initializers and shuffles. Seeded by
/// <see cref="Keras.Utils.SetRandomSeed"/>, otherwise from the OS's entropy.
/// </summary>
internal static class RandomState
{
    private static long s_key = Random.Shared.NextInt64();
    private static long s_counter;

    public static void Seed(ulong seed)
    {
        Interlocked.Exchange(ref s_key, (long)seed);
        Interlocked.Exchange(ref s_counter, 0);
    }

    /// <summary>A new 64-bit key: the Philox block of the next counter under the global seed.</summary>
    public static ulong NextKey()
    {
        ulong counter = (ulong)Interlocked.Increment(ref s_counter);
        var (x0, x1, _, _) = Philox.Block((ulong)Interlocked.Read(ref s_key), counter);
        return x0 | ((ulong)x1 << 32);
    }

    /// <summary>A key from an explicit seed (an initializer's or layer's own seed).</summary>
    public static ulong KeyFromSeed(int seed) => Philox.Block((ulong)(uint)seed, 0x5EED) is var (x0, x1, _, _) ? x0 | ((ulong)x1 << 32) : 0;

    /// <summary>A permutation of <c>[0, n)</c> by Fisher–Yates with Philox draws under <paramref name="key"/>.</summary>
    public static int[] Permutation(int n, ulong key)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            ulong bits = Philox.Bits(key, 0, (ulong)i);
            int j = (int)((bits * (ulong)(i + 1)) >> 32); // unbiased enough for shuffling: Lemire's multiply-shift
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
