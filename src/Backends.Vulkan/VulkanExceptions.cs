namespace KerasGpu.Backends.Vulkan;

/// <summary>A Vulkan call failed; the message names the call, the device and the VkResult.</summary>
public class VulkanException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VulkanException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public VulkanException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>VK_ERROR_DEVICE_LOST: the device stopped (driver reset, hang, removal). The backend refuses further work.</summary>
public sealed class VulkanDeviceLostException(string message) : VulkanException(message);

/// <summary>Device or host memory ran out; <see cref="RequestedBytes"/> is the size being allocated (0 if not an allocation).</summary>
public sealed class VulkanOutOfMemoryException(string message, ulong requestedBytes) : VulkanException(message)
{
    /// <summary>The allocation size that failed, in bytes.</summary>
    public ulong RequestedBytes { get; } = requestedBytes;
}

/// <summary>Vulkan cannot be used on this machine: no loader, no driver, or no layer that was asked for.</summary>
public sealed class VulkanUnavailableException : VulkanException
{
    /// <summary>Creates the exception.</summary>
    public VulkanUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public VulkanUnavailableException(string message, Exception inner) : base(message, inner) { }
}
