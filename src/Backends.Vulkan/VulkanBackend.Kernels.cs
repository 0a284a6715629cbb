using KerasGpu.Backend;
using KerasGpu.Backends.Vulkan.Interop;

namespace KerasGpu.Backends.Vulkan;

// Every IBackend kernel: host-side shape checks and binding choices; the work happens in shaders/*.comp.
// Specialization constants: 0 = workgroup size, 1 = subgroup arithmetic available, 2.. = the shader's selectors.
public sealed partial class VulkanBackend
{
    // ---- data movement ------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void Fill(IDeviceBuffer y, float value)
    {
        long n = Vk(y).Length;
        for (long s = 0; s < n; s += ChunkElements)
        {
            long c = Math.Min(ChunkElements, n - s);
            var (by, yBase) = Window(y, s);
            Dispatch("data", [ElementwiseGroup, Sub, 0], [by, Whole(null, "Fill"), Whole(null, "Fill")],
                [(uint)c, Bits(value), 0, yBase, 0, 0, 0, 0], Groups(c, ElementwiseGroup));
        }
    }

    /// <inheritdoc />
    public void Copy(IDeviceBuffer x, long xOffset, IDeviceBuffer y, long yOffset, long count)
    {
        VulkanBuffer vx = Vk(x), vy = Vk(y);
        CheckRange(xOffset, count, vx.Length, nameof(x));
        CheckRange(yOffset, count, vy.Length, nameof(y));
        if (vx.DType != vy.DType) throw new ArgumentException($"Copy from {vx.DType.KerasName()} to {vy.DType.KerasName()}: the dtypes differ.");
        for (long s = 0; s < count; s += ChunkElements)
        {
            long c = Math.Min(ChunkElements, count - s);
            var (bx, xBase) = Window(x, xOffset + s);
            var (by, yBase) = Window(y, yOffset + s);
            Dispatch("data", [ElementwiseGroup, Sub, 1], [by, bx, Whole(null, "Copy")],
                [(uint)c, 0, xBase, yBase, 0, 0, 0, 0], Groups(c, ElementwiseGroup));
        }
    }

    /// <inheritdoc />
    /// <remarks>An index outside <c>[0, rows)</c> leaves its output row unwritten (a kernel cannot throw; the CPU backend does).
    /// A source larger than one binding is gathered window by window: each dispatch copies the rows inside its window.</remarks>
    public void GatherRows(IDeviceBuffer x, int rowLength, IDeviceBuffer indices, long indexOffset, int count, IDeviceBuffer y)
    {
        VulkanBuffer vx = Vk(x), vy = Vk(y), vi = Vk(indices);
        if (vx.DType != vy.DType) throw new ArgumentException($"GatherRows from {vx.DType.KerasName()} to {vy.DType.KerasName()}: the dtypes differ.");
        CheckRange(indexOffset, count, vi.Length, nameof(indices));
        if (count == 0 || rowLength == 0) return;
        CheckRange(0, (long)count * rowLength, vy.Length, nameof(y));
        // Windows over the output rows (with their indices) and, inside each, over the source rows.
        long window = ChunkElements, rows = vx.Length / rowLength, rowsPerWindow = window / rowLength;
        if (rowsPerWindow == 0) throw new NotSupportedException($"GatherRows on {Name}: a row of {rowLength} elements exceeds one {_maxBinding}-byte binding.");
        for (long o0 = 0; o0 < count; o0 += rowsPerWindow)
        {
            long outRows = Math.Min(rowsPerWindow, count - o0), total = outRows * rowLength;
            var (by, yBase) = Window(y, o0 * rowLength);
            var (bi, iBase) = Window(indices, indexOffset + o0);
            for (long r0 = 0; r0 < rows; r0 += rowsPerWindow)
            {
                long windowRows = Math.Min(rowsPerWindow, rows - r0);
                var (bx, xBase) = Window(x, r0 * rowLength);
                Dispatch("data", [ElementwiseGroup, Sub, 2], [by, bx, bi],
                    [(uint)total, 0, xBase, yBase, iBase, (uint)rowLength, (uint)r0, (uint)windowRows], Groups(total, ElementwiseGroup));
            }
        }
    }

    /// <inheritdoc />
    public void RandomUniform(IDeviceBuffer y, ulong key, ulong offset, float low, float high)
    {
        long n = Vk(y).Length;
        uint range = Bits(high - low), below = Bits(MathF.BitDecrement(high));
        for (long s = 0; s < n; s += ChunkElements)
        {
            long c = Math.Min(ChunkElements, n - s);
            var (by, _) = Window(y, s);
            // Exact fma emulation where float64 exists (lavapipe splits GLSL fma); else the hardware fma.
            Dispatch(_device.Float64 ? "random_exact" : "random", [ElementwiseGroup, Sub], [by],
                [(uint)c, (uint)s, (uint)key, (uint)(key >> 32), (uint)offset, (uint)(offset >> 32), Bits(low), range, Bits(high), below],
                Groups((c + 3) / 4, ElementwiseGroup));
        }
    }

    // ---- elementwise ------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void ActivationForward(ActivationKind kind, IDeviceBuffer x, IDeviceBuffer y, long count) =>
        Flat("activation", [ElementwiseGroup, Sub, (uint)kind, 0], count, [y, x, null], []);

    /// <inheritdoc />
    public void ActivationBackward(ActivationKind kind, IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, long count) =>
        Flat("activation", [ElementwiseGroup, Sub, (uint)kind, 1], count, [dx, y, dy], []);

    /// <inheritdoc />
    public void ScaleAdd(IDeviceBuffer x, float alpha, IDeviceBuffer? z, float beta, IDeviceBuffer y, long count) =>
        Flat("scale_add", [ElementwiseGroup, Sub, B(z is not null)], count, [y, x, z], [Bits(alpha), Bits(beta)]);

    /// <summary>An elementwise kernel over <c>[0, count)</c> of every buffer, split into windows that fit one binding.
    /// Push constants: the chunk's count, then <paramref name="scalars"/>.</summary>
    private void Flat(string shader, uint[] constants, long count, IDeviceBuffer?[] buffers, uint[] scalars)
    {
        Span<uint> push = stackalloc uint[1 + scalars.Length];
        scalars.CopyTo(push[1..]);
        var bindings = new Binding[buffers.Length];
        for (long s = 0; s < count; s += ChunkElements)
        {
            long c = Math.Min(ChunkElements, count - s);
            for (int i = 0; i < buffers.Length; i++)
                bindings[i] = buffers[i] is { } b ? Window(b, s).Binding : Whole(null, shader);
            push[0] = (uint)c;
            Dispatch(shader, constants, bindings, push, Groups(c, ElementwiseGroup));
        }
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, IDeviceBuffer a, ReadOnlySpan<int> aShape, IDeviceBuffer b, ReadOnlySpan<int> bShape,
        IDeviceBuffer y, ReadOnlySpan<int> yShape)
    {
        const int maxRank = 6;
        long total = 1;
        foreach (int d in yShape) total *= d;
        if (total == 0) return;
        int rank = yShape.Length;
        Span<long> aStride = stackalloc long[rank], bStride = stackalloc long[rank];
        BroadcastStrides(aShape, yShape, aStride);
        BroadcastStrides(bShape, yShape, bStride);
        // Drop unit dimensions, then merge neighbours that are contiguous (or broadcast) in both inputs.
        var dims = new List<(long Size, long A, long B)>();
        for (int d = 0; d < rank; d++)
        {
            if (yShape[d] == 1) continue;
            if (dims.Count > 0)
            {
                var (size, sa, sb) = dims[^1];
                if (sa == aStride[d] * yShape[d] && sb == bStride[d] * yShape[d])
                {
                    dims[^1] = (size * yShape[d], aStride[d], bStride[d]);
                    continue;
                }
            }
            dims.Add((yShape[d], aStride[d], bStride[d]));
        }
        if (dims.Count > maxRank)
            throw new NotSupportedException($"Binary on {Name}: the broadcast needs {dims.Count} dimensions after merging; at most {maxRank} are supported.");
        Span<uint> push = stackalloc uint[2 + 3 * maxRank];
        push[1] = (uint)dims.Count;
        for (int d = 0; d < dims.Count; d++)
        {
            push[2 + d] = (uint)dims[d].Size;
            push[2 + maxRank + d] = (uint)dims[d].A;
            push[2 + 2 * maxRank + d] = (uint)dims[d].B;
        }
        if (dims.Count == 0)
        {
            push[0] = (uint)total;
            Dispatch("binary", [ElementwiseGroup, Sub, (uint)op], [At(y, 0), At(a, 0), At(b, 0)], push, Groups(total, ElementwiseGroup));
            return;
        }
        // Windows along the outermost merged dimension: a block of its indices is a contiguous block of y, and in each
        // operand a block starting at index·stride spanning (count - 1)·stride plus the inner dimensions' extent (an operand
        // broadcast along it, stride 0, is bound from its start). Same shapes merge into one dimension (plain windows);
        // broadcasting along leading axes leaves the broadcast operand whole in every window. A case where one alignment's
        // worth of outermost indices spans more than one binding in some operand is not supported (NotSupportedException).
        long outerSize = dims[0].Size, inner = 1, innerA = 1, innerB = 1;
        for (int d = 1; d < dims.Count; d++)
        {
            inner *= dims[d].Size;
            innerA += (dims[d].Size - 1) * dims[d].A;
            innerB += (dims[d].Size - 1) * dims[d].B;
        }
        long strideA = dims[0].A, strideB = dims[0].B;
        var extents = new Func<long, long>[] { c => c * inner, c => (c - 1) * strideA + innerA, c => (c - 1) * strideB + innerB };
        for (long i0 = 0; i0 < outerSize;)
        {
            long count = RowsPerWindow(nameof(Binary), outerSize - i0, extents), n = count * inner;
            push[0] = (uint)n;
            push[2] = (uint)count;
            Dispatch("binary", [ElementwiseGroup, Sub, (uint)op], [At(y, i0 * inner), At(a, i0 * strideA), At(b, i0 * strideB)], push,
                Groups(n, ElementwiseGroup));
            i0 += count;
        }
    }

    private static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<long> strides)
    {
        long stride = 1;
        int lead = outShape.Length - shape.Length;
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            int size = d >= lead ? shape[d - lead] : 1;
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }

    /// <inheritdoc />
    public void Reduce(ReduceOp op, IDeviceBuffer x, int outer, int axis, int inner, IDeviceBuffer y, bool accumulate = false)
    {
        if ((long)outer * inner == 0) return;
        long slice = (long)axis * inner, limit = BindingElements, align = AlignElements;
        if ((long)outer * slice > limit && slice * align > limit)
        {
            ReduceSplitAxis(op, x, outer, axis, inner, y, accumulate);
            return;
        }
        // Windows of whole outer slices (x[o, :, :] and y[o, :]), a multiple of the offset alignment each.
        var extents = new Func<long, long>[] { o => o * slice, o => o * inner };
        for (long o0 = 0; o0 < outer;)
        {
            long count = RowsPerWindow(nameof(Reduce), outer - o0, extents), outputs = count * inner;
            // Many outputs: one invocation each walks its axis. Few outputs and a long axis: one workgroup per output.
            bool perThread = outputs >= 256 || axis < 64;
            uint group = perThread ? ElementwiseGroup : RowGroup;
            Dispatch("reduce", [group, Sub, (uint)op, B(perThread), B(accumulate), 0], [At(y, o0 * inner), At(x, o0 * slice)],
                [(uint)count, (uint)axis, (uint)inner, 0, 0, (uint)axis], perThread ? Groups(outputs, group) : Groups(outputs, 1));
            o0 += count;
        }
    }

    /// <summary>
    /// Reduce when one outer slice (times the offset alignment) exceeds a binding: each outer slice on its own, its axis in
    /// chunks that fit one window; the first chunk stores (or accumulates, as asked), later ones add (Sum, and Mean with
    /// the whole axis as divisor) or take the maximum or minimum (Max, Min). Max and Min with <paramref name="accumulate"/>
    /// cannot be split this way (the first chunk's y0 + max would mix with later maxima) and throw.
    /// </summary>
    private void ReduceSplitAxis(ReduceOp op, IDeviceBuffer x, int outer, int axis, int inner, IDeviceBuffer y, bool accumulate)
    {
        long limit = BindingElements, align = AlignElements;
        long chunk = (limit - align) / inner; // axis entries per window, leaving room for the unaligned start
        if (chunk <= 0)
            throw new NotSupportedException($"Reduce on {Name}: an inner extent of {inner} elements exceeds one {_maxBinding}-byte " +
                "storage-buffer binding (maxStorageBufferRange).");
        bool select = op is ReduceOp.Max or ReduceOp.Min;
        if (select && accumulate)
            throw new NotSupportedException($"Reduce on {Name}: {op} with accumulate over an axis larger than one {_maxBinding}-byte " +
                "storage-buffer binding (maxStorageBufferRange) is not supported.");
        for (long o = 0; o < outer; o++)
        {
            var (by, yBase) = Window(y, o * inner);
            for (long a0 = 0; a0 < axis; a0 += chunk)
            {
                long count = Math.Min(chunk, axis - a0);
                var (bx, xBase) = Window(x, (o * axis + a0) * inner);
                bool later = a0 > 0, perThread = inner >= 256 || count < 64;
                uint group = perThread ? ElementwiseGroup : RowGroup;
                Dispatch("reduce", [group, Sub, (uint)op, B(perThread), B(accumulate || (later && !select)), B(later && select)], [by, bx],
                    [1, (uint)count, (uint)inner, xBase, yBase, (uint)axis], perThread ? Groups(inner, group) : Groups(inner, 1));
            }
        }
    }

    // ---- linear algebra -----------------------------------------------------------------------------------------------

    /// <summary>Products up to this many multiply-adds use the naive shader (the readable reference); larger ones the tiled one.</summary>
    internal const long NaiveMatMulLimit = 32 * 1024;

    /// <inheritdoc />
    public void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape,
        IDeviceBuffer? bias = null, ActivationKind activation = ActivationKind.Linear, bool accumulate = false) =>
        MatMul(a, b, y, shape, bias, activation, accumulate, naive: (long)shape.M * shape.N * shape.K <= NaiveMatMulLimit, _matMulTile);

    /// <summary>MatMul with the shader and the tiled shader's shape chosen explicitly (tests run every choice on the same
    /// shapes): <paramref name="tile"/> is (SIDE, REG), a SIDE×SIDE workgroup computing a (SIDE·REG)² tile.</summary>
    internal void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape, IDeviceBuffer? bias,
        ActivationKind activation, bool accumulate, bool naive, (uint Side, uint Reg) tile)
    {
        var (m, n, k, ta, tb) = shape;
        if (m == 0 || n == 0) return;
        var (side, reg) = tile;
        const uint tileK = 16;
        uint tiledGroup = side * side;
        long edge = side * reg;
        // Blocks of Y's rows × chunks of k, each operand bound as the window its block spans (at an unaligned start, with
        // the stored strides as push constants): a row block of Y is a row block of A, or a strided column block of A when
        // A is transposed; a k chunk is a row block of B, or a strided column block of B when B is transposed. Chunks after
        // the first accumulate into Y; bias and activation apply on the last. One block when everything fits one binding.
        long limit = BindingElements - AlignElements; // a window's span, leaving room for its unaligned start
        long ExtentA(long r, long c) => ta ? (c - 1) * m + r : (r - 1) * k + c;
        long ExtentB(long c) => tb ? (long)(n - 1) * k + c : c * n;
        long kc = k;
        if (ExtentA(m, k) > limit || ExtentB(k) > limit)
        {
            // The k chunk: as long as B allows (its rows, or for a transposed B its column block), and for a transposed A
            // (whose rows stride by m) short enough that A's window still holds at least half a binding of Y's rows.
            kc = Math.Min(k, tb ? limit - (long)(n - 1) * k : limit / n);
            kc = Math.Min(kc, ta ? (limit / 2 - 1) / m + 1 : limit);
        }
        long rc = Math.Min(m, limit / n);
        if (kc > 0) rc = Math.Min(rc, ta ? limit - (kc - 1) * m : (limit - kc) / k + 1);
        if (rc <= 0 || (k > 0 && kc <= 0))
            throw new NotSupportedException($"MatMul on {Name}: {shape} cannot be split into blocks that fit one {_maxBinding}-byte " +
                "storage-buffer binding (maxStorageBufferRange): a row of Y, or a column block of a transposed B, is too large.");
        Binding biasBinding = Whole(bias, "MatMul");
        var push = new uint[8];
        push[1] = (uint)n;
        push[3] = (uint)(ta ? m : k);
        push[4] = (uint)(tb ? k : n);
        for (long r0 = 0; r0 < m; r0 += rc)
        {
            long rows = Math.Min(rc, m - r0);
            var (by, yBase) = Window(y, r0 * n);
            for (long k0 = 0; k0 < k || k0 == 0; k0 += kc)
            {
                long depth = Math.Min(kc, k - k0);
                bool first = k0 == 0, last = k0 + kc >= k;
                var (ba, aBase) = Window(a, ta ? k0 * m + r0 : r0 * k + k0);
                var (bb, bBase) = Window(b, tb ? k0 : k0 * n);
                push[0] = (uint)rows;
                push[2] = (uint)depth;
                push[5] = aBase;
                push[6] = bBase;
                push[7] = yBase;
                Binding[] bindings = [by, ba, bb, biasBinding];
                uint act = last ? (uint)activation : (uint)ActivationKind.Linear;
                uint acc = B(accumulate || !first), hasBias = B(last && bias is not null);
                if (naive)
                    Dispatch("matmul_naive", [RowGroup, Sub, B(ta), B(tb), act, hasBias, acc], bindings, push, Groups(rows * n, RowGroup));
                else
                {
                    long tiles = ((rows + edge - 1) / edge) * ((n + edge - 1) / edge);
                    Dispatch("matmul_tiled", [tiledGroup, Sub, B(ta), B(tb), act, hasBias, acc, reg, tileK, side], bindings, push,
                        Groups(tiles, 1));
                }
                if (k == 0) break;
            }
        }
    }

    // ---- softmax and losses -------------------------------------------------------------------------------------------

    /// <summary>Row kernels: a power of two near the row length, at least one subgroup, at most 256. Idle invocations cost
    /// barrier time (much of it on lavapipe, where a 64-wide group for 10 classes was 6x slower than an 8-wide one).</summary>
    private uint RowGroupFor(int cols) =>
        Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(cols, 1)), Math.Clamp(SubgroupSize, 8u, 64u), ElementwiseGroup);

    /// <inheritdoc />
    public void Softmax(IDeviceBuffer x, IDeviceBuffer y, int rows, int cols)
    {
        if (rows == 0 || cols == 0) return;
        RowWindows(nameof(Softmax), "softmax", [RowGroupFor(cols), Sub, 0], rows, cols, [(y, cols), (x, cols), (null, 0)], []);
    }

    /// <inheritdoc />
    public void SoftmaxBackward(IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, int rows, int cols)
    {
        if (rows == 0 || cols == 0) return;
        RowWindows(nameof(SoftmaxBackward), "softmax", [RowGroupFor(cols), Sub, 1], rows, cols, [(dx, cols), (y, cols), (dy, cols)], []);
    }

    /// <summary>
    /// A row kernel (one workgroup per row; push constants: rows, cols, then <paramref name="scalars"/>) split into windows
    /// of whole rows that fit one binding each. Each buffer is given with its elements per row (0 for an unused binding);
    /// window starts are multiples of the offset alignment in rows, so every buffer's window starts aligned.
    /// </summary>
    private void RowWindows(string kernel, string shader, uint[] constants, int rows, int cols,
        (IDeviceBuffer? Buffer, long PerRow)[] buffers, uint[] scalars)
    {
        var extents = buffers.Select(b => (Func<long, long>)(r => r * b.PerRow)).ToArray();
        Span<uint> push = stackalloc uint[2 + scalars.Length];
        push[1] = (uint)cols;
        scalars.CopyTo(push[2..]);
        var bindings = new Binding[buffers.Length];
        for (long r0 = 0; r0 < rows;)
        {
            long count = RowsPerWindow(kernel, rows - r0, extents);
            for (int i = 0; i < buffers.Length; i++)
                bindings[i] = At(buffers[i].PerRow == 0 ? null : buffers[i].Buffer, r0 * buffers[i].PerRow);
            push[0] = (uint)count;
            Dispatch(shader, constants, bindings, push, Groups(count, 1));
            r0 += count;
        }
    }

    private void Loss(string kernel, uint mode, bool sparse, int rows, int cols, float epsilon, IDeviceBuffer output, IDeviceBuffer input,
        IDeviceBuffer targets, IDeviceBuffer? aux)
    {
        if (rows == 0 || cols == 0) return;
        // Mode 0 writes probabilities (and the row loss to aux); 2 and 4 write a row loss; the others a row of gradients.
        long outPerRow = mode is 2 or 4 ? 1 : cols;
        RowWindows(kernel, "losses", [RowGroupFor(cols), Sub, mode, B(sparse)], rows, cols,
            [(output, outPerRow), (input, cols), (targets, sparse ? 1 : cols), (aux, aux is null ? 0 : 1)], [Bits(epsilon)]);
    }

    /// <inheritdoc />
    /// <remarks>A sparse label outside <c>[0, cols)</c> gives a NaN row loss (the CPU backend throws).</remarks>
    public void SoftmaxCrossEntropy(IDeviceBuffer logits, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        IDeviceBuffer probabilities, IDeviceBuffer rowLoss) =>
        Loss(nameof(SoftmaxCrossEntropy), 0, targetKind == TargetKind.SparseIndex, rows, cols, 0, probabilities, logits, targets, rowLoss);

    /// <inheritdoc />
    public void SoftmaxCrossEntropyBackward(IDeviceBuffer probabilities, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer logitsGradient, int rows, int cols) =>
        Loss(nameof(SoftmaxCrossEntropyBackward), 1, targetKind == TargetKind.SparseIndex, rows, cols, 0, logitsGradient, probabilities,
            targets, rowLossGradient);

    /// <inheritdoc />
    public void CrossEntropy(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        float epsilon, IDeviceBuffer rowLoss) =>
        Loss(nameof(CrossEntropy), 2, targetKind == TargetKind.SparseIndex, rows, cols, epsilon, rowLoss, predictions, targets, null);

    /// <inheritdoc />
    public void CrossEntropyBackward(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer predictionsGradient, int rows, int cols, float epsilon) =>
        Loss(nameof(CrossEntropyBackward), 3, targetKind == TargetKind.SparseIndex, rows, cols, epsilon, predictionsGradient, predictions,
            targets, rowLossGradient);

    /// <inheritdoc />
    public void SquaredError(IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols, IDeviceBuffer rowLoss) =>
        Loss(nameof(SquaredError), 4, false, rows, cols, 0, rowLoss, predictions, targets, null);

    /// <inheritdoc />
    public void SquaredErrorBackward(IDeviceBuffer predictions, IDeviceBuffer targets, IDeviceBuffer rowLossGradient,
        IDeviceBuffer predictionsGradient, int rows, int cols) =>
        Loss(nameof(SquaredErrorBackward), 5, false, rows, cols, 0, predictionsGradient, predictions, targets, rowLossGradient);

    /// <inheritdoc />
    public void AccuracyCount(AccuracyKind kind, IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols,
        IDeviceBuffer accumulator)
    {
        if (rows == 0) return;
        // Each window adds its count to the accumulator (one workgroup per dispatch: the order is fixed).
        var extents = new Func<long, long>[] { r => r * cols, r => kind == AccuracyKind.SparseCategorical ? r : r * cols };
        for (long r0 = 0; r0 < rows;)
        {
            long count = RowsPerWindow(nameof(AccuracyCount), rows - r0, extents);
            Dispatch("accuracy", [ElementwiseGroup, Sub, (uint)kind],
                [Whole(accumulator, nameof(AccuracyCount)), At(predictions, r0 * cols),
                    At(targets, kind == AccuracyKind.SparseCategorical ? r0 : r0 * cols)],
                [(uint)count, (uint)cols], 1);
            r0 += count;
        }
    }

    // ---- optimizers ---------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public void SgdUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer? momentum, long count,
        float learningRate, float momentumFactor, bool nesterov) =>
        Flat("optimizer", [ElementwiseGroup, Sub, 0, B(momentum is not null), B(nesterov), 0], count,
            [weights, gradients, momentum, null, null], [Bits(learningRate), Bits(momentumFactor), 0, 0]);

    /// <inheritdoc />
    public void RmsPropUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer velocity, IDeviceBuffer? momentum,
        IDeviceBuffer? averageGradient, long count, float learningRate, float rho, float momentumFactor, float epsilon) =>
        Flat("optimizer", [ElementwiseGroup, Sub, 1, B(momentum is not null), 0, B(averageGradient is not null)], count,
            [weights, gradients, velocity, momentum, averageGradient], [Bits(learningRate), Bits(rho), Bits(momentumFactor), Bits(epsilon)]);

    /// <inheritdoc />
    public void AdamUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer m, IDeviceBuffer v, IDeviceBuffer? vHat,
        long count, float alpha, float beta1, float beta2, float epsilon) =>
        Flat("optimizer", [ElementwiseGroup, Sub, 2, 0, 0, B(vHat is not null)], count,
            [weights, gradients, m, v, vHat], [Bits(alpha), Bits(beta1), Bits(beta2), Bits(epsilon)]);
}
