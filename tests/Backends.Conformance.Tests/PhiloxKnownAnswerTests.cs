using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>
/// Philox-4x32-10 against Random123's published known answers (tests/kat_vectors, the three "philox4x32 10" lines:
/// counter[4] key[2] → output[4]), both the tests' independent <see cref="PhiloxRef"/> and the library's <see cref="Philox"/>.
/// </summary>
public sealed class PhiloxKnownAnswerTests
{
    public static TheoryData<uint[], uint[], uint[]> KnownAnswers => new()
    {
        { [0u, 0u, 0u, 0u], [0u, 0u], [0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u] },
        { [~0u, ~0u, ~0u, ~0u], [~0u, ~0u], [0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu] },
        { [0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u], [0xa4093822u, 0x299f31d0u], [0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u] },
    };

    [Theory, MemberData(nameof(KnownAnswers))]
    public void Reference_MatchesRandom123(uint[] counter, uint[] key, uint[] expected) =>
        Assert.Equal(expected, PhiloxRef.Block(counter, key));

    [Theory, MemberData(nameof(KnownAnswers))]
    public void Library_MatchesRandom123(uint[] counter, uint[] key, uint[] expected)
    {
        var (x0, x1, x2, x3) = Philox.Block(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
        Assert.Equal(expected, new[] { x0, x1, x2, x3 });
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(0xDEADBEEFCAFEF00DUL, 0xFFFFFFFFUL)]
    [InlineData(ulong.MaxValue, 1UL << 40)]
    public void LibraryBlock_PacksCounterAndKeyLowWordFirst(ulong key, ulong counter)
    {
        var (x0, x1, x2, x3) = Philox.Block(key, counter);
        Assert.Equal(PhiloxRef.Block([(uint)counter, (uint)(counter >> 32), 0, 0], [(uint)key, (uint)(key >> 32)]), new[] { x0, x1, x2, x3 });
    }
}
