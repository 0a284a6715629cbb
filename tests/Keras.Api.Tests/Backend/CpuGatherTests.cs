using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Backend;

/// <summary>The CPU gather's input checks (its results are checked on every backend by the conformance suite).</summary>
public class CpuGatherTests
{
    [Fact]
    public void GatherRows_WithABadIndexAnywhere_ThrowsBeforeWritingAnything()
    {
        using var backend = new CpuBackend(1);
        const int rows = 8, rowLength = 20;
        using var x = backend.Allocate(DType.Float32, rows * rowLength);
        backend.Fill(x, 1f);
        using var indices = backend.Allocate(DType.Int32, 6);
        backend.Upload<int>([0, 1, 2, 3, 4, rows], indices); // the last one is out of range
        using var y = backend.Allocate(DType.Float32, 6 * rowLength);
        backend.Fill(y, -7f);
        var e = Assert.Throws<IndexOutOfRangeException>(() => backend.GatherRows(x, rowLength, indices, 0, 6, y));
        Assert.Contains($"Gather index {rows} at position 5 is outside [0, {rows})", e.Message);
        Assert.All(((CpuBuffer)y).Floats.ToArray(), v => Assert.Equal(-7f, v));
    }

    [Fact]
    public void GatherRows_IntoTooSmallAnOutput_Throws()
    {
        using var backend = new CpuBackend(1);
        using var x = backend.Allocate(DType.Float32, 4 * 16);
        using var indices = backend.Allocate(DType.Int32, 4);
        backend.Upload<int>([3, 1, 2, 0], indices);
        using var y = backend.Allocate(DType.Float32, 3 * 16);
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.GatherRows(x, 16, indices, 0, 4, y));
    }
}
