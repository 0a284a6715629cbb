using KerasGpu.Backend;

namespace KerasGpu.Backends.Ilgpu;

// INTERIM (replaced before this lands): the new kernels of the contract, being written on a branch.
public sealed partial class IlgpuBackend
{
    /// <inheritdoc />
    public void Unary(UnaryOp op, IDeviceBuffer x, IDeviceBuffer y, long count) => throw Pending();
    /// <inheritdoc />
    public void Where(IDeviceBuffer condition, IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, long count) => throw Pending();
    /// <inheritdoc />
    public void Cast(IDeviceBuffer x, IDeviceBuffer y, long count) => throw Pending();
    /// <inheritdoc />
    public void CopyStrided(IDeviceBuffer x, long xOffset, int xRowStride, IDeviceBuffer y, long yOffset, int yRowStride, int rows, int rowLength) => throw Pending();
    /// <inheritdoc />
    public void Permute(IDeviceBuffer x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> perm, IDeviceBuffer y) => throw Pending();
    private static NotSupportedException Pending() => new("Not yet implemented on this backend.");
}
