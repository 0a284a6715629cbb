using KerasGpu.Backend;
using KerasGpu.Backends.Ilgpu;

namespace KerasGpu.Conformance;

/// <summary>
/// Checks that need a real GPU (CUDA or OpenCL); they run where one is present (CI filters <c>Category!=Gpu</c>) and
/// fail, not skip, where none is. Nothing here is timed: the benchmark suite measures speed.
/// </summary>
[Trait("Category", "Gpu")]
public sealed class IlgpuGpuTests
{
    /// <summary>The bare name's choice, which must be a GPU here.</summary>
    private static IlgpuBackend Gpu()
    {
        var backend = new IlgpuBackend();
        if (!backend.IsCpu) return backend;
        backend.Dispose();
        throw new InvalidOperationException("No CUDA or OpenCL 2.0+ accelerator: ilgpu chose its CPU accelerator.");
    }

    [Fact]
    public void BareName_PicksAGpuAccelerator()
    {
        using var backend = Gpu();
        Assert.True(backend.Name.StartsWith("ilgpu:cuda", StringComparison.Ordinal) || backend.Name.StartsWith("ilgpu:opencl", StringComparison.Ordinal),
            $"ilgpu chose {backend.Name} ({backend.DeviceName})");
    }

    /// <summary>The tiled kernel at a size with many tiles and ragged edges, against the float64 reference.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void TiledMatMul_ManyTiles_MatchesReference(bool ta, bool tb)
    {
        using var backend = Gpu();
        using var d = new DeviceScope(backend);
        backend.MatMulKernel = IlgpuMatMulKernel.Tiled;
        var shape = new MatMulShape(300, 257, 515, ta, tb);
        int seed = Inputs.Seed(shape, "gpu");
        float[] a = Inputs.Uniform(seed, shape.M * shape.K), b = Inputs.Uniform(seed + 1, shape.K * shape.N), bias = Inputs.Uniform(seed + 2, shape.N);
        var y = d.Nan(shape.M * shape.N);
        backend.MatMul(d.Upload(a), d.Upload(b), y, shape, d.Upload(bias), ActivationKind.Relu);
        double[] da = Inputs.ToDouble(a), db = Inputs.ToDouble(b), dBias = Inputs.ToDouble(bias);
        Check.Close($"tiled MatMul {shape} on {backend.Name}", d.Read(y), MatMulRef.Forward(da, db, shape, dBias, ActivationKind.Relu),
            Tolerances.MatMul(shape.K, ActivationKind.Relu), MatMulRef.Magnitude(da, db, shape, dBias, null));
    }
}
