using KerasGpu.Backend;
using KerasGpu.Backends.Ilgpu;

namespace KerasGpu.Conformance;

/// <summary>ILGPU's CPU accelerator: runs in CI with the CPU backend's tolerances.</summary>
public sealed class IlgpuCpuBackendFixture : BackendFixture
{
    protected override IBackend Create() => new IlgpuBackend("cpu");
}

/// <summary>The first CUDA device; creating it fails (the tests fail, not skip) where there is none.</summary>
public sealed class IlgpuCudaBackendFixture : BackendFixture
{
    protected override IBackend Create() => new IlgpuBackend("cuda");
}

/// <summary>The first OpenCL 2.0+ device; creating it fails where there is none (Debian's PoCL is refused by ILGPU).</summary>
public sealed class IlgpuOpenClBackendFixture : BackendFixture
{
    protected override IBackend Create() => new IlgpuBackend("opencl");
}

public sealed class IlgpuCpuConformanceTests(IlgpuCpuBackendFixture fixture) : BackendConformanceTests<IlgpuCpuBackendFixture>(fixture);

[Trait("Category", "Gpu")]
public sealed class IlgpuCudaConformanceTests(IlgpuCudaBackendFixture fixture) : BackendConformanceTests<IlgpuCudaBackendFixture>(fixture);

[Trait("Category", "Gpu")]
public sealed class IlgpuOpenClConformanceTests(IlgpuOpenClBackendFixture fixture) : BackendConformanceTests<IlgpuOpenClBackendFixture>(fixture);
