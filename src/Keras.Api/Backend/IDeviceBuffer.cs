namespace KerasGpu.Backend;

/// <summary>
/// One allocation in a backend's memory: a flat array of <see cref="Length"/> elements of <see cref="DType"/>.
/// Disposing it returns the memory to its backend (pooled or freed); disposing twice is harmless.
/// </summary>
public interface IDeviceBuffer : IDisposable
{
    /// <summary>The backend that owns this buffer.</summary>
    IBackend Backend { get; }

    /// <summary>Element type; backends store <see cref="DType.Float32"/> and <see cref="DType.Int32"/>.</summary>
    DType DType { get; }

    /// <summary>Number of elements.</summary>
    long Length { get; }

    /// <summary>True once disposed; a disposed buffer must not be passed to a kernel.</summary>
    bool IsDisposed { get; }
}
