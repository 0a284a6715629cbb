using ILGPU;
using ILGPU.Runtime;
using KerasGpu.Backend;

namespace KerasGpu.Backends.Ilgpu;

/// <summary>An ILGPU device buffer (float32 or int32), rented from its backend's pool; disposing returns it.</summary>
internal sealed class IlgpuBuffer : IDeviceBuffer
{
    private readonly IlgpuBackend _backend;
    private MemoryBuffer1D<float, Stride1D.Dense>? _floats;
    private MemoryBuffer1D<int, Stride1D.Dense>? _ints;

    internal IlgpuBuffer(IlgpuBackend backend, DType dtype, long length, MemoryBuffer1D<float, Stride1D.Dense>? floats,
        MemoryBuffer1D<int, Stride1D.Dense>? ints)
    {
        _backend = backend;
        DType = dtype;
        Length = length;
        _floats = floats;
        _ints = ints;
    }

    public IBackend Backend => _backend;
    public DType DType { get; }
    public long Length { get; }
    public bool IsDisposed => _floats is null && _ints is null;

    /// <summary>The float32 view (at least one element, even for an empty buffer).</summary>
    internal ArrayView<float> Floats => (_floats ?? throw Unusable(DType.Float32)).View;

    /// <summary>The int32 view (at least one element, even for an empty buffer).</summary>
    internal ArrayView<int> Ints => (_ints ?? throw Unusable(DType.Int32)).View;

    private Exception Unusable(DType wanted) => IsDisposed
        ? new ObjectDisposedException(nameof(IlgpuBuffer), "The device buffer was disposed.")
        : new InvalidOperationException($"Expected a {wanted.KerasName()} buffer, received {DType.KerasName()}.");

    public void Dispose()
    {
        if (IsDisposed) return;
        _backend.Return(this, _floats, _ints);
        _floats = null;
        _ints = null;
    }
}
