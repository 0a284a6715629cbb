namespace KerasGpu.Conformance;

public sealed class CpuConformanceTests(CpuBackendFixture fixture) : BackendConformanceTests<CpuBackendFixture>(fixture);
