using KerasGpu.Backends.Ilgpu.Kernels;

namespace KerasGpu.Conformance;

/// <summary>
/// The ILGPU kernels' fused multiply-add (double product + TwoSum, since ILGPU's PTX backend cannot compile
/// <c>MathF.FusedMultiplyAdd</c>) is plain C#, so it is checked here on the host against the hardware instruction:
/// the RandomUniform conformance theory covers its use, these cases cover the rounding corners it exists for.
/// </summary>
public sealed class IlgpuFusedMultiplyAddTests
{
    private static void Same(float a, float b, float c)
    {
        float expected = MathF.FusedMultiplyAdd(a, b, c), got = KernelMath.FusedMultiplyAdd(a, b, c);
        Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(got),
            $"fma({a:R}, {b:R}, {c:R}): hardware {expected:R}, emulated {got:R}");
    }

    /// <summary>The double sum lands exactly halfway between two floats while the exact sum does not: rounding the double
    /// (ties to even) would pick the wrong neighbour.</summary>
    [Fact]
    public void DoubleRoundingToAMidpoint_IsResolvedByTheRemainder()
    {
        float up = 1f + MathF.Pow(2, -23), below = MathF.Pow(2, -24) * (1f - MathF.Pow(2, -23));
        Same(up, below, up);
        Same(-up, below, -up);
        Same(up, -below, -up);
        Same(up, below, 1f);
        Same(up, below * 4, up * 2);
        Same(up, below, float.Epsilon);
    }

    [Fact]
    public void RandomTriples_MatchTheHardwareInstruction()
    {
        var random = new Random(20261125);
        float Draw() => random.Next(4) switch
        {
            0 => (float)(random.NextDouble() * 2 - 1),
            1 => (random.Next(1 << 24) >> 0) * (1f / 16777216f),
            2 => BitConverter.UInt32BitsToSingle((uint)random.Next()) * (random.Next(2) == 0 ? 1 : -1),
            _ => (float)Math.ScaleB(random.NextDouble() - 0.5, random.Next(-140, 120)),
        };
        for (int i = 0; i < 200_000; i++)
        {
            float a = Draw(), b = Draw(), c = Draw();
            if (float.IsNaN(a) || float.IsNaN(b) || float.IsNaN(c) || float.IsInfinity(a * b) || float.IsInfinity(c)) continue;
            Same(a, b, c);
            // The uniform map: a 24-bit unit float, a range and a low end.
            Same((random.Next(1 << 24)) * (1f / 16777216f), c, b);
        }
    }
}
