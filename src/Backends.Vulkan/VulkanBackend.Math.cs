using KerasGpu.Backend;

namespace KerasGpu.Backends.Vulkan;

// Unary math, Where, Cast and the strided copies (CopyStrided, Permute): shaders unary.comp, where.comp, data.comp and
// strided.comp. Host side: argument checks (before anything is recorded) and the windows over maxStorageBufferRange.
public sealed partial class VulkanBackend
{
    /// <summary>Dimensions strided.comp takes: its push constants hold 8 sizes and 8 strides per operand.</summary>
    private const int MaxStridedRank = 8;

    /// <inheritdoc />
    public void Unary(UnaryOp op, IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        if (!Enum.IsDefined(op)) throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        CheckFloat(nameof(Unary), x, nameof(x), count);
        CheckFloat(nameof(Unary), y, nameof(y), count);
        Flat("unary", [ElementwiseGroup, Sub, (uint)op], count, [y, x], []);
    }

    /// <inheritdoc />
    public void Where(IDeviceBuffer condition, IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, long count)
    {
        CheckFloat(nameof(Where), condition, nameof(condition), count);
        CheckFloat(nameof(Where), a, nameof(a), count);
        CheckFloat(nameof(Where), b, nameof(b), count);
        CheckFloat(nameof(Where), y, nameof(y), count);
        Flat("where", [ElementwiseGroup, Sub], count, [y, condition, a, b], []);
    }

    /// <inheritdoc />
    /// <remarks>Float → int saturates at the int32 range and maps NaN to 0, as .NET's conversion (the CPU backend) does.</remarks>
    public void Cast(IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        VulkanBuffer vx = Vk(x), vy = Vk(y);
        CheckRange(0, count, vx.Length, nameof(x));
        CheckRange(0, count, vy.Length, nameof(y));
        if (vx.DType == vy.DType)
        {
            Copy(x, 0, y, 0, count);
            return;
        }
        uint mode = vx.DType == DType.Int32 ? 3u : 4u; // data.comp: int32 → float32, float32 → int32
        for (long s = 0; s < count; s += ChunkElements)
        {
            long c = Math.Min(ChunkElements, count - s);
            var (bx, xBase) = Window(x, s);
            var (by, yBase) = Window(y, s);
            Dispatch("data", [ElementwiseGroup, Sub, mode], [by, bx, Whole(null, nameof(Cast))],
                [(uint)c, 0, xBase, yBase, 0, 0, 0, 0], Groups(c, ElementwiseGroup));
        }
    }

    /// <inheritdoc />
    public void CopyStrided(IDeviceBuffer x, long xOffset, int xRowStride, IDeviceBuffer y, long yOffset, int yRowStride,
        int rows, int rowLength)
    {
        VulkanBuffer vx = Vk(x), vy = Vk(y);
        if (vx.DType != vy.DType)
            throw new ArgumentException($"CopyStrided from {vx.DType.KerasName()} to {vy.DType.KerasName()}: the dtypes differ.");
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(rowLength);
        ArgumentOutOfRangeException.ThrowIfNegative(xRowStride);
        ArgumentOutOfRangeException.ThrowIfNegative(yRowStride);
        if (rows == 0 || rowLength == 0) return;
        CheckRange(xOffset, (long)(rows - 1) * xRowStride + rowLength, vx.Length, nameof(x));
        CheckRange(yOffset, (long)(rows - 1) * yRowStride + rowLength, vy.Length, nameof(y));
        Strided(x, xOffset, y, yOffset, [rows, rowLength], [xRowStride, 1], [yRowStride, 1]);
    }

    /// <inheritdoc />
    public void Permute(IDeviceBuffer x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> perm, IDeviceBuffer y)
    {
        VulkanBuffer vx = Vk(x), vy = Vk(y);
        int rank = xShape.Length;
        string shapeText = $"[{string.Join(", ", xShape.ToArray())}]", permText = $"[{string.Join(", ", perm.ToArray())}]";
        if (vx.DType != vy.DType)
            throw new ArgumentException($"Permute from {vx.DType.KerasName()} to {vy.DType.KerasName()}: the dtypes differ.");
        if (rank > MaxStridedRank)
            throw new ArgumentException($"Permute takes a shape of rank at most {MaxStridedRank}; received {shapeText} (rank {rank}).", nameof(xShape));
        if (perm.Length != rank)
            throw new ArgumentException($"Permute expected a permutation of {rank} axes for shape {shapeText}; received {permText}.", nameof(perm));
        Span<bool> seen = stackalloc bool[rank];
        foreach (int p in perm)
        {
            if ((uint)p >= (uint)rank || seen[p])
                throw new ArgumentException($"Permute expected a permutation of 0..{rank - 1}; received {permText}.", nameof(perm));
            seen[p] = true;
        }
        long total = 1;
        foreach (int d in xShape)
        {
            if (d < 0) throw new ArgumentException($"Permute expected non-negative dimensions; received {shapeText}.", nameof(xShape));
            total *= d;
        }
        CheckRange(0, total, vx.Length, nameof(x));
        CheckRange(0, total, vy.Length, nameof(y));
        if (total == 0) return;
        var xStride = new long[rank];
        for (long d = rank - 1, s = 1; d >= 0; d--) { xStride[d] = s; s *= xShape[(int)d]; }
        long[] shape = new long[rank], source = new long[rank], target = new long[rank];
        for (int d = 0; d < rank; d++) { shape[d] = xShape[perm[d]]; source[d] = xStride[perm[d]]; }
        for (long d = rank - 1, s = 1; d >= 0; d--) { target[d] = s; s *= shape[d]; }
        Strided(x, 0, y, 0, shape, source, target);
    }

    private void CheckFloat(string kernel, IDeviceBuffer buffer, string name, long count)
    {
        var v = Vk(buffer);
        if (v.DType != DType.Float32)
            throw new ArgumentException($"{kernel} expected a float32 buffer for {name}; received {v.DType.KerasName()}.", name);
        CheckRange(0, count, v.Length, name);
    }

    /// <summary>
    /// <c>y[yOffset + Σ i_d·yStride_d] = x[xOffset + Σ i_d·xStride_d]</c> over the index space <paramref name="shape"/>
    /// (strided.comp). Unit dimensions are dropped and neighbours contiguous in both operands merged (a plain copy becomes
    /// one dimension).
    /// </summary>
    private void Strided(IDeviceBuffer x, long xOffset, IDeviceBuffer y, long yOffset, long[] shape, long[] xStride, long[] yStride)
    {
        var dims = new List<StridedDim>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            if (dims.Count > 0 && dims[^1].X == xStride[d] * shape[d] && dims[^1].Y == yStride[d] * shape[d])
            {
                dims[^1] = new StridedDim(dims[^1].Size * shape[d], xStride[d], yStride[d]);
                continue;
            }
            dims.Add(new StridedDim(shape[d], xStride[d], yStride[d]));
        }
        StridedWindows(x, xOffset, y, yOffset, [.. dims]);
    }

    private readonly record struct StridedDim(long Size, long X, long Y);

    /// <summary>
    /// One dispatch when the elements and both operands' spans fit one binding (after the alignment slack of an unaligned
    /// start); otherwise the dimension with the largest extent is halved and each half done the same way. Every split
    /// shrinks a span, and a single element always fits, so any shape and strides go through (a transpose larger than a
    /// binding becomes tiles).
    /// </summary>
    private void StridedWindows(IDeviceBuffer x, long xOffset, IDeviceBuffer y, long yOffset, StridedDim[] dims)
    {
        long limit = BindingElements - AlignElements;
        long count = 1, spanX = 1, spanY = 1;
        foreach (var d in dims)
        {
            count *= d.Size;
            spanX += (d.Size - 1) * d.X;
            spanY += (d.Size - 1) * d.Y;
        }
        if (count <= limit && spanX <= limit && spanY <= limit)
        {
            Span<uint> push = stackalloc uint[4 + 3 * MaxStridedRank];
            var (bx, xBase) = Window(x, xOffset);
            var (by, yBase) = Window(y, yOffset);
            push[0] = (uint)count;
            push[1] = (uint)dims.Length;
            push[2] = xBase;
            push[3] = yBase;
            for (int d = 0; d < dims.Length; d++)
            {
                push[4 + d] = (uint)dims[d].Size;
                push[4 + MaxStridedRank + d] = (uint)dims[d].X;
                push[4 + 2 * MaxStridedRank + d] = (uint)dims[d].Y;
            }
            Dispatch("strided", [ElementwiseGroup, Sub], [by, bx], push, Groups(count, ElementwiseGroup));
            return;
        }
        int split = 0;
        long widest = -1;
        for (int d = 0; d < dims.Length; d++)
        {
            long extent = Math.Max(dims[d].Size, (dims[d].Size - 1) * Math.Max(dims[d].X, dims[d].Y));
            if (dims[d].Size > 1 && extent > widest) { widest = extent; split = d; }
        }
        var (size, sx, sy) = dims[split];
        long half = size / 2;
        var part = (StridedDim[])dims.Clone();
        part[split] = new StridedDim(half, sx, sy);
        StridedWindows(x, xOffset, y, yOffset, part);
        part[split] = new StridedDim(size - half, sx, sy);
        StridedWindows(x, xOffset + half * sx, y, yOffset + half * sy, part);
    }
}
