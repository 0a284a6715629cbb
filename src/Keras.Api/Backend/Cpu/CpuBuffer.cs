namespace KerasGpu.Backend.Cpu;

/// <summary>A CPU "device" buffer: a managed array rented from the backend's pool (float32 or int32), or a host
/// array borrowed in place (<see cref="Borrowed"/>, possibly from an <see cref="Offset"/> into it), which is never
/// pooled.</summary>
internal sealed class CpuBuffer : IDeviceBuffer
{
    private readonly CpuBackend _backend;
    private float[]? _floats;
    private int[]? _ints;

    internal CpuBuffer(CpuBackend backend, DType dtype, long length, float[]? floats, int[]? ints, bool borrowed = false, int offset = 0)
    {
        _backend = backend;
        Borrowed = borrowed;
        Offset = offset;
        DType = dtype;
        Length = length;
        _floats = floats;
        _ints = ints;
    }

    public IBackend Backend => _backend;

    /// <summary>True when the array belongs to the caller (a host array read in place), not to the pool.</summary>
    public bool Borrowed { get; }

    /// <summary>Where the elements start in the array: 0, except for a borrowed view into a host array, which only the
    /// span-based kernels (<see cref="Floats"/>, <see cref="Ints"/>) read; <see cref="FloatArray"/> refuses it.</summary>
    public int Offset { get; }
    public DType DType { get; }
    public long Length { get; }
    public bool IsDisposed => _floats is null && _ints is null;

    /// <summary>The float32 contents (exactly <see cref="Length"/> elements).</summary>
    public Span<float> Floats => (_floats ?? throw Unusable(DType.Float32)).AsSpan(Offset, (int)Length);

    /// <summary>The int32 contents (exactly <see cref="Length"/> elements).</summary>
    public Span<int> Ints => (_ints ?? throw Unusable(DType.Int32)).AsSpan(Offset, (int)Length);

    /// <summary>The whole array, for kernels that index it from 0.</summary>
    internal float[] FloatArray => Offset == 0 ? _floats ?? throw Unusable(DType.Float32)
        : throw new InvalidOperationException("This buffer views part of a host array; only gathers and copies may read it.");

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
