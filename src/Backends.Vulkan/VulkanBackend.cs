using System.Runtime.InteropServices;
using KerasGpu.Backend;
using KerasGpu.Backends.Vulkan.Interop;

[assembly: BackendProvider("vulkan", typeof(KerasGpu.Backends.Vulkan.VulkanBackendFactory))]

namespace KerasGpu.Backends.Vulkan;

/// <summary>Options of a <see cref="VulkanBackend"/>.</summary>
public sealed record VulkanBackendOptions
{
    /// <summary>The device index (<c>vulkan:N</c>); null picks the best device (discrete, integrated, virtual, CPU).</summary>
    public int? DeviceIndex { get; init; }

    /// <summary>Enables VK_LAYER_KHRONOS_validation and records its messages in <see cref="VulkanBackend.ValidationMessages"/>.
    /// Defaults to the environment variable <c>KERAS_VULKAN_VALIDATION=1</c>.</summary>
    public bool Validation { get; init; } = Environment.GetEnvironmentVariable("KERAS_VULKAN_VALIDATION") == "1";

    /// <summary>Caps the bytes one storage-buffer binding spans below the device's maxStorageBufferRange (tests of the
    /// windowed paths use a small cap); null uses the device limit.</summary>
    public ulong? MaxBindingBytes { get; init; }

    /// <summary>The folder of the persisted VkPipelineCache; null uses <c>$KERAS_HOME/cache/vulkan</c> (or
    /// <c>~/.keras/cache/vulkan</c>). The cache is written atomically (a temporary file, then a rename) at disposal.</summary>
    public string? PipelineCacheDirectory { get; init; }
}

/// <summary>
/// The Vulkan backend: GLSL compute shaders (shaders/*.comp, embedded as SPIR-V) run through Silk.NET.Vulkan. Kernel
/// launches are recorded into a command buffer and submitted at <see cref="Download{T}"/>, <see cref="Synchronize"/>
/// or when a batch is full, so a training step, which reads nothing back, is one submission.
/// </summary>
public sealed partial class VulkanBackend : IBackend, IDeviceTimer
{
    private const uint ElementwiseGroup = 256, RowGroup = 64;
    private readonly VulkanDevice _device;
    private readonly Allocation _dummy;
    private readonly HashSet<VulkanBuffer> _live = [];
    private readonly Lock _lock = new();
    private readonly ulong _maxBinding;
    private readonly (uint Side, uint Reg) _matMulTile;
    private bool _disposed;

    /// <summary>Creates a backend on the best device, or on the one <paramref name="options"/> names.</summary>
    /// <exception cref="VulkanUnavailableException">No Vulkan loader or driver (the message names the Debian packages).</exception>
    public VulkanBackend(VulkanBackendOptions? options = null)
    {
        options ??= new VulkanBackendOptions();
        _device = VulkanDevice.Create(options.DeviceIndex, options.Validation, options.PipelineCacheDirectory);
        var info = _device.Info;
        Name = $"vulkan:{info.Index}";
        PhysicalDeviceName = info.Name;
        DriverName = info.Driver;
        SubgroupSize = info.SubgroupSize;
        DeviceType = info.Type.ToString();
        DeviceName = $"{info.Name} ({DeviceType}; driver {info.Driver}; subgroup size {info.SubgroupSize})";
        _maxBinding = Math.Min(_device.MaxStorageBufferRange, options.MaxBindingBytes ?? ulong.MaxValue) / 4 * 4;
        _dummy = _device.Allocate(256, staging: false);
        // GPUs: 16×16 workgroups, 4×4 per invocation (64×64 tiles). CPU implementations (lavapipe) run a workgroup on one
        // core with a context switch per barrier: 4×4 workgroups holding 8×8 each (32×32 tiles) were 2-3x faster there.
        _matMulTile = info.Type == Silk.NET.Vulkan.PhysicalDeviceType.Cpu ? (4u, 8u) : (16u, 4u);
    }

    /// <summary>Lists the Vulkan physical devices as <c>vulkan:N = name (type)</c>.</summary>
    public static IReadOnlyList<string> ListDevices() =>
        VulkanDevice.ListDevices().Select(d => $"vulkan:{d.Index} = {d.Name} ({d.Type}, {d.Driver})").ToList();

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string DeviceName { get; }

    /// <summary>The physical device's name, e.g. <c>llvmpipe (LLVM 15.0.6, 256 bits)</c>.</summary>
    public string PhysicalDeviceName { get; }

    /// <summary>The driver's name and version information.</summary>
    public string DriverName { get; }

    /// <summary>The device's default subgroup size (8 on lavapipe, 32 on NVIDIA, 32 or 64 on AMD).</summary>
    public uint SubgroupSize { get; }

    /// <summary>The Vulkan physical-device type (DiscreteGpu, IntegratedGpu, VirtualGpu, Cpu, Other).</summary>
    public string DeviceType { get; }

    /// <summary>Validation-layer messages recorded so far (empty unless <see cref="VulkanBackendOptions.Validation"/>).</summary>
    public IReadOnlyList<string> ValidationMessages => [.. _device.Messages];

    /// <summary>The file the pipeline cache is read from and saved to (null when there is no home folder).</summary>
    public string? PipelineCachePath => _device.PipelineCacheFile;

    /// <summary>Whether the validation layer is enabled.</summary>
    public bool ValidationEnabled => _device.ValidationEnabled;

    /// <summary>VkBuffer handles alive in this process, pooled ones included (leak checks).</summary>
    public static int LiveVkBufferCount => VulkanDevice.LiveVkBuffers;

    /// <summary>VkDeviceMemory handles alive in this process, pooled ones included (leak checks).</summary>
    public static int LiveVkMemoryCount => VulkanDevice.LiveVkMemories;

    /// <inheritdoc />
    public long LiveBufferCount
    {
        get { lock (_lock) return _live.Count; }
    }

    /// <summary>
    /// Device time of the kernels <paramref name="launches"/> launches, from timestamp queries written before and after
    /// them (the kernel benchmarks use it); waits for earlier work first and for these kernels at the end. Null when the
    /// device's compute queue has no timestamps.
    /// </summary>
    public TimeSpan? MeasureDeviceTime(Action launches)
    {
        ArgumentNullException.ThrowIfNull(launches);
        double? ms;
        lock (_lock) ms = _device.MeasureDeviceMilliseconds(launches);
        return ms is { } m ? TimeSpan.FromMilliseconds(m) : null;
    }

    /// <summary>Command-buffer submissions so far: kernels are recorded and submitted only at a sync point or a full batch.</summary>
    internal long SubmissionCount
    {
        get { lock (_lock) return _device.Submissions; }
    }

    /// <summary>vkAllocateMemory calls so far: after the first steps, the pool serves every allocation.</summary>
    internal long MemoryAllocationCount
    {
        get { lock (_lock) return _device.MemoryAllocations; }
    }

    /// <summary>Waits for the device and frees the memory pooled for reuse.</summary>
    public void TrimPool()
    {
        lock (_lock) _device.Trim();
    }

    // ---- memory ---------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public IDeviceBuffer Allocate(DType dtype, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (dtype is not (DType.Float32 or DType.Int32))
            throw new NotSupportedException($"Device buffers hold float32 or int32; requested {dtype.KerasName()}.");
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var buffer = new VulkanBuffer(this, dtype, length, _device.Allocate((ulong)length * 4, staging: false));
            _live.Add(buffer);
            return buffer;
        }
    }

    internal void Return(VulkanBuffer buffer)
    {
        lock (_lock)
        {
            if (!_live.Remove(buffer) || _disposed) return;
            _device.Release(buffer.Allocation);
        }
    }

    /// <inheritdoc />
    public void Upload<T>(ReadOnlySpan<T> source, IDeviceBuffer destination, long destinationOffset = 0) where T : unmanaged
    {
        var d = Vk(destination);
        CheckElement<T>();
        CheckRange(destinationOffset, source.Length, d.Length, nameof(destination));
        lock (_lock) _device.Upload(MemoryMarshal.AsBytes(source), d.Allocation, (ulong)destinationOffset * 4);
    }

    /// <inheritdoc />
    public void Download<T>(IDeviceBuffer source, Span<T> destination, long sourceOffset = 0) where T : unmanaged
    {
        var s = Vk(source);
        CheckElement<T>();
        CheckRange(sourceOffset, destination.Length, s.Length, nameof(source));
        lock (_lock) _device.Download(s.Allocation, (ulong)sourceOffset * 4, MemoryMarshal.AsBytes(destination));
    }

    /// <inheritdoc />
    public void Synchronize()
    {
        lock (_lock) _device.Synchronize();
    }

    private static void CheckElement<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(int))
            throw new NotSupportedException($"Transfers of {typeof(T).Name}: device buffers hold float32 or int32.");
    }

    private static void CheckRange(long offset, long count, long length, string name)
    {
        if (offset < 0 || count < 0 || offset + count > length)
            throw new ArgumentOutOfRangeException(name, $"Range [{offset}, {offset + count}) is outside a buffer of {length} elements.");
    }

    private VulkanBuffer Vk(IDeviceBuffer buffer)
    {
        LaunchGuard.NoteLaunch();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer is not VulkanBuffer v || !ReferenceEquals(v.Backend, this))
            throw new ArgumentException($"The buffer belongs to backend '{buffer.Backend.Name}', not to this {Name} backend.", nameof(buffer));
        ObjectDisposedException.ThrowIf(v.IsDisposed, v);
        return v;
    }

    // ---- bindings and dispatch --------------------------------------------------------------------------------------

    /// <summary>The whole buffer as one binding; kernels that index a buffer freely need it to fit one binding.</summary>
    private Binding Whole(IDeviceBuffer? buffer, string kernel)
    {
        if (buffer is null) return new Binding(_dummy, 0, _dummy.Size);
        var v = Vk(buffer);
        ulong bytes = (ulong)v.Length * 4;
        if (bytes > _maxBinding)
            throw new NotSupportedException($"{kernel} on {Name}: a {bytes}-byte buffer exceeds the {_maxBinding}-byte storage-buffer " +
                "binding limit (maxStorageBufferRange) and this operand is not split into windows (MatMul's bias, the accuracy accumulator).");
        return new Binding(v.Allocation, 0, Math.Min(v.Allocation.Size, _maxBinding));
    }

    /// <summary>
    /// A window of <paramref name="buffer"/> starting at the element <paramref name="first"/>, aligned down to the device's
    /// storage offset alignment; returns the binding and the element offset of <paramref name="first"/> inside it.
    /// </summary>
    private (Binding Binding, uint Base) Window(IDeviceBuffer buffer, long first)
    {
        var v = Vk(buffer);
        ulong align = _device.StorageOffsetAlignment;
        ulong start = (ulong)first * 4 / align * align;
        ulong range = Math.Min(_maxBinding, v.Allocation.Size - start);
        return (new Binding(v.Allocation, start, range), (uint)(((ulong)first * 4 - start) / 4));
    }

    /// <summary>Elements one binding holds (the device's maxStorageBufferRange, or the test seam's smaller limit).</summary>
    private long BindingElements => (long)(_maxBinding / 4);

    /// <summary>The storage offset alignment in elements: windows that start at a multiple of it need no base offset.</summary>
    internal long AlignElements => (long)Math.Max(1, _device.StorageOffsetAlignment / 4);

    /// <summary>A binding that starts exactly at the element <paramref name="first"/> (an aligned offset; null binds the
    /// dummy buffer); the shader indexes it from zero.</summary>
    private Binding At(IDeviceBuffer? buffer, long first)
    {
        if (buffer is null) return new Binding(_dummy, 0, _dummy.Size);
        var (binding, elementBase) = Window(buffer, first);
        if (elementBase != 0) throw new InvalidOperationException($"Window at element {first} is not aligned (internal error).");
        return binding;
    }

    /// <summary>
    /// How many leading-dimension slices (rows) of <paramref name="remaining"/> the next dispatch handles: all of them when
    /// every buffer's part fits one binding, else the most that fit, rounded down to a multiple of the offset alignment so
    /// that every later window starts aligned. <paramref name="extents"/> gives, for a count of rows, the elements each
    /// buffer's window spans. Throws when not even one alignment's worth of rows fits.
    /// </summary>
    private long RowsPerWindow(string kernel, long remaining, Func<long, long>[] extents)
    {
        long limit = BindingElements;
        bool Fits(long rows) => extents.All(e => e(rows) <= limit);
        if (Fits(remaining)) return remaining;
        long align = AlignElements, lo = 0, hi = remaining / align; // count of alignment groups
        while (lo < hi)
        {
            long mid = lo + (hi - lo + 1) / 2;
            if (Fits(mid * align)) lo = mid; else hi = mid - 1;
        }
        if (lo == 0)
            throw new NotSupportedException($"{kernel} on {Name}: {align} rows (the storage offset alignment) of one operand exceed " +
                $"one {_maxBinding}-byte storage-buffer binding (maxStorageBufferRange); the work cannot be split into windows.");
        return lo * align;
    }

    /// <summary>Elements one windowed dispatch handles: fits a window after the alignment slack, a multiple of 4 and of
    /// the alignment (so chunk starts need no base offset).</summary>
    private long ChunkElements
    {
        get
        {
            long alignElements = (long)Math.Max(4, _device.StorageOffsetAlignment / 4);
            long chunk = (long)(_maxBinding / 4) - alignElements;
            return Math.Max(alignElements, chunk / alignElements * alignElements);
        }
    }

    private uint Groups(long work, uint groupSize) => (uint)Math.Clamp((work + groupSize - 1) / groupSize, 1, _device.MaxGroupCount);

    private void Dispatch(string shader, ReadOnlySpan<uint> constants, ReadOnlySpan<Binding> bindings, ReadOnlySpan<uint> push, uint groups)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.Dispatch(shader, constants, bindings, push, groups);
        }
    }

    private uint Sub => _device.SubgroupArithmetic ? 1u : 0u;

    private static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    private static uint B(bool value) => value ? 1u : 0u;

    // ---- life cycle --------------------------------------------------------------------------------------------------

    /// <summary>Waits for the device, returns every buffer's memory and destroys all Vulkan objects.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            var outstanding = _live.Select(b => b.Allocation).Append(_dummy).ToList();
            _live.Clear();
            _device.ReleaseAll(outstanding);
            _disposed = true;
            _device.Dispose();
        }
    }
}

/// <summary>A tensor's storage on a Vulkan device: a pooled block of device memory.</summary>
internal sealed class VulkanBuffer(VulkanBackend backend, DType dtype, long length, Allocation allocation) : IDeviceBuffer
{
    private bool _disposed;

    public IBackend Backend => backend;
    public DType DType { get; } = dtype;
    public long Length { get; } = length;
    public bool IsDisposed => _disposed;
    internal Allocation Allocation { get; } = allocation;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        backend.Return(this);
    }
}

/// <summary>Creates Vulkan backends for <c>vulkan</c> (the best device) and <c>vulkan:N</c>.</summary>
public sealed class VulkanBackendFactory : IBackendFactory
{
    /// <inheritdoc />
    public IBackend Create(string? selector)
    {
        if (string.IsNullOrEmpty(selector)) return new VulkanBackend();
        if (!int.TryParse(selector, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            throw new ArgumentException($"The vulkan backend takes a device index (vulkan:N); received \"vulkan:{selector}\". Devices: " +
                string.Join("; ", VulkanBackend.ListDevices()) + ".");
        return new VulkanBackend(new VulkanBackendOptions { DeviceIndex = index });
    }
}
