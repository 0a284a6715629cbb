using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    // Transposed copies for GEMM packing. A scalar scatter moves one float per load/store pair; 8x8 register
    // transposes (AVX shuffles) move eight per vector store. The MLP's backward products pack a transposed operand on
    // every call, where the scalar scatter cost up to as much as the multiply itself.

    /// <summary>Scatters <paramref name="count"/> contiguous floats to every <paramref name="stride"/>-th slot (one row
    /// of an operand into one lane of a packed or transposed copy); callers checked both ranges.</summary>
    private static void Transpose(ref float source, ref float destination, int count, int stride)
    {
        for (int p = 0; p < count; p++) Unsafe.Add(ref destination, p * stride) = Unsafe.Add(ref source, p);
    }

    /// <summary><c>destination[c·destinationStride + r] = source[r·sourceStride + c]</c> for r &lt; rows, c &lt; cols, in
    /// 8x8 register blocks where AVX is available; callers checked both ranges.</summary>
    private static void TransposeBlock(ref float source, int sourceStride, ref float destination, int destinationStride, int rows, int cols)
    {
        int r = 0;
        if (Avx.IsSupported && cols >= 8)
        {
            for (; r + 8 <= rows; r += 8)
            {
                ref float s = ref Unsafe.Add(ref source, r * sourceStride);
                ref float d = ref Unsafe.Add(ref destination, r);
                int c = 0;
                for (; c + 8 <= cols; c += 8)
                {
                    Transpose8x8(
                        Load(ref s, c), Load(ref s, sourceStride + c), Load(ref s, 2 * sourceStride + c), Load(ref s, 3 * sourceStride + c),
                        Load(ref s, 4 * sourceStride + c), Load(ref s, 5 * sourceStride + c), Load(ref s, 6 * sourceStride + c), Load(ref s, 7 * sourceStride + c),
                        out var t0, out var t1, out var t2, out var t3, out var t4, out var t5, out var t6, out var t7);
                    ref float o = ref Unsafe.Add(ref d, c * destinationStride);
                    t0.StoreUnsafe(ref o);
                    t1.StoreUnsafe(ref o, (nuint)destinationStride);
                    t2.StoreUnsafe(ref o, (nuint)(2 * destinationStride));
                    t3.StoreUnsafe(ref o, (nuint)(3 * destinationStride));
                    t4.StoreUnsafe(ref o, (nuint)(4 * destinationStride));
                    t5.StoreUnsafe(ref o, (nuint)(5 * destinationStride));
                    t6.StoreUnsafe(ref o, (nuint)(6 * destinationStride));
                    t7.StoreUnsafe(ref o, (nuint)(7 * destinationStride));
                }
                for (; c < cols; c++)
                    for (int i = 0; i < 8; i++)
                        Unsafe.Add(ref d, c * destinationStride + i) = Unsafe.Add(ref s, i * sourceStride + c);
            }
        }
        for (; r < rows; r++)
            Transpose(ref Unsafe.Add(ref source, r * sourceStride), ref Unsafe.Add(ref destination, r), cols, destinationStride);
    }

    /// <summary>
    /// Interleaves six rows of <paramref name="count"/> floats (<paramref name="sourceStride"/> apart) into
    /// <c>destination[p·6 + r]</c>: the packed A panel of a 6-row micro-kernel. Each 8x8 transpose (two zero rows)
    /// stores eight floats per column, the last two of which the next column's store overwrites; the final store thus
    /// writes two floats past <c>6·count</c>, which the caller's buffer must hold (and which it overwrites later).
    /// </summary>
    private static void InterleaveSixRows(ref float source, int sourceStride, ref float destination, int count)
    {
        int p = 0;
        if (Avx.IsSupported)
        {
            var zero = Vector256<float>.Zero;
            for (; p + 8 <= count; p += 8)
            {
                Transpose8x8(
                    Load(ref source, p), Load(ref source, sourceStride + p), Load(ref source, 2 * sourceStride + p),
                    Load(ref source, 3 * sourceStride + p), Load(ref source, 4 * sourceStride + p), Load(ref source, 5 * sourceStride + p),
                    zero, zero,
                    out var t0, out var t1, out var t2, out var t3, out var t4, out var t5, out var t6, out var t7);
                ref float o = ref Unsafe.Add(ref destination, p * 6);
                t0.StoreUnsafe(ref o);
                t1.StoreUnsafe(ref o, 6);
                t2.StoreUnsafe(ref o, 12);
                t3.StoreUnsafe(ref o, 18);
                t4.StoreUnsafe(ref o, 24);
                t5.StoreUnsafe(ref o, 30);
                t6.StoreUnsafe(ref o, 36);
                t7.StoreUnsafe(ref o, 42);
            }
        }
        for (; p < count; p++)
            for (int r = 0; r < 6; r++)
                Unsafe.Add(ref destination, p * 6 + r) = Unsafe.Add(ref source, r * sourceStride + p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float source, int offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    /// <summary>Transposes the 8x8 block whose rows are r0..r7: t_j = (r0[j], r1[j], ..., r7[j]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3,
        out Vector256<float> t4, out Vector256<float> t5, out Vector256<float> t6, out Vector256<float> t7)
    {
        // Interleave pairs of rows, then pairs of pairs (within 128-bit lanes), then swap the lanes' halves.
        var u0 = Avx.UnpackLow(r0, r1); var u1 = Avx.UnpackHigh(r0, r1);
        var u2 = Avx.UnpackLow(r2, r3); var u3 = Avx.UnpackHigh(r2, r3);
        var u4 = Avx.UnpackLow(r4, r5); var u5 = Avx.UnpackHigh(r4, r5);
        var u6 = Avx.UnpackLow(r6, r7); var u7 = Avx.UnpackHigh(r6, r7);
        var v0 = Avx.Shuffle(u0, u2, 0x44); var v1 = Avx.Shuffle(u0, u2, 0xEE);
        var v2 = Avx.Shuffle(u1, u3, 0x44); var v3 = Avx.Shuffle(u1, u3, 0xEE);
        var v4 = Avx.Shuffle(u4, u6, 0x44); var v5 = Avx.Shuffle(u4, u6, 0xEE);
        var v6 = Avx.Shuffle(u5, u7, 0x44); var v7 = Avx.Shuffle(u5, u7, 0xEE);
        t0 = Avx.Permute2x128(v0, v4, 0x20); t1 = Avx.Permute2x128(v1, v5, 0x20);
        t2 = Avx.Permute2x128(v2, v6, 0x20); t3 = Avx.Permute2x128(v3, v7, 0x20);
        t4 = Avx.Permute2x128(v0, v4, 0x31); t5 = Avx.Permute2x128(v1, v5, 0x31);
        t6 = Avx.Permute2x128(v2, v6, 0x31); t7 = Avx.Permute2x128(v3, v7, 0x31);
    }
}
