using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Conformance;

/// <summary>Owns the one backend instance a conformance class runs against. A new backend adds one subclass and one
/// line <c>class XConformanceTests(XFixture f) : BackendConformanceTests&lt;XFixture&gt;(f);</c>.</summary>
public abstract class BackendFixture : IDisposable
{
    private IBackend? _backend;

    public IBackend Backend => _backend ??= Create();

    protected abstract IBackend Create();

    public void Dispose()
    {
        _backend?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class CpuBackendFixture : BackendFixture
{
    protected override IBackend Create() => new CpuBackend();
}

/// <summary>
/// THE table of kernels a backend does not implement yet, with the reason. Tests consult it (and report a skip with the
/// reason) instead of testing the backend's type.
/// </summary>
public static class KnownGaps
{
    private static readonly Dictionary<(Type Fixture, string Kernel), string> Table = new()
    {
        // [(typeof(VulkanBackendFixture), nameof(IBackend.RandomUniform))] = "why, and the issue that tracks it",
    };

    public static string? Reason(Type fixture, string kernel) => Table.GetValueOrDefault((fixture, kernel));
}
