using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;

namespace KerasGpu.Backend.Cpu;

/// <summary>
/// The managed CPU backend, the embedded default: float32 kernels over pooled managed arrays, vectorised with
/// <see cref="TensorPrimitives"/> and parallel over rows where the work pays for it. Launches run synchronously,
/// which satisfies the contract's "asynchronous" rule trivially. One kernel family per partial file.
/// </summary>
public sealed partial class CpuBackend : IBackend
{
    private readonly Dictionary<long, Stack<float[]>> _floatPool = [];
    private readonly Dictionary<long, Stack<int[]>> _intPool = [];
    private readonly Lock _poolLock = new();
    private long _live;
    private bool _disposed;

    /// <summary>Creates a CPU backend.</summary>
    /// <param name="maxThreads">Upper bound on worker threads per kernel; defaults to the processor count.</param>
    public CpuBackend(int? maxThreads = null) : this(maxThreads, 512)
    {
    }

    /// <summary>Creates a CPU backend whose kernels use vectors of at most <paramref name="maxVectorBits"/> (128, 256
    /// or 512; the hardware may allow less), so tests run the narrower kernels on wider hardware too. With
    /// <paramref name="emulateWidth"/> they run at exactly that width even where the hardware lacks it (.NET then computes
    /// those vectors in software, lane by lane with the same IEEE operations), so that a machine without AVX-512 still
    /// tests the 512-bit kernels.</summary>
    internal CpuBackend(int? maxThreads, int maxVectorBits, bool emulateWidth = false)
    {
        if (maxThreads is <= 0) throw new ArgumentOutOfRangeException(nameof(maxThreads), maxThreads, "Expected a positive thread count.");
        if (maxVectorBits is not (128 or 256 or 512))
            throw new ArgumentOutOfRangeException(nameof(maxVectorBits), maxVectorBits, "Expected 128, 256 or 512.");
        MaxThreads = maxThreads ?? Environment.ProcessorCount;
        _explicitThreads = maxThreads is not null;
        _workers = new CpuWorkerPool(MaxThreads);
        VectorBits = emulateWidth ? maxVectorBits
            : maxVectorBits >= 512 && Vector512.IsHardwareAccelerated ? 512
            : maxVectorBits >= 256 && Vector256.IsHardwareAccelerated ? 256
            : Vector128.IsHardwareAccelerated ? 128 : 0;
    }

    /// <summary>The vector width the kernels run at: 512 (AVX-512), 256 (AVX2), 128 (SSE, NEON) or 0 (scalar loops
    /// and <see cref="TensorPrimitives"/> only).</summary>
    internal int VectorBits { get; }

    private readonly CpuWorkerPool _workers;
    private readonly CpuScratch _scratch = new();

    private readonly bool _explicitThreads;

    /// <summary>Whether the kernels run at a width the hardware lacks (only when a test asked for it).</summary>
    private bool EmulatedWidth => VectorBits switch
    {
        512 => !Vector512.IsHardwareAccelerated,
        256 => !Vector256.IsHardwareAccelerated,
        128 => !Vector128.IsHardwareAccelerated,
        _ => false,
    };

    /// <inheritdoc />
    public string Name => _explicitThreads ? $"cpu:{MaxThreads}" : "cpu";

    /// <inheritdoc />
    public string DeviceName => $"managed CPU ({MaxThreads} threads, {VectorBits switch { 512 => "AVX-512", 256 => "AVX2", 128 => "128-bit SIMD", _ => "scalar" }}{(EmulatedWidth ? ", emulated" : "")})";

    /// <summary>Most threads one kernel may use.</summary>
    public int MaxThreads { get; }

    /// <inheritdoc />
    public long LiveBufferCount => Interlocked.Read(ref _live);

    /// <inheritdoc />
    public IDeviceBuffer Allocate(DType dtype, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > Array.MaxLength)
            throw new NotSupportedException($"The cpu backend holds at most {Array.MaxLength} elements per buffer; requested {length}.");
        float[]? floats = null;
        int[]? ints = null;
        lock (_poolLock)
        {
            if (dtype == DType.Float32)
                floats = _floatPool.TryGetValue(length, out var s) && s.Count > 0 ? s.Pop() : null;
            else if (dtype == DType.Int32)
                ints = _intPool.TryGetValue(length, out var s) && s.Count > 0 ? s.Pop() : null;
            else
                throw new NotSupportedException($"Device buffers hold float32 or int32; requested {dtype.KerasName()}.");
        }
        if (dtype == DType.Float32) floats ??= GC.AllocateUninitializedArray<float>((int)length);
        else ints ??= GC.AllocateUninitializedArray<int>((int)length);
        Interlocked.Increment(ref _live);
        return new CpuBuffer(this, dtype, length, floats, ints);
    }

    /// <summary>
    /// A buffer over a host array in place, for data a training loop only gathers from (its dataset): the CPU
    /// backend's "upload" of a float32 or int32 <see cref="NDArray"/> costs no copy. A view that starts inside its
    /// array (a validation split) gives a buffer with an <see cref="CpuBuffer.Offset"/>, which only span-based kernels
    /// such as <see cref="GatherRows"/> accept. Returns null when the array cannot be read in place (another dtype).
    /// </summary>
    internal IDeviceBuffer? TryBorrow(NDArray array, DType dtype)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (array.DType != dtype || array.Offset > int.MaxValue) return null;
        int offset = (int)array.Offset;
        IDeviceBuffer? buffer = array.Buffer switch
        {
            float[] floats when dtype == DType.Float32 => new CpuBuffer(this, dtype, array.Size, floats, null, borrowed: true, offset),
            int[] ints when dtype == DType.Int32 => new CpuBuffer(this, dtype, array.Size, null, ints, borrowed: true, offset),
            _ => null,
        };
        if (buffer is not null) Interlocked.Increment(ref _live);
        return buffer;
    }

    internal void Return(CpuBuffer buffer, float[]? floats, int[]? ints)
    {
        Interlocked.Decrement(ref _live);
        if (_disposed || buffer.Borrowed) return;
        lock (_poolLock)
        {
            if (floats is not null) Rent(_floatPool, buffer.Length).Push(floats);
            if (ints is not null) Rent(_intPool, buffer.Length).Push(ints);
        }
    }

    private static Stack<T> Rent<T>(Dictionary<long, Stack<T>> pool, long length)
    {
        if (!pool.TryGetValue(length, out var stack)) pool[length] = stack = new Stack<T>();
        return stack;
    }

    /// <inheritdoc />
    public void Upload<T>(ReadOnlySpan<T> source, IDeviceBuffer destination, long destinationOffset = 0) where T : unmanaged
    {
        var d = Cpu(destination);
        CheckRange(destinationOffset, source.Length, d.Length, nameof(destination));
        if (typeof(T) == typeof(float)) System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(source).CopyTo(d.Floats[(int)destinationOffset..]);
        else if (typeof(T) == typeof(int)) System.Runtime.InteropServices.MemoryMarshal.Cast<T, int>(source).CopyTo(d.Ints[(int)destinationOffset..]);
        else throw new NotSupportedException($"Upload of {typeof(T).Name}: device buffers hold float32 or int32.");
    }

    /// <inheritdoc />
    public void Download<T>(IDeviceBuffer source, Span<T> destination, long sourceOffset = 0) where T : unmanaged
    {
        var s = Cpu(source);
        CheckRange(sourceOffset, destination.Length, s.Length, nameof(source));
        if (typeof(T) == typeof(float)) s.Floats.Slice((int)sourceOffset, destination.Length).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination));
        else if (typeof(T) == typeof(int)) s.Ints.Slice((int)sourceOffset, destination.Length).CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<T, int>(destination));
        else throw new NotSupportedException($"Download of {typeof(T).Name}: device buffers hold float32 or int32.");
    }

    /// <inheritdoc />
    public void Synchronize() { }

    /// <inheritdoc />
    public void Fill(IDeviceBuffer y, float value) => Cpu(y).Floats.Fill(value);

    /// <inheritdoc />
    public void Copy(IDeviceBuffer x, long xOffset, IDeviceBuffer y, long yOffset, long count)
    {
        CpuBuffer cx = Cpu(x), cy = Cpu(y);
        CheckRange(xOffset, count, cx.Length, nameof(x));
        CheckRange(yOffset, count, cy.Length, nameof(y));
        if (cx.DType == DType.Float32) cx.Floats.Slice((int)xOffset, (int)count).CopyTo(cy.Floats[(int)yOffset..]);
        else cx.Ints.Slice((int)xOffset, (int)count).CopyTo(cy.Ints[(int)yOffset..]);
    }

    /// <inheritdoc />
    public void GatherRows(IDeviceBuffer x, int rowLength, IDeviceBuffer indices, long indexOffset, int count, IDeviceBuffer y)
    {
        CpuBuffer cx = Cpu(x), cy = Cpu(y);
        var idx = Cpu(indices).Ints.Slice((int)indexOffset, count);
        long rows = rowLength == 0 ? 0 : cx.Length / rowLength;
        for (int p = 0; p < count; p++) // every index first, so a bad one leaves y untouched
            if ((uint)idx[p] >= rows) throw new IndexOutOfRangeException($"Gather index {idx[p]} at position {p} is outside [0, {rows}).");
        CheckRange(0, (long)count * rowLength, cy.Length, nameof(y));
        // Both dtypes are 4-byte elements: the gather moves bits.
        Span<float> source = cx.DType == DType.Float32 ? cx.Floats : MemoryMarshal.Cast<int, float>(cx.Ints);
        Span<float> destination = cy.DType == DType.Float32 ? cy.Floats : MemoryMarshal.Cast<int, float>(cy.Ints);
        if (count > 0 && idx[count - 1] - idx[0] == count - 1 && IsRun(idx))
        {
            // An unshuffled pass (validation, predict): one block copy.
            source.Slice(idx[0] * rowLength, count * rowLength).CopyTo(destination);
            return;
        }
        // Shuffled rows are scattered over a large array, so each row starts with a cache miss: copying four rows in
        // step keeps four streams of misses in flight instead of one (about twice as fast as row-by-row copies on the
        // MNIST training set here).
        int i = VectorBits switch
        {
            512 => GatherFourRows<Simd512, Vector512<float>>(source, rowLength, idx, destination),
            256 => GatherFourRows<Simd256, Vector256<float>>(source, rowLength, idx, destination),
            128 => GatherFourRows<Simd128, Vector128<float>>(source, rowLength, idx, destination),
            _ => 0,
        };
        for (; i < count; i++) source.Slice(idx[i] * rowLength, rowLength).CopyTo(destination[(i * rowLength)..]);
    }

    /// <summary>Copies rows <c>idx[0..4q)</c> of <paramref name="source"/> four at a time and returns 4q. The indices
    /// and the destination's size were checked by the caller.</summary>
    private static int GatherFourRows<S, V>(Span<float> source, int rowLength, ReadOnlySpan<int> idx, Span<float> destination)
        where S : ISimd<V> where V : struct
    {
        if (rowLength < S.Count) return 0;
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int vectorEnd = rowLength - rowLength % S.Count, i = 0;
        for (; i + 4 <= idx.Length; i += 4)
        {
            ref float a = ref Unsafe.Add(ref src, idx[i] * rowLength);
            ref float b = ref Unsafe.Add(ref src, idx[i + 1] * rowLength);
            ref float c = ref Unsafe.Add(ref src, idx[i + 2] * rowLength);
            ref float d = ref Unsafe.Add(ref src, idx[i + 3] * rowLength);
            ref float to = ref Unsafe.Add(ref dst, i * rowLength);
            for (int o = 0; o < vectorEnd; o += S.Count)
            {
                V va = S.Load(ref a, (nuint)o), vb = S.Load(ref b, (nuint)o), vc = S.Load(ref c, (nuint)o), vd = S.Load(ref d, (nuint)o);
                S.Store(va, ref to, (nuint)o);
                S.Store(vb, ref to, (nuint)(rowLength + o));
                S.Store(vc, ref to, (nuint)(2 * rowLength + o));
                S.Store(vd, ref to, (nuint)(3 * rowLength + o));
            }
            for (int o = vectorEnd; o < rowLength; o++)
            {
                Unsafe.Add(ref to, o) = Unsafe.Add(ref a, o);
                Unsafe.Add(ref to, rowLength + o) = Unsafe.Add(ref b, o);
                Unsafe.Add(ref to, 2 * rowLength + o) = Unsafe.Add(ref c, o);
                Unsafe.Add(ref to, 3 * rowLength + o) = Unsafe.Add(ref d, o);
            }
        }
        return i;
    }

    private static bool IsRun(ReadOnlySpan<int> idx)
    {
        for (int i = 1; i < idx.Length; i++)
            if (idx[i] != idx[0] + i) return false;
        return true;
    }

    /// <inheritdoc />
    public void RandomUniform(IDeviceBuffer y, ulong key, ulong offset, float low, float high)
    {
        var dst = Cpu(y).Floats;
        for (int i = 0; i < dst.Length; i += 4)
        {
            var (x0, x1, x2, x3) = Philox.Block(key, offset + (ulong)(i / 4));
            dst[i] = Philox.Uniform(x0, low, high);
            if (i + 1 < dst.Length) dst[i + 1] = Philox.Uniform(x1, low, high);
            if (i + 2 < dst.Length) dst[i + 2] = Philox.Uniform(x2, low, high);
            if (i + 3 < dst.Length) dst[i + 3] = Philox.Uniform(x3, low, high);
        }
    }

    /// <summary>Releases the buffer pool and stops the worker threads; buffers still alive stay valid managed arrays but are no longer pooled.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_poolLock) { _floatPool.Clear(); _intPool.Clear(); }
        _workers.Dispose();
        _scratch.Clear();
    }

    private CpuBuffer Cpu(IDeviceBuffer buffer)
    {
        LaunchGuard.NoteLaunch();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer is not CpuBuffer c || !ReferenceEquals(c.Backend, this))
            throw new ArgumentException($"The buffer belongs to backend '{buffer.Backend.Name}', not to this cpu backend.", nameof(buffer));
        ObjectDisposedException.ThrowIf(c.IsDisposed, c);
        return c;
    }

    private static void CheckRange(long offset, long count, long length, string name)
    {
        if (offset < 0 || count < 0 || offset + count > length)
            throw new ArgumentOutOfRangeException(name, $"Range [{offset}, {offset + count}) is outside a buffer of {length} elements.");
    }

    /// <summary>Runs <paramref name="body"/> over <c>[0, count)</c> in contiguous chunks, in parallel only when
    /// <paramref name="work"/> (roughly the flops or bytes touched) gives each thread at least
    /// <paramref name="workPerThread"/> units. Allocation-free: the body is a struct and the threads are the backend's
    /// persistent workers. Element-wise kernels pass <paramref name="align"/> = <see cref="ElementAlign"/>.</summary>
    private void ForChunks<TBody>(int count, double work, ref TBody body, double workPerThread = ParallelWorkThreshold, int align = 1)
        where TBody : struct, IChunkBody
    {
        int threads = (int)Math.Min(MaxThreads, Math.Min(count, work / workPerThread));
        if (threads <= 1) body.Run(0, count);
        else _workers.Run(count, threads * ChunksPerThread, threads, ref body, align);
    }

    /// <summary>Chunk boundaries of element-wise kernels: a cache line of floats (no two threads write one line) and a
    /// whole number of vectors (a vectorised body computes every element on one thread exactly as on several).</summary>
    private const int ElementAlign = 16;

    /// <summary>Chunks per thread of a parallel launch: a few, so that when a worker starts late (woken from sleep, or
    /// preempted) the others take over its share instead of waiting for it.</summary>
    private const int ChunksPerThread = 4;

    /// <summary>Work units per extra thread for streaming kernels: below this, a thread's start-up costs more than it saves.</summary>
    private const double ParallelWorkThreshold = 1 << 18;

    /// <summary>
    /// Flops per thread before a GEMM is split (~25 µs of single-threaded work), so the 784-64-10 MLP's 64x784x64
    /// products run on two threads. Measured on a 2-core Zen 3 (2026-12-02, epochprobe-style loop, three alternating
    /// runs): a 784-64-10 epoch on two threads took 0.166-0.175 s (median) at 2^21 and 0.195-0.200 s at 2^23, where
    /// one thread takes ~0.19 s. (An earlier worker pool on an AVX-512 machine had measured the opposite.)
    /// </summary>
    private const double GemmFlopsPerThread = 1 << 21;
}
