using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Conformance;

public sealed class CpuConformanceTests(CpuBackendFixture fixture) : BackendConformanceTests<CpuBackendFixture>(fixture);

/// <summary>The CPU kernels at 512-bit vectors (AVX-512), emulated by .NET in software where the machine lacks them, so
/// the 512-bit kernels are checked whichever machine runs the suite.</summary>
public sealed class CpuVector512BackendFixture : BackendFixture
{
    protected override IBackend Create() => new CpuBackend(null, maxVectorBits: 512, emulateWidth: true);
}

public sealed class CpuVector512ConformanceTests(CpuVector512BackendFixture fixture)
    : BackendConformanceTests<CpuVector512BackendFixture>(fixture);

/// <summary>The CPU kernels at 256-bit vectors (AVX2), also on AVX-512 machines, so both widths are checked whichever
/// machine runs the suite.</summary>
public sealed class CpuVector256BackendFixture : BackendFixture
{
    protected override IBackend Create() => new CpuBackend(null, maxVectorBits: 256);
}

public sealed class CpuVector256ConformanceTests(CpuVector256BackendFixture fixture)
    : BackendConformanceTests<CpuVector256BackendFixture>(fixture);

/// <summary>The CPU kernels at 128-bit vectors (SSE here; the width Arm64's NEON runs).</summary>
public sealed class CpuVector128BackendFixture : BackendFixture
{
    protected override IBackend Create() => new CpuBackend(null, maxVectorBits: 128);
}

public sealed class CpuVector128ConformanceTests(CpuVector128BackendFixture fixture)
    : BackendConformanceTests<CpuVector128BackendFixture>(fixture);
