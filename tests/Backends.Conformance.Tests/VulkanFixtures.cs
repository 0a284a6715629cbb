using KerasGpu.Backend;
using KerasGpu.Backends.Vulkan;

namespace KerasGpu.Conformance;

/// <summary>The best Vulkan device (lavapipe in CI) with VK_LAYER_KHRONOS_validation on. Any validation message fails:
/// the test class checks after every test, the fixture once more at dispose.</summary>
public class VulkanBackendFixture : BackendFixture, IDisposable
{
    protected override IBackend Create() => new VulkanBackend(new VulkanBackendOptions { Validation = true });

    public VulkanBackend Vulkan => (VulkanBackend)Backend;

    /// <summary>Fails with every validation message recorded so far.</summary>
    public void AssertNoValidationMessages()
    {
        var messages = Vulkan.ValidationMessages;
        Assert.True(messages.Count == 0, $"{messages.Count} Vulkan validation message(s):\n" + string.Join("\n", messages.Take(10)));
    }

    void IDisposable.Dispose()
    {
        var messages = Vulkan.ValidationMessages;
        Dispose();
        Assert.True(messages.Count == 0, $"{messages.Count} Vulkan validation message(s):\n" + string.Join("\n", messages.Take(10)));
    }
}

/// <summary>A real GPU: the best device must not be a CPU implementation (fails where there is none; CI filters Category=Gpu out).</summary>
public sealed class VulkanGpuBackendFixture : VulkanBackendFixture
{
    protected override IBackend Create()
    {
        var backend = (VulkanBackend)base.Create();
        if (backend.DeviceType != "Cpu") return backend;
        string name = backend.DeviceName;
        backend.Dispose();
        throw new InvalidOperationException($"The GPU-tagged Vulkan tests need a GPU; the best Vulkan device here is {name}.");
    }
}

public sealed class VulkanConformanceTests : BackendConformanceTests<VulkanBackendFixture>, IDisposable
{
    private readonly VulkanBackendFixture _fixture;

    public VulkanConformanceTests(VulkanBackendFixture fixture) : base(fixture) => _fixture = fixture;

    void IDisposable.Dispose()
    {
        Dispose();
        _fixture.AssertNoValidationMessages();
    }
}

[Trait("Category", "Gpu")]
public sealed class VulkanGpuConformanceTests : BackendConformanceTests<VulkanGpuBackendFixture>, IDisposable
{
    private readonly VulkanGpuBackendFixture _fixture;

    public VulkanGpuConformanceTests(VulkanGpuBackendFixture fixture) : base(fixture) => _fixture = fixture;

    void IDisposable.Dispose()
    {
        Dispose();
        _fixture.AssertNoValidationMessages();
    }
}
