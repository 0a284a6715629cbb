namespace KerasGpu.Backend.Cpu;

/// <summary>A CPU "device" buffer: a managed array rented from the backend's pool (float32 or int32), or a host
/// array borrowed in place (<see cref="Borrowed"/>), which is never pooled.</summary>
internal sealed class CpuBuffer : IDeviceBuffer
{
    private readonly CpuBackend _backend;
    private float[]? _floats;
    private int[]? _ints;

    internal CpuBuffer(CpuBackend backend, DType dtype, long length, float[]? floats, int[]? ints, bool borrowed = false)
    {
        _backend = backend;
        Borrowed = borrowed;
        DType = dtype;
        Length = length;
        _floats = floats;
        _ints = ints;
    }

    public IBackend Backend => _backend;

    /// <summary>True when the array belongs to the caller (a host array read in place), not to the pool.</summary>
    public bool Borrowed { get; }
    public DType DType { get; }
    public long Length { get; }
    public bool IsDisposed => _floats is null && _ints is null;

    /// <summary>The float32 contents (exactly <see cref="Length"/> elements).</summary>
    public Span<float> Floats => (_floats ?? throw Unusable(DType.Float32)).AsSpan(0, (int)Length);

    /// <summary>The int32 contents (exactly <see cref="Length"/> elements).</summary>
    public Span<int> Ints => (_ints ?? throw Unusable(DType.Int32)).AsSpan(0, (int)Length);

    internal float[] FloatArray => _floats ?? throw Unusable(DType.Float32);

    private Exception Unusable(DType wanted) => IsDisposed
        ? new ObjectDisposedException(nameof(CpuBuffer), "The device buffer was disposed.")
        : new InvalidOperationException($"Expected a {wanted.KerasName()} buffer, received {DType.KerasName()}.");

    public void Dispose()
    {
        if (IsDisposed) return;
        _backend.Return(this, _floats, _ints);
        _floats = null;
        _ints = null;
    }
}
