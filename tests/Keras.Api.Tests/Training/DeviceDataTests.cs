using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;
using KerasGpu.Training;

namespace KerasGpu.Tests.Training;

/// <summary>The CPU backend reads a dataset in place where it can, and copies it where it cannot.</summary>
public class DeviceDataTests
{
    [Fact]
    public void CpuBackend_ReadsArraysAndRowViewsInPlace()
    {
        using var backend = new CpuBackend(1);
        var x = new float[10 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = i * 0.5f;
        var labels = new int[10];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % 4;
        var data = ArrayData.Create([NDArray.FromArray(x, 10, 3)], [NDArray.FromArray(labels, 10)]);
        var (train, validation) = data.Split(0.2);
        var layouts = new[] { new[] { (DType.Int32, Array.Empty<int>()) } };
        long liveBefore = backend.LiveBufferCount;

        using (var device = new DeviceData(backend, train, layouts))
        {
            var xs = (CpuBuffer)device.X[0].Buffer;
            Assert.True(xs.Borrowed);
            Assert.Equal(x.AsSpan(0, 8 * 3).ToArray(), xs.Floats.ToArray());
            Assert.True(((CpuBuffer)device.Targets(0, DType.Int32).Buffer).Borrowed);
        }
        using (var device = new DeviceData(backend, validation, layouts))
        {
            var xs = (CpuBuffer)device.X[0].Buffer;
            Assert.True(xs.Borrowed); // the validation rows start inside the array: a view with an offset
            Assert.Equal(8 * 3, xs.Offset);
            Assert.Equal(x.AsSpan(8 * 3, 2 * 3).ToArray(), xs.Floats.ToArray());
            // Gathers read the view; kernels that index the whole array refuse it rather than read the wrong rows.
            using var indices = backend.Allocate(DType.Int32, 2);
            backend.Upload<int>([1, 0], indices);
            using var batch = backend.Allocate(DType.Float32, 2 * 3);
            backend.GatherRows(xs, 3, indices, 0, 2, batch);
            Assert.Equal(x.AsSpan(9 * 3, 3).ToArray().Concat(x.AsSpan(8 * 3, 3).ToArray()), ((CpuBuffer)batch).Floats.ToArray());
            Assert.Throws<InvalidOperationException>(() => backend.ActivationForward(ActivationKind.Relu, xs, batch, 6));
        }
        // Borrowed arrays are never handed to the pool: a new buffer of the same length is not the caller's array.
        using var fresh = backend.Allocate(DType.Float32, 8 * 3);
        ((CpuBuffer)fresh).Floats.Fill(-1f);
        Assert.Equal(0f, x[0]);
        Assert.Equal(liveBefore + 1, backend.LiveBufferCount);
    }

    [Fact]
    public void CpuBackend_CopiesArraysOfAnotherDtype()
    {
        using var backend = new CpuBackend(1);
        var x = NDArray.FromArray(new double[] { 1, 2, 3, 4 }, 2, 2);
        var data = ArrayData.Create([x], null);
        using var device = new DeviceData(backend, data, null);
        var xs = (CpuBuffer)device.X[0].Buffer;
        Assert.False(xs.Borrowed);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, xs.Floats.ToArray());
    }
}
