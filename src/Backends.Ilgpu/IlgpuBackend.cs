using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using KerasGpu.Backend;

namespace KerasGpu.Backends.Ilgpu;

/// <summary>Which MatMul kernel an <see cref="IlgpuBackend"/> launches.</summary>
public enum IlgpuMatMulKernel
{
    /// <summary>The device's best: <see cref="Tiled"/> on GPUs, <see cref="Blocked"/> on the CPU accelerator.</summary>
    Auto,
    /// <summary>One output per thread iteration: the readable reference.</summary>
    Naive,
    /// <summary>4×4 register blocking without shared memory (fast on the CPU accelerator, whose barriers are OS barriers).</summary>
    Blocked,
    /// <summary>Shared-memory panels with 4×4 register blocking per thread (the GPU kernel).</summary>
    Tiled,
}

/// <summary>
/// The ILGPU backend: every kernel of the contract as an ILGPU kernel on one accelerator (CUDA, OpenCL 2.0+ or ILGPU's
/// CPU accelerator). One ILGPU context and accelerator per instance; kernels are compiled on first use and cached for the
/// instance's life; launches go to the accelerator's default stream without waiting, and only
/// <see cref="Download{T}"/> and <see cref="Synchronize"/> wait. Every kernel is a grid-stride loop over a bounded launch
/// (the device's resident thread count), which keeps the CPU accelerator usable. Buffers are pooled by length.
/// </summary>
public sealed partial class IlgpuBackend : IBackend, IDeviceTimer
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Dictionary<(DType, long), Stack<MemoryBuffer>> _pool = [];
    private readonly Lock _poolLock = new();
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _dummyFloats;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _dummyInts;
    private readonly int _maxThreads;
    private readonly int _reductionGroup;
    private long _live;
    private long _allocatedBytes;
    private bool _disposed;

    /// <summary>Creates a backend on the accelerator <paramref name="selector"/> names.</summary>
    /// <param name="selector"><c>null</c> for the best accelerator (CUDA, then OpenCL, then CPU); otherwise <c>cuda</c>,
    /// <c>opencl</c> or <c>cpu</c>, optionally followed by <c>:INDEX</c> within that kind.</param>
    /// <param name="verbose">Print the chosen device on creation.</param>
    /// <exception cref="ArgumentException">No such accelerator; the message lists those found.</exception>
    public IlgpuBackend(string? selector = null, bool verbose = false) : this(selector, verbose, DefaultCpuDevice) { }

    /// <summary>Creates a backend whose CPU accelerator simulates <paramref name="cpuDevice"/> (tests use larger groups to
    /// exercise the GPU-shaped kernels).</summary>
    internal IlgpuBackend(string? selector, bool verbose, CPUDevice cpuDevice)
    {
        _context = Context.Create(builder => builder.CPU(cpuDevice).Cuda().OpenCL().EnableAlgorithms().Profiling());
        try
        {
            var (device, name) = Select(_context, selector);
            _accelerator = device.CreateAccelerator(_context);
            Name = name;
        }
        catch
        {
            _context.Dispose();
            throw;
        }
        IsCpu = _accelerator.AcceleratorType == AcceleratorType.CPU;
        _maxThreads = Math.Max(1, _accelerator.NumMultiprocessors * _accelerator.MaxNumThreadsPerMultiprocessor);
        _reductionGroup = LargestPowerOfTwo(Math.Min(256, _accelerator.MaxNumThreadsPerGroup));
        TiledThreadsPerDim = Math.Min(16, LargestPowerOfTwo((int)Math.Sqrt(_accelerator.MaxNumThreadsPerGroup)));
        _dummyFloats = _accelerator.Allocate1D<float>(1);
        _dummyInts = _accelerator.Allocate1D<int>(1);
        if (verbose) Console.Error.WriteLine($"KerasGpu: backend {Name} on {DeviceName} ({_accelerator.NumMultiprocessors} multiprocessors, warp {_accelerator.WarpSize}, {_accelerator.MemorySize / (1 << 20)} MiB)");
    }

    /// <summary>
    /// The simulated CPU device: one OS thread per core (warps of 2 threads, one warp per multiprocessor, a multiprocessor
    /// per two cores). ILGPU's default (one multiprocessor of 16 threads) oversubscribes small machines: on 2 cores the
    /// MNIST example trains ~1.4x slower with it. Groups are small, so the GPU-shaped kernels (tiles, group reductions)
    /// are only chosen on GPUs.
    /// </summary>
    internal static CPUDevice DefaultCpuDevice => new(2, 1, Math.Max(1, Environment.ProcessorCount / 2));

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string DeviceName => IsCpu
        ? $"ILGPU CPU accelerator ({_maxThreads} threads on {Environment.ProcessorCount} cores)"
        : _accelerator.Name;

    /// <summary>True on ILGPU's CPU accelerator.</summary>
    public bool IsCpu { get; }

    /// <summary>The MatMul kernel to launch (<see cref="IlgpuMatMulKernel.Auto"/> picks per device); settable so a
    /// benchmark or test can time or check each one.</summary>
    public IlgpuMatMulKernel MatMulKernel { get; set; }

    /// <summary>Threads per dimension of the tiled MatMul's group (a power of two ≤ 16); its tile of Y is four times that.</summary>
    public int TiledThreadsPerDim
    {
        get;
        set => field = value is >= 1 and <= 16 && (value & (value - 1)) == 0 && value * value <= _accelerator.MaxNumThreadsPerGroup
            ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Expected a power of two ≤ 16 whose square fits a group.");
    }

    /// <summary>Forces (true) or forbids (false) the group-per-output reduction; null chooses by shape and device.</summary>
    internal bool? GroupedReduce { get; set; }

    /// <inheritdoc />
    public long LiveBufferCount => Interlocked.Read(ref _live);

    private static int LargestPowerOfTwo(int n)
    {
        int p = 1;
        while (p * 2 <= n) p *= 2;
        return p;
    }

    private static List<Device> List<TDevice>(Context.DeviceCollection<TDevice> devices) where TDevice : Device
    {
        var list = new List<Device>();
        foreach (var device in devices) list.Add(device);
        return list;
    }

    private static (Device Device, string Name) Select(Context context, string? selector)
    {
        var kinds = new (string Kind, IReadOnlyList<Device> Devices)[]
        {
            ("cuda", List(context.GetDevices<CudaDevice>())),
            ("opencl", List(context.GetDevices<CLDevice>())),
            ("cpu", List(context.GetDevices<CPUDevice>())),
        };
        string Found() => string.Join("; ", kinds.Select(k => k.Devices.Count == 0 ? $"{k.Kind}: none"
            : $"{k.Kind}: " + string.Join(", ", k.Devices.Select((d, i) => $"[{i}] {d.Name}"))));
        if (string.IsNullOrWhiteSpace(selector))
        {
            foreach (var (kind, devices) in kinds)
                if (devices.Count > 0) return (devices[0], $"ilgpu:{kind}");
            throw new ArgumentException($"ILGPU found no accelerator. {Found()}.");
        }
        string[] parts = selector.Trim().ToLowerInvariant().Split(':');
        int index = 0;
        if (parts.Length > 2 || (parts.Length == 2 && (!int.TryParse(parts[1], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out index))))
            throw new ArgumentException($"Invalid ILGPU device selector \"ilgpu:{selector}\"; expected ilgpu, ilgpu:cuda, ilgpu:opencl, ilgpu:cpu or ilgpu:KIND:INDEX.");
        var match = kinds.FirstOrDefault(k => k.Kind == parts[0]);
        if (match.Kind is null)
            throw new ArgumentException($"Unknown ILGPU device kind \"{parts[0]}\" in \"ilgpu:{selector}\"; expected cuda, opencl or cpu. Found: {Found()}.");
        if (index >= match.Devices.Count)
            throw new ArgumentException($"No ILGPU {match.Kind} device {index} for \"ilgpu:{selector}\". Found: {Found()}.");
        return (match.Devices[index], index == 0 ? $"ilgpu:{match.Kind}" : $"ilgpu:{match.Kind}:{index}");
    }

    // ---- memory ----------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public IDeviceBuffer Allocate(DType dtype, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (dtype != DType.Float32 && dtype != DType.Int32)
            throw new NotSupportedException($"Device buffers hold float32 or int32; requested {dtype.KerasName()}.");
        MemoryBuffer? pooled = null;
        lock (_poolLock)
            if (_pool.TryGetValue((dtype, length), out var stack) && stack.Count > 0) pooled = stack.Pop();
        pooled ??= AllocateDevice(dtype, length);
        Interlocked.Increment(ref _live);
        return dtype == DType.Float32
            ? new IlgpuBuffer(this, dtype, length, (MemoryBuffer1D<float, Stride1D.Dense>)pooled, null)
            : new IlgpuBuffer(this, dtype, length, null, (MemoryBuffer1D<int, Stride1D.Dense>)pooled);
    }

    /// <summary>Allocates device memory (one element at least, so an empty buffer still has a view); on failure frees the
    /// pool and retries once, then throws an <see cref="OutOfMemoryException"/> naming the request and the free memory.</summary>
    private MemoryBuffer AllocateDevice(DType dtype, long length)
    {
        long elements = Math.Max(1, length), bytes = elements * 4;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                MemoryBuffer buffer = dtype == DType.Float32 ? _accelerator.Allocate1D<float>(elements) : _accelerator.Allocate1D<int>(elements);
                Interlocked.Add(ref _allocatedBytes, bytes);
                return buffer;
            }
            catch (Exception e) when (e is OutOfMemoryException or AcceleratorException or InvalidOperationException)
            {
                if (attempt == 0 && ReleasePool() > 0) continue;
                throw new OutOfMemoryException(
                    $"{Name}: cannot allocate {bytes:N0} bytes ({dtype.KerasName()} × {length:N0}) on {DeviceName}; " +
                    $"free device memory {FreeMemory():N0} of {_accelerator.MemorySize:N0} bytes ({LiveBufferCount} live buffers).", e);
            }
        }
    }

    private long FreeMemory()
    {
        try
        {
            if (_accelerator is CudaAccelerator cuda) return cuda.GetFreeMemory();
        }
        catch (Exception e) when (e is AcceleratorException or InvalidOperationException) { }
        return Math.Max(0, _accelerator.MemorySize - Interlocked.Read(ref _allocatedBytes));
    }

    /// <summary>Frees every pooled (not live) buffer; returns how many.</summary>
    private int ReleasePool()
    {
        List<MemoryBuffer> free;
        lock (_poolLock)
        {
            free = [.. _pool.Values.SelectMany(s => s)];
            _pool.Clear();
        }
        foreach (var buffer in free)
        {
            Interlocked.Add(ref _allocatedBytes, -buffer.LengthInBytes);
            buffer.Dispose();
        }
        return free.Count;
    }

    internal void Return(IlgpuBuffer buffer, MemoryBuffer? floats, MemoryBuffer? ints)
    {
        Interlocked.Decrement(ref _live);
        var memory = floats ?? ints;
        if (memory is null) return;
        lock (_poolLock)
        {
            // After Dispose the accelerator has freed its memory along with it.
            if (_disposed) return;
            if (!_pool.TryGetValue((buffer.DType, buffer.Length), out var stack)) _pool[(buffer.DType, buffer.Length)] = stack = new Stack<MemoryBuffer>();
            stack.Push(memory);
        }
    }

    /// <inheritdoc />
    /// <remarks>The host memory is pinned for the copy: ILGPU copies through a raw address, which a garbage collection
    /// would otherwise invalidate by moving a managed array mid-copy.</remarks>
    public unsafe void Upload<T>(ReadOnlySpan<T> source, IDeviceBuffer destination, long destinationOffset = 0) where T : unmanaged
    {
        var d = Buffer(destination);
        CheckRange(destinationOffset, source.Length, d.Length, nameof(destination));
        if (source.IsEmpty) return;
        if (typeof(T) == typeof(float))
        {
            var src = MemoryMarshal.Cast<T, float>(source);
            var view = d.Floats.SubView(destinationOffset, src.Length);
            fixed (float* p = src) view.CopyFromCPU(ref *p, src.Length);
        }
        else if (typeof(T) == typeof(int))
        {
            var src = MemoryMarshal.Cast<T, int>(source);
            var view = d.Ints.SubView(destinationOffset, src.Length);
            fixed (int* p = src) view.CopyFromCPU(ref *p, src.Length);
        }
        else throw new NotSupportedException($"Upload of {typeof(T).Name}: device buffers hold float32 or int32.");
    }

    /// <inheritdoc />
    /// <remarks>The host memory is pinned for the copy (see <see cref="Upload{T}"/>).</remarks>
    public unsafe void Download<T>(IDeviceBuffer source, Span<T> destination, long sourceOffset = 0) where T : unmanaged
    {
        var s = Buffer(source);
        CheckRange(sourceOffset, destination.Length, s.Length, nameof(source));
        _accelerator.Synchronize();
        if (destination.IsEmpty) return;
        if (typeof(T) == typeof(float))
        {
            var dst = MemoryMarshal.Cast<T, float>(destination);
            var view = s.Floats.SubView(sourceOffset, dst.Length);
            fixed (float* p = dst) view.CopyToCPU(ref *p, dst.Length);
        }
        else if (typeof(T) == typeof(int))
        {
            var dst = MemoryMarshal.Cast<T, int>(destination);
            var view = s.Ints.SubView(sourceOffset, dst.Length);
            fixed (int* p = dst) view.CopyToCPU(ref *p, dst.Length);
        }
        else throw new NotSupportedException($"Download of {typeof(T).Name}: device buffers hold float32 or int32.");
    }

    /// <summary>
    /// Device time of the kernels <paramref name="launches"/> launches, between two profiling markers on the default
    /// stream (CUDA events on CUDA); waits for earlier work first and for these kernels at the end.
    /// </summary>
    public TimeSpan? MeasureDeviceTime(Action launches)
    {
        ArgumentNullException.ThrowIfNull(launches);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _accelerator.Synchronize();
        using var start = _accelerator.DefaultStream.AddProfilingMarker();
        launches();
        using var end = _accelerator.DefaultStream.AddProfilingMarker();
        end.Synchronize();
        return end.MeasureFrom(start);
    }

    /// <inheritdoc />
    public void Synchronize()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _accelerator.Synchronize();
    }

    /// <summary>Frees the pool, the accelerator (and with it any buffer still alive) and the context. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        try { _accelerator.Synchronize(); }
        catch (Exception e) when (e is AcceleratorException or InvalidOperationException) { }
        ReleasePool();
        lock (_poolLock) _disposed = true;
        _dummyFloats.Dispose();
        _dummyInts.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }

    private IlgpuBuffer Buffer(IDeviceBuffer buffer)
    {
        LaunchGuard.NoteLaunch();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer is not IlgpuBuffer b || !ReferenceEquals(b.Backend, this))
            throw new ArgumentException($"The buffer belongs to backend '{buffer.Backend.Name}', not to this {Name} backend.", nameof(buffer));
        ObjectDisposedException.ThrowIf(b.IsDisposed, b);
        return b;
    }

    private ArrayView<float> F(IDeviceBuffer buffer) => Buffer(buffer).Floats;

    private ArrayView<int> I(IDeviceBuffer buffer) => Buffer(buffer).Ints;

    private ArrayView<float> FOrDummy(IDeviceBuffer? buffer) => buffer is null ? _dummyFloats.View : F(buffer);

    private static void CheckRange(long offset, long count, long length, string name)
    {
        if (offset < 0 || count < 0 || offset + count > length)
            throw new ArgumentOutOfRangeException(name, $"Range [{offset}, {offset + count}) is outside a buffer of {length} elements.");
    }

    /// <summary>The launch size of a grid-stride kernel over <paramref name="work"/> items: at most the device's resident
    /// thread count (e.g. 16 on the CPU accelerator, multiprocessors × 2048 on NVIDIA GPUs).</summary>
    private int Threads(long work) => (int)Math.Max(1, Math.Min(work, _maxThreads));
}
