using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Silk.NET.Core.Native;
using Silk.NET.Vulkan;
using VkBuffer = Silk.NET.Vulkan.Buffer;

namespace KerasGpu.Backends.Vulkan.Interop;

/// <summary>A physical device as the instance lists it.</summary>
internal sealed record PhysicalDeviceInfo(int Index, string Name, PhysicalDeviceType Type, string Driver, uint SubgroupSize);

/// <summary>One VkBuffer with its own VkDeviceMemory: a pooled block of a size class.</summary>
internal sealed unsafe class Allocation
{
    internal VkBuffer Buffer;
    internal DeviceMemory Memory;
    internal ulong Size;
    internal byte* Mapped;
    internal bool Staging;
}

/// <summary>A storage-buffer binding: a window of an allocation.</summary>
internal readonly record struct Binding(Allocation Allocation, ulong Offset, ulong Range);

/// <summary>
/// The unsafe island: every Vulkan call of the backend. One instance, one device, one compute queue; memory pooled by
/// size class; kernel launches recorded into the current frame's command buffer (a barrier before each) and submitted
/// at a sync point or when the frame is full; two frames alternate so recording overlaps execution.
/// </summary>
internal sealed unsafe class VulkanDevice : IDisposable
{
    private const int SetsPerFrame = 256, BindingsPerSet = 8, PushBytes = 128;
    private const ulong LargeStagingBytes = 64UL << 20;
    private static int s_liveBuffers, s_liveMemories;

    private readonly Vk _vk;
    private readonly Instance _instance;
    private readonly PhysicalDevice _physical;
    private readonly Device _device;
    private readonly Queue _queue;
    private readonly uint _queueFamily;
    private readonly DebugUtilsMessengerEXT _messenger;
    private readonly GCHandle _messagesHandle;
    private readonly DescriptorSetLayout _setLayout;
    private readonly PipelineLayout _pipelineLayout;
    private readonly PipelineCache _pipelineCache;
    private readonly string? _pipelineCachePath;
    private readonly uint _deviceMemoryType, _stagingMemoryType;
    private readonly Dictionary<string, ShaderModule> _modules = [];
    private readonly Dictionary<string, Pipeline> _pipelines = [];
    private readonly Dictionary<(ulong, bool), Stack<Allocation>> _free = [];
    private readonly Frame[] _frames = [new(), new()];
    private int _current;
    private bool _lost, _disposed;

    private sealed class Frame
    {
        internal CommandPool Pool;
        internal CommandBuffer Commands;
        internal Fence Fence;
        internal DescriptorPool Descriptors;
        internal bool Recording, InFlight;
        internal int Dispatches;
        internal readonly List<Allocation> ReleaseAfter = [];
    }

    /// <summary>Validation-layer and driver messages (warnings and errors) since creation.</summary>
    internal ConcurrentQueue<string> Messages { get; } = new();

    internal PhysicalDeviceInfo Info { get; }
    internal bool DeviceMemoryIsMapped { get; }
    internal bool SubgroupArithmetic { get; }
    internal bool Float64 { get; }
    internal ulong MaxStorageBufferRange { get; }
    internal ulong StorageOffsetAlignment { get; }
    internal uint MaxGroupCount { get; }
    internal bool ValidationEnabled { get; }

    /// <summary>vkQueueSubmit calls so far (tests check that a training step is at most one).</summary>
    internal long Submissions { get; private set; }

    /// <summary>vkAllocateMemory calls so far (tests check that a warm training step makes none).</summary>
    internal long MemoryAllocations { get; private set; }
    private readonly uint _timestampBits;
    private readonly ulong _heapBytes;
    private readonly float _timestampPeriod;
    private QueryPool _queries;
    internal string? PipelineCacheFile => _pipelineCachePath;

    /// <summary>VkBuffer and VkDeviceMemory handles alive in this process (pooled ones included).</summary>
    internal static int LiveVkBuffers => Volatile.Read(ref s_liveBuffers);
    internal static int LiveVkMemories => Volatile.Read(ref s_liveMemories);

    private VulkanDevice(Vk vk, Instance instance, DebugUtilsMessengerEXT messenger, GCHandle messagesHandle,
        ConcurrentQueue<string> messages, PhysicalDevice physical, PhysicalDeviceInfo info, bool validation, string? cacheDirectory)
    {
        _vk = vk;
        _instance = instance;
        _messenger = messenger;
        _messagesHandle = messagesHandle;
        Messages = messages;
        _physical = physical;
        Info = info;
        ValidationEnabled = validation;

        vk.GetPhysicalDeviceProperties(physical, out var props);
        MaxStorageBufferRange = props.Limits.MaxStorageBufferRange;
        StorageOffsetAlignment = Math.Max(4, props.Limits.MinStorageBufferOffsetAlignment);
        MaxGroupCount = Math.Min(65535u, props.Limits.MaxComputeWorkGroupCount[0]);
        var subgroup = new PhysicalDeviceSubgroupProperties { SType = StructureType.PhysicalDeviceSubgroupProperties };
        var props2 = new PhysicalDeviceProperties2 { SType = StructureType.PhysicalDeviceProperties2, PNext = &subgroup };
        vk.GetPhysicalDeviceProperties2(physical, &props2);
        SubgroupArithmetic = (subgroup.SupportedOperations & SubgroupFeatureFlags.ArithmeticBit) != 0
            && (subgroup.SupportedStages & ShaderStageFlags.ComputeBit) != 0;

        uint familyCount = 0;
        vk.GetPhysicalDeviceQueueFamilyProperties(physical, ref familyCount, null);
        var families = new QueueFamilyProperties[familyCount];
        fixed (QueueFamilyProperties* f = families) vk.GetPhysicalDeviceQueueFamilyProperties(physical, ref familyCount, f);
        _queueFamily = uint.MaxValue;
        for (uint i = 0; i < familyCount; i++)
            if ((families[i].QueueFlags & QueueFlags.ComputeBit) != 0) { _queueFamily = i; break; }
        if (_queueFamily == uint.MaxValue) throw new VulkanException($"The device {info.Name} has no compute queue.");
        _timestampBits = families[_queueFamily].TimestampValidBits;
        _timestampPeriod = props.Limits.TimestampPeriod;

        float priority = 1f;
        var queueInfo = new DeviceQueueCreateInfo
        {
            SType = StructureType.DeviceQueueCreateInfo, QueueFamilyIndex = _queueFamily, QueueCount = 1, PQueuePriorities = &priority,
        };
        vk.GetPhysicalDeviceFeatures(physical, out var available);
        Float64 = available.ShaderFloat64;
        var features = new PhysicalDeviceFeatures { ShaderFloat64 = available.ShaderFloat64 };
        var deviceInfo = new DeviceCreateInfo
        {
            SType = StructureType.DeviceCreateInfo, QueueCreateInfoCount = 1, PQueueCreateInfos = &queueInfo, PEnabledFeatures = &features,
        };
        Check(vk.CreateDevice(physical, &deviceInfo, null, out _device), "vkCreateDevice");
        vk.GetDeviceQueue(_device, _queueFamily, 0, out _queue);

        // Memory: on CPU and integrated devices one device-local heap is also host-visible (lavapipe's only heap):
        // tensors live there and are read and written in place. Elsewhere, device-local tensors and host staging.
        vk.GetPhysicalDeviceMemoryProperties(physical, out var memory);
        bool unified = info.Type is PhysicalDeviceType.Cpu or PhysicalDeviceType.IntegratedGpu;
        const MemoryPropertyFlags host = MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit;
        int mapped = unified ? FindMemoryType(memory, MemoryPropertyFlags.DeviceLocalBit | host) : -1;
        DeviceMemoryIsMapped = mapped >= 0;
        int local = mapped >= 0 ? mapped : FindMemoryType(memory, MemoryPropertyFlags.DeviceLocalBit);
        int staging = FindMemoryType(memory, host);
        if (local < 0) local = staging;
        if (staging < 0) throw new VulkanException($"The device {info.Name} has no host-visible memory type.");
        _deviceMemoryType = (uint)local;
        _heapBytes = memory.MemoryHeaps[(int)memory.MemoryTypes[local].HeapIndex].Size;
        _stagingMemoryType = (uint)staging;

        var bindings = stackalloc DescriptorSetLayoutBinding[BindingsPerSet];
        for (uint b = 0; b < BindingsPerSet; b++)
            bindings[b] = new DescriptorSetLayoutBinding
            {
                Binding = b, DescriptorType = DescriptorType.StorageBuffer, DescriptorCount = 1, StageFlags = ShaderStageFlags.ComputeBit,
            };
        var setInfo = new DescriptorSetLayoutCreateInfo
        {
            SType = StructureType.DescriptorSetLayoutCreateInfo, BindingCount = BindingsPerSet, PBindings = bindings,
        };
        Check(vk.CreateDescriptorSetLayout(_device, &setInfo, null, out _setLayout), "vkCreateDescriptorSetLayout");
        var range = new PushConstantRange { StageFlags = ShaderStageFlags.ComputeBit, Offset = 0, Size = PushBytes };
        var setLayout = _setLayout;
        var layoutInfo = new PipelineLayoutCreateInfo
        {
            SType = StructureType.PipelineLayoutCreateInfo, SetLayoutCount = 1, PSetLayouts = &setLayout,
            PushConstantRangeCount = 1, PPushConstantRanges = &range,
        };
        Check(vk.CreatePipelineLayout(_device, &layoutInfo, null, out _pipelineLayout), "vkCreatePipelineLayout");

        _pipelineCachePath = PipelineCachePath(props, cacheDirectory);
        _pipelineCache = CreatePipelineCache(_pipelineCachePath);

        foreach (var frame in _frames) CreateFrame(frame);
    }

    private static int FindMemoryType(PhysicalDeviceMemoryProperties memory, MemoryPropertyFlags flags)
    {
        for (int i = 0; i < memory.MemoryTypeCount; i++)
            if ((memory.MemoryTypes[i].PropertyFlags & flags) == flags) return i;
        return -1;
    }

    // ---- creation -----------------------------------------------------------------------------------------------

    private static Vk LoadApi()
    {
        try { return Vk.GetApi(); }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or TypeInitializationException or PlatformNotSupportedException)
        {
            throw new VulkanUnavailableException(
                "The Vulkan loader (libvulkan.so.1) could not be loaded. On Debian/Ubuntu install it with " +
                "'apt-get install libvulkan1 mesa-vulkan-drivers' (mesa-vulkan-drivers provides lavapipe, a CPU implementation).", e);
        }
    }

    /// <summary>Lists the physical devices (no logical device is created).</summary>
    internal static IReadOnlyList<PhysicalDeviceInfo> ListDevices()
    {
        var vk = LoadApi();
        var instance = CreateInstance(vk, validation: false, out _);
        try { return Enumerate(vk, instance).Select(d => d.Info).ToList(); }
        finally { vk.DestroyInstance(instance, null); }
    }

    /// <summary>Creates the device at <paramref name="index"/>, or the best one (discrete, integrated, virtual, CPU) when null.</summary>
    internal static VulkanDevice Create(int? index, bool validation, string? cacheDirectory = null)
    {
        var vk = LoadApi();
        var instance = CreateInstance(vk, validation, out bool debugUtils);
        var messages = new ConcurrentQueue<string>();
        var handle = GCHandle.Alloc(messages);
        var messenger = default(DebugUtilsMessengerEXT);
        try
        {
            if (debugUtils) messenger = CreateMessenger(vk, instance, handle);
            var devices = Enumerate(vk, instance);
            if (devices.Count == 0)
                throw new VulkanUnavailableException("Vulkan found no physical device (no driver, ICD). On Debian/Ubuntu install " +
                    "'mesa-vulkan-drivers' for lavapipe, or your GPU vendor's Vulkan driver.");
            (PhysicalDevice Device, PhysicalDeviceInfo Info) chosen;
            if (index is { } i)
            {
                if (i < 0 || i >= devices.Count)
                    throw new ArgumentException($"There is no Vulkan device {i}; found: " +
                        string.Join("; ", devices.Select(d => $"vulkan:{d.Info.Index} = {d.Info.Name} ({d.Info.Type})")) + ".");
                chosen = devices[i];
            }
            else chosen = devices.OrderBy(d => Rank(d.Info.Type)).ThenBy(d => d.Info.Index).First();
            return new VulkanDevice(vk, instance, messenger, handle, messages, chosen.Device, chosen.Info, validation, cacheDirectory);
        }
        catch
        {
            if (messenger.Handle != 0) DestroyMessenger(vk, instance, messenger);
            vk.DestroyInstance(instance, null);
            handle.Free();
            throw;
        }
    }

    private static int Rank(PhysicalDeviceType type) => type switch
    {
        PhysicalDeviceType.DiscreteGpu => 0,
        PhysicalDeviceType.IntegratedGpu => 1,
        PhysicalDeviceType.VirtualGpu => 2,
        PhysicalDeviceType.Cpu => 3,
        _ => 4,
    };

    private static Instance CreateInstance(Vk vk, bool validation, out bool debugUtils)
    {
        const string layer = "VK_LAYER_KHRONOS_validation", debugExtension = "VK_EXT_debug_utils";
        debugUtils = false;
        var layers = new List<string>();
        var extensions = new List<string>();
        if (validation)
        {
            uint count = 0;
            vk.EnumerateInstanceLayerProperties(ref count, null);
            var properties = new LayerProperties[count];
            fixed (LayerProperties* p = properties) vk.EnumerateInstanceLayerProperties(ref count, p);
            bool found = false;
            foreach (var property in properties)
                if (SilkMarshal.PtrToString((nint)property.LayerName) == layer) found = true;
            if (!found)
                throw new VulkanUnavailableException($"Validation was requested but {layer} is not installed; on Debian/Ubuntu: 'apt-get install vulkan-validationlayers'.");
            layers.Add(layer);
            extensions.Add(debugExtension);
            debugUtils = true;
        }
        var appName = SilkMarshal.StringToPtr("KerasGpu");
        var layerNames = (byte**)SilkMarshal.StringArrayToPtr(layers);
        var extensionNames = (byte**)SilkMarshal.StringArrayToPtr(extensions);
        try
        {
            var app = new ApplicationInfo
            {
                SType = StructureType.ApplicationInfo, PApplicationName = (byte*)appName, PEngineName = (byte*)appName,
                ApiVersion = Vk.Version12,
            };
            var info = new InstanceCreateInfo
            {
                SType = StructureType.InstanceCreateInfo, PApplicationInfo = &app,
                EnabledLayerCount = (uint)layers.Count, PpEnabledLayerNames = layerNames,
                EnabledExtensionCount = (uint)extensions.Count, PpEnabledExtensionNames = extensionNames,
            };
            var result = vk.CreateInstance(&info, null, out var instance);
            if (result == Result.ErrorIncompatibleDriver)
                throw new VulkanUnavailableException("No Vulkan driver (ICD) is installed. On Debian/Ubuntu install 'mesa-vulkan-drivers' " +
                    "(lavapipe, a CPU implementation) or your GPU vendor's Vulkan driver.");
            Check(result, "vkCreateInstance");
            return instance;
        }
        finally
        {
            SilkMarshal.Free(appName);
            SilkMarshal.Free((nint)layerNames);
            SilkMarshal.Free((nint)extensionNames);
        }
    }

    private static List<(PhysicalDevice Device, PhysicalDeviceInfo Info)> Enumerate(Vk vk, Instance instance)
    {
        uint count = 0;
        Check(vk.EnumeratePhysicalDevices(instance, ref count, null), "vkEnumeratePhysicalDevices");
        var devices = new PhysicalDevice[count];
        fixed (PhysicalDevice* p = devices) Check(vk.EnumeratePhysicalDevices(instance, ref count, p), "vkEnumeratePhysicalDevices");
        var list = new List<(PhysicalDevice, PhysicalDeviceInfo)>();
        for (int i = 0; i < count; i++)
        {
            var driver = new PhysicalDeviceDriverProperties { SType = StructureType.PhysicalDeviceDriverProperties };
            var subgroup = new PhysicalDeviceSubgroupProperties { SType = StructureType.PhysicalDeviceSubgroupProperties, PNext = &driver };
            var props2 = new PhysicalDeviceProperties2 { SType = StructureType.PhysicalDeviceProperties2, PNext = &subgroup };
            vk.GetPhysicalDeviceProperties2(devices[i], &props2);
            string name = SilkMarshal.PtrToString((nint)props2.Properties.DeviceName) ?? "unknown";
            string driverName = $"{SilkMarshal.PtrToString((nint)driver.DriverName)} {SilkMarshal.PtrToString((nint)driver.DriverInfo)}".Trim();
            list.Add((devices[i], new PhysicalDeviceInfo(i, name, props2.Properties.DeviceType, driverName, subgroup.SubgroupSize)));
        }
        return list;
    }

    private static DebugUtilsMessengerEXT CreateMessenger(Vk vk, Instance instance, GCHandle messages)
    {
        var create = (delegate* unmanaged<Instance, DebugUtilsMessengerCreateInfoEXT*, AllocationCallbacks*, DebugUtilsMessengerEXT*, Result>)
            vk.GetInstanceProcAddr(instance, "vkCreateDebugUtilsMessengerEXT").Handle;
        if (create == null) throw new VulkanException("vkCreateDebugUtilsMessengerEXT is missing although VK_EXT_debug_utils is enabled.");
        var info = new DebugUtilsMessengerCreateInfoEXT
        {
            SType = StructureType.DebugUtilsMessengerCreateInfoExt,
            MessageSeverity = DebugUtilsMessageSeverityFlagsEXT.WarningBitExt | DebugUtilsMessageSeverityFlagsEXT.ErrorBitExt,
            MessageType = DebugUtilsMessageTypeFlagsEXT.GeneralBitExt | DebugUtilsMessageTypeFlagsEXT.ValidationBitExt
                | DebugUtilsMessageTypeFlagsEXT.PerformanceBitExt,
            PfnUserCallback = new PfnDebugUtilsMessengerCallbackEXT(
                (delegate* unmanaged[Cdecl]<DebugUtilsMessageSeverityFlagsEXT, DebugUtilsMessageTypeFlagsEXT, DebugUtilsMessengerCallbackDataEXT*, void*, Silk.NET.Core.Bool32>)
                (void*)(delegate* unmanaged[Cdecl]<DebugUtilsMessageSeverityFlagsEXT, DebugUtilsMessageTypeFlagsEXT, DebugUtilsMessengerCallbackDataEXT*, void*, uint>)&OnMessage),
            PUserData = (void*)GCHandle.ToIntPtr(messages),
        };
        DebugUtilsMessengerEXT messenger;
        Check(create(instance, &info, null, &messenger), "vkCreateDebugUtilsMessengerEXT");
        return messenger;
    }

    private static void DestroyMessenger(Vk vk, Instance instance, DebugUtilsMessengerEXT messenger)
    {
        var destroy = (delegate* unmanaged<Instance, DebugUtilsMessengerEXT, AllocationCallbacks*, void>)
            vk.GetInstanceProcAddr(instance, "vkDestroyDebugUtilsMessengerEXT").Handle;
        if (destroy != null) destroy(instance, messenger, null);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static uint OnMessage(DebugUtilsMessageSeverityFlagsEXT severity, DebugUtilsMessageTypeFlagsEXT type,
        DebugUtilsMessengerCallbackDataEXT* data, void* user)
    {
        if (GCHandle.FromIntPtr((nint)user).Target is ConcurrentQueue<string> messages)
            messages.Enqueue($"[{severity} {type}] {SilkMarshal.PtrToString((nint)data->PMessage)}");
        return 0; // VK_FALSE: do not abort the call
    }

    private void CreateFrame(Frame frame)
    {
        var poolInfo = new CommandPoolCreateInfo { SType = StructureType.CommandPoolCreateInfo, QueueFamilyIndex = _queueFamily };
        Check(_vk.CreateCommandPool(_device, &poolInfo, null, out frame.Pool), "vkCreateCommandPool");
        var allocInfo = new CommandBufferAllocateInfo
        {
            SType = StructureType.CommandBufferAllocateInfo, CommandPool = frame.Pool, Level = CommandBufferLevel.Primary, CommandBufferCount = 1,
        };
        Check(_vk.AllocateCommandBuffers(_device, &allocInfo, out frame.Commands), "vkAllocateCommandBuffers");
        var fenceInfo = new FenceCreateInfo { SType = StructureType.FenceCreateInfo };
        Check(_vk.CreateFence(_device, &fenceInfo, null, out frame.Fence), "vkCreateFence");
        var size = new DescriptorPoolSize { Type = DescriptorType.StorageBuffer, DescriptorCount = SetsPerFrame * BindingsPerSet };
        var descriptorInfo = new DescriptorPoolCreateInfo
        {
            SType = StructureType.DescriptorPoolCreateInfo, MaxSets = SetsPerFrame, PoolSizeCount = 1, PPoolSizes = &size,
        };
        Check(_vk.CreateDescriptorPool(_device, &descriptorInfo, null, out frame.Descriptors), "vkCreateDescriptorPool");
    }

    // ---- pipelines ----------------------------------------------------------------------------------------------

    private static string? PipelineCachePath(PhysicalDeviceProperties props, string? directory)
    {
        string file = $"pipelines-{props.VendorID:x4}-{props.DeviceID:x4}-{props.DriverVersion:x8}.bin";
        if (directory is not null) return Path.Combine(directory, file);
        string? home = Environment.GetEnvironmentVariable("KERAS_HOME");
        if (string.IsNullOrEmpty(home))
        {
            string user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(user)) return null;
            home = Path.Combine(user, ".keras");
        }
        return Path.Combine(home, "cache", "vulkan", file);
    }

    private PipelineCache CreatePipelineCache(string? path)
    {
        byte[] initial = [];
        try { if (path is not null && File.Exists(path)) initial = File.ReadAllBytes(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        fixed (byte* data = initial)
        {
            var info = new PipelineCacheCreateInfo
            {
                SType = StructureType.PipelineCacheCreateInfo, InitialDataSize = (nuint)initial.Length, PInitialData = data,
            };
            // A cache from another driver version is ignored by the driver; a corrupt one is replaced by an empty cache.
            if (_vk.CreatePipelineCache(_device, &info, null, out var cache) == Result.Success) return cache;
            info.InitialDataSize = 0;
            info.PInitialData = null;
            Check(_vk.CreatePipelineCache(_device, &info, null, out cache), "vkCreatePipelineCache");
            return cache;
        }
    }

    /// <summary>Writes the pipeline cache atomically: a temporary file beside it, then a rename.</summary>
    private void SavePipelineCache()
    {
        if (_pipelineCachePath is null) return;
        nuint size = 0;
        if (_vk.GetPipelineCacheData(_device, _pipelineCache, &size, null) != Result.Success || size == 0) return;
        var data = new byte[size];
        fixed (byte* p = data) if (_vk.GetPipelineCacheData(_device, _pipelineCache, &size, p) != Result.Success) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_pipelineCachePath)!);
            string temp = $"{_pipelineCachePath}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, data.AsSpan(0, (int)size).ToArray());
            File.Move(temp, _pipelineCachePath, overwrite: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private Pipeline GetPipeline(string shader, ReadOnlySpan<uint> constants)
    {
        var key = new System.Text.StringBuilder(shader);
        foreach (uint c in constants) key.Append(':').Append(c);
        string k = key.ToString();
        if (_pipelines.TryGetValue(k, out var pipeline)) return pipeline;
        if (!_modules.TryGetValue(shader, out var module))
        {
            byte[] code = Shaders.Load(shader);
            fixed (byte* p = code)
            {
                var info = new ShaderModuleCreateInfo { SType = StructureType.ShaderModuleCreateInfo, CodeSize = (nuint)code.Length, PCode = (uint*)p };
                Check(_vk.CreateShaderModule(_device, &info, null, out module), "vkCreateShaderModule");
            }
            _modules[shader] = module;
        }
        var entries = stackalloc SpecializationMapEntry[constants.Length];
        for (int i = 0; i < constants.Length; i++)
            entries[i] = new SpecializationMapEntry { ConstantID = (uint)i, Offset = (uint)(i * 4), Size = 4 };
        var name = (byte*)SilkMarshal.StringToPtr("main");
        try
        {
            fixed (uint* values = constants)
            {
                var specialization = new SpecializationInfo
                {
                    MapEntryCount = (uint)constants.Length, PMapEntries = entries, DataSize = (nuint)(constants.Length * 4), PData = values,
                };
                var info = new ComputePipelineCreateInfo
                {
                    SType = StructureType.ComputePipelineCreateInfo,
                    Stage = new PipelineShaderStageCreateInfo
                    {
                        SType = StructureType.PipelineShaderStageCreateInfo, Stage = ShaderStageFlags.ComputeBit, Module = module,
                        PName = name, PSpecializationInfo = &specialization,
                    },
                    Layout = _pipelineLayout,
                };
                Check(_vk.CreateComputePipelines(_device, _pipelineCache, 1, &info, null, out pipeline), "vkCreateComputePipelines");
            }
        }
        finally { SilkMarshal.Free((nint)name); }
        _pipelines[k] = pipeline;
        return pipeline;
    }

    // ---- memory -------------------------------------------------------------------------------------------------

    /// <summary>Size classes 2^k and 1.5·2^k (at least 256 bytes), so pooled blocks are reused across nearby sizes.</summary>
    internal static ulong SizeClass(ulong bytes)
    {
        if (bytes <= 256) return 256;
        ulong power = 1UL << (63 - System.Numerics.BitOperations.LeadingZeroCount(bytes - 1) + 1);
        ulong threeQuarters = power / 4 * 3;
        return bytes <= threeQuarters ? threeQuarters : power;
    }

    /// <summary>A pooled block of at least <paramref name="bytes"/>: device memory, or host-visible staging.</summary>
    internal Allocation Allocate(ulong bytes, bool staging)
    {
        ThrowIfUnusable();
        ulong size = SizeClass(bytes);
        if (_free.TryGetValue((size, staging), out var stack) && stack.Count > 0) return stack.Pop();
        try { return CreateAllocation(size, staging); }
        catch (VulkanOutOfMemoryException)
        {
            Trim();
            return CreateAllocation(size, staging);
        }
    }

    private Allocation CreateAllocation(ulong size, bool staging)
    {
        var info = new BufferCreateInfo
        {
            SType = StructureType.BufferCreateInfo, Size = size, SharingMode = SharingMode.Exclusive,
            Usage = BufferUsageFlags.StorageBufferBit | BufferUsageFlags.TransferSrcBit | BufferUsageFlags.TransferDstBit,
        };
        Check(_vk.CreateBuffer(_device, &info, null, out var buffer), "vkCreateBuffer", size);
        Interlocked.Increment(ref s_liveBuffers);
        _vk.GetBufferMemoryRequirements(_device, buffer, out var requirements);
        uint type = staging ? _stagingMemoryType : _deviceMemoryType;
        if ((requirements.MemoryTypeBits & (1u << (int)type)) == 0)
        {
            DestroyBuffer(buffer);
            throw new VulkanException($"Memory type {type} cannot hold a storage buffer on {Info.Name}.");
        }
        var alloc = new MemoryAllocateInfo { SType = StructureType.MemoryAllocateInfo, AllocationSize = requirements.Size, MemoryTypeIndex = type };
        var result = _vk.AllocateMemory(_device, &alloc, null, out var memory);
        if (result != Result.Success)
        {
            DestroyBuffer(buffer);
            Check(result, "vkAllocateMemory", size);
        }
        Interlocked.Increment(ref s_liveMemories);
        MemoryAllocations++;
        Check(_vk.BindBufferMemory(_device, buffer, memory, 0), "vkBindBufferMemory");
        byte* mapped = null;
        if (staging || DeviceMemoryIsMapped)
        {
            void* p;
            Check(_vk.MapMemory(_device, memory, 0, Vk.WholeSize, 0, &p), "vkMapMemory", size);
            mapped = (byte*)p;
        }
        return new Allocation { Buffer = buffer, Memory = memory, Size = size, Mapped = mapped, Staging = staging };
    }

    private void DestroyBuffer(VkBuffer buffer)
    {
        _vk.DestroyBuffer(_device, buffer, null);
        Interlocked.Decrement(ref s_liveBuffers);
    }

    private void Destroy(Allocation a)
    {
        DestroyBuffer(a.Buffer);
        if (a.Mapped != null) _vk.UnmapMemory(_device, a.Memory);
        _vk.FreeMemory(_device, a.Memory, null);
        Interlocked.Decrement(ref s_liveMemories);
    }

    /// <summary>Returns a block to its pool. Later users are ordered after earlier ones by the queue's barriers.</summary>
    internal void Release(Allocation a)
    {
        if (_disposed) return;
        if (a.Staging && a.Size > LargeStagingBytes)
        {
            Destroy(a); // only called once the GPU is done with it; a dataset-sized staging block is not kept
            return;
        }
        if (!_free.TryGetValue((a.Size, a.Staging), out var stack)) _free[(a.Size, a.Staging)] = stack = new Stack<Allocation>();
        stack.Push(a);
    }

    /// <summary>Waits for the device, then frees every pooled (unused) block.</summary>
    internal void Trim()
    {
        Synchronize();
        foreach (var stack in _free.Values)
            while (stack.Count > 0) Destroy(stack.Pop());
        _free.Clear();
    }

    // ---- transfers ----------------------------------------------------------------------------------------------

    /// <summary>Host → device. Written in place when the memory is mapped and the queue is idle; else staged and recorded.</summary>
    internal void Upload(ReadOnlySpan<byte> source, Allocation destination, ulong offset)
    {
        ThrowIfUnusable();
        if (source.IsEmpty) return;
        if (destination.Mapped != null && !_frames.Any(f => f.Recording || f.InFlight))
        {
            source.CopyTo(new Span<byte>(destination.Mapped + offset, source.Length));
            return;
        }
        var staging = Allocate((ulong)source.Length, staging: true);
        source.CopyTo(new Span<byte>(staging.Mapped, source.Length));
        var frame = Begin();
        frame.ReleaseAfter.Add(staging);
        RecordCopy(frame, staging.Buffer, 0, destination.Buffer, offset, (ulong)source.Length);
    }

    /// <summary>Device → host: waits for all work, then reads in place (mapped memory) or through a staging block.</summary>
    internal void Download(Allocation source, ulong offset, Span<byte> destination)
    {
        ThrowIfUnusable();
        Synchronize();
        if (destination.IsEmpty) return;
        if (source.Mapped != null)
        {
            new ReadOnlySpan<byte>(source.Mapped + offset, destination.Length).CopyTo(destination);
            return;
        }
        var staging = Allocate((ulong)destination.Length, staging: true);
        try
        {
            RecordCopy(Begin(), source.Buffer, offset, staging.Buffer, 0, (ulong)destination.Length);
            Synchronize();
            new ReadOnlySpan<byte>(staging.Mapped, destination.Length).CopyTo(destination);
        }
        finally { Release(staging); }
    }

    /// <summary>Records a buffer-to-buffer copy (ordered after earlier work by a barrier).</summary>
    internal void Copy(Allocation source, ulong sourceOffset, Allocation destination, ulong destinationOffset, ulong bytes)
    {
        ThrowIfUnusable();
        if (bytes == 0) return;
        RecordCopy(Begin(), source.Buffer, sourceOffset, destination.Buffer, destinationOffset, bytes);
    }

    private void RecordCopy(Frame frame, VkBuffer source, ulong sourceOffset, VkBuffer destination, ulong destinationOffset, ulong bytes)
    {
        Barrier(frame.Commands);
        var region = new BufferCopy { SrcOffset = sourceOffset, DstOffset = destinationOffset, Size = bytes };
        _vk.CmdCopyBuffer(frame.Commands, source, destination, 1, &region);
        Count(frame);
    }

    // ---- execution ----------------------------------------------------------------------------------------------

    /// <summary>Records one dispatch: pipeline (shader + specialization constants), storage bindings 0..n−1, push constants.</summary>
    internal void Dispatch(string shader, ReadOnlySpan<uint> constants, ReadOnlySpan<Binding> bindings, ReadOnlySpan<uint> push, uint groups)
    {
        ThrowIfUnusable();
        if (groups == 0) return;
        var pipeline = GetPipeline(shader, constants);
        var frame = Begin();
        var layout = _setLayout;
        var allocInfo = new DescriptorSetAllocateInfo
        {
            SType = StructureType.DescriptorSetAllocateInfo, DescriptorPool = frame.Descriptors, DescriptorSetCount = 1, PSetLayouts = &layout,
        };
        Check(_vk.AllocateDescriptorSets(_device, &allocInfo, out var set), "vkAllocateDescriptorSets");
        var infos = stackalloc DescriptorBufferInfo[bindings.Length];
        var writes = stackalloc WriteDescriptorSet[bindings.Length];
        for (int i = 0; i < bindings.Length; i++)
        {
            infos[i] = new DescriptorBufferInfo { Buffer = bindings[i].Allocation.Buffer, Offset = bindings[i].Offset, Range = bindings[i].Range };
            writes[i] = new WriteDescriptorSet
            {
                SType = StructureType.WriteDescriptorSet, DstSet = set, DstBinding = (uint)i, DescriptorCount = 1,
                DescriptorType = DescriptorType.StorageBuffer, PBufferInfo = &infos[i],
            };
        }
        _vk.UpdateDescriptorSets(_device, (uint)bindings.Length, writes, 0, null);
        var cb = frame.Commands;
        Barrier(cb);
        _vk.CmdBindPipeline(cb, PipelineBindPoint.Compute, pipeline);
        _vk.CmdBindDescriptorSets(cb, PipelineBindPoint.Compute, _pipelineLayout, 0, 1, &set, 0, null);
        Span<uint> data = stackalloc uint[PushBytes / 4];
        push.CopyTo(data);
        fixed (uint* p = data) _vk.CmdPushConstants(cb, _pipelineLayout, ShaderStageFlags.ComputeBit, 0, PushBytes, p);
        _vk.CmdDispatch(cb, Math.Min(groups, MaxGroupCount), 1, 1);
        Count(frame);
    }

    /// <summary>Every command waits for all earlier compute and transfer writes (conservative, and cheap next to a dispatch).</summary>
    private void Barrier(CommandBuffer cb)
    {
        var barrier = new MemoryBarrier
        {
            SType = StructureType.MemoryBarrier,
            SrcAccessMask = AccessFlags.ShaderWriteBit | AccessFlags.TransferWriteBit,
            DstAccessMask = AccessFlags.ShaderReadBit | AccessFlags.ShaderWriteBit | AccessFlags.TransferReadBit | AccessFlags.TransferWriteBit,
        };
        const PipelineStageFlags stages = PipelineStageFlags.ComputeShaderBit | PipelineStageFlags.TransferBit;
        _vk.CmdPipelineBarrier(cb, stages, stages, 0, 1, &barrier, 0, null, 0, null);
    }

    private Frame Begin()
    {
        var frame = _frames[_current];
        if (frame.Recording) return frame;
        if (frame.InFlight) Wait(frame);
        Check(_vk.ResetCommandPool(_device, frame.Pool, 0), "vkResetCommandPool");
        Check(_vk.ResetDescriptorPool(_device, frame.Descriptors, 0), "vkResetDescriptorPool");
        var begin = new CommandBufferBeginInfo { SType = StructureType.CommandBufferBeginInfo, Flags = CommandBufferUsageFlags.OneTimeSubmitBit };
        Check(_vk.BeginCommandBuffer(frame.Commands, &begin), "vkBeginCommandBuffer");
        frame.Recording = true;
        frame.Dispatches = 0;
        return frame;
    }

    /// <summary>A full frame (its descriptor pool is sized for <see cref="SetsPerFrame"/> commands) is submitted.</summary>
    private void Count(Frame frame)
    {
        if (++frame.Dispatches >= SetsPerFrame) Submit();
    }

    /// <summary>Submits the frame being recorded (if any) and moves on to the other frame.</summary>
    internal void Submit()
    {
        var frame = _frames[_current];
        if (!frame.Recording) return;
        var barrier = new MemoryBarrier
        {
            SType = StructureType.MemoryBarrier,
            SrcAccessMask = AccessFlags.ShaderWriteBit | AccessFlags.TransferWriteBit,
            DstAccessMask = AccessFlags.HostReadBit,
        };
        _vk.CmdPipelineBarrier(frame.Commands, PipelineStageFlags.ComputeShaderBit | PipelineStageFlags.TransferBit,
            PipelineStageFlags.HostBit, 0, 1, &barrier, 0, null, 0, null);
        Check(_vk.EndCommandBuffer(frame.Commands), "vkEndCommandBuffer");
        frame.Recording = false;
        var cb = frame.Commands;
        var submit = new SubmitInfo { SType = StructureType.SubmitInfo, CommandBufferCount = 1, PCommandBuffers = &cb };
        Check(_vk.QueueSubmit(_queue, 1, &submit, frame.Fence), "vkQueueSubmit");
        Submissions++;
        frame.InFlight = true;
        _current = (_current + 1) % _frames.Length;
    }

    private void Wait(Frame frame)
    {
        var fence = frame.Fence;
        Check(_vk.WaitForFences(_device, 1, &fence, true, ulong.MaxValue), "vkWaitForFences");
        Check(_vk.ResetFences(_device, 1, &fence), "vkResetFences");
        frame.InFlight = false;
        foreach (var a in frame.ReleaseAfter) Release(a);
        frame.ReleaseAfter.Clear();
    }

    /// <summary>Submits what is recorded and waits for every frame in flight.</summary>
    internal void Synchronize()
    {
        ThrowIfUnusable();
        Submit();
        foreach (var frame in _frames) if (frame.InFlight) Wait(frame);
    }

    // ---- timing -------------------------------------------------------------------------------------------------

    /// <summary>Writes a timestamp query before and after what <paramref name="record"/> records, and returns the device
    /// time between them in milliseconds; null when the queue has no timestamps.</summary>
    internal double? MeasureDeviceMilliseconds(Action record)
    {
        ThrowIfUnusable();
        if (_timestampBits == 0) return null;
        if (_queries.Handle == 0)
        {
            var info = new QueryPoolCreateInfo { SType = StructureType.QueryPoolCreateInfo, QueryType = QueryType.Timestamp, QueryCount = 2 };
            Check(_vk.CreateQueryPool(_device, &info, null, out _queries), "vkCreateQueryPool");
        }
        Synchronize();
        var frame = Begin();
        _vk.CmdResetQueryPool(frame.Commands, _queries, 0, 2);
        _vk.CmdWriteTimestamp(frame.Commands, PipelineStageFlags.TopOfPipeBit, _queries, 0);
        record();
        frame = Begin();
        Barrier(frame.Commands);
        _vk.CmdWriteTimestamp(frame.Commands, PipelineStageFlags.BottomOfPipeBit, _queries, 1);
        Synchronize();
        var stamps = stackalloc ulong[2];
        Check(_vk.GetQueryPoolResults(_device, _queries, 0, 2, 16, stamps, 8, QueryResultFlags.Result64Bit | QueryResultFlags.ResultWaitBit),
            "vkGetQueryPoolResults");
        ulong mask = _timestampBits >= 64 ? ulong.MaxValue : (1UL << (int)_timestampBits) - 1;
        return ((stamps[1] - stamps[0]) & mask) * (double)_timestampPeriod / 1e6;
    }

    // ---- errors -------------------------------------------------------------------------------------------------

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_lost) throw new VulkanDeviceLostException($"The Vulkan device {Info.Name} was lost; this backend accepts no further work.");
    }

    private void Check(Result result, string call, ulong requestedBytes = 0)
    {
        if (result == Result.ErrorDeviceLost) _lost = true;
        Throw(result, call, requestedBytes, Info is null ? null : $"{Info.Name} (tensor heap {_heapBytes / (1024 * 1024)} MiB)");
    }

    private static void Check(Result result, string call) => Throw(result, call, 0, null);

    /// <summary>Maps a failed VkResult to the backend's typed exceptions (success and positive codes return).</summary>
    internal static void Throw(Result result, string call, ulong requestedBytes, string? device)
    {
        if (result >= 0) return;
        string where = device is null ? call : $"{call} on {device}";
        throw result switch
        {
            Result.ErrorDeviceLost => new VulkanDeviceLostException($"{where}: VK_ERROR_DEVICE_LOST; this backend accepts no further work."),
            Result.ErrorOutOfDeviceMemory or Result.ErrorOutOfHostMemory or Result.ErrorOutOfPoolMemory => new VulkanOutOfMemoryException(
                $"{where}: {result}" + (requestedBytes > 0 ? $" while allocating {requestedBytes} bytes ({requestedBytes / (1024.0 * 1024.0):0.#} MiB)." : "."),
                requestedBytes),
            _ => new VulkanException($"{where} failed: {result} ({(int)result})."),
        };
    }

    public void Dispose()
    {
        if (_disposed) return;
        try { if (!_lost) Synchronize(); }
        catch (VulkanException) { }
        foreach (var frame in _frames)
            foreach (var a in frame.ReleaseAfter) Release(a);
        SavePipelineCache();
        _disposed = true;
        foreach (var stack in _free.Values)
            while (stack.Count > 0) Destroy(stack.Pop());
        foreach (var pipeline in _pipelines.Values) _vk.DestroyPipeline(_device, pipeline, null);
        foreach (var module in _modules.Values) _vk.DestroyShaderModule(_device, module, null);
        foreach (var frame in _frames)
        {
            _vk.DestroyDescriptorPool(_device, frame.Descriptors, null);
            _vk.DestroyFence(_device, frame.Fence, null);
            _vk.DestroyCommandPool(_device, frame.Pool, null);
        }
        if (_queries.Handle != 0) _vk.DestroyQueryPool(_device, _queries, null);
        _vk.DestroyPipelineCache(_device, _pipelineCache, null);
        _vk.DestroyPipelineLayout(_device, _pipelineLayout, null);
        _vk.DestroyDescriptorSetLayout(_device, _setLayout, null);
        _vk.DestroyDevice(_device, null);
        if (_messenger.Handle != 0) DestroyMessenger(_vk, _instance, _messenger);
        _vk.DestroyInstance(_instance, null);
        _messagesHandle.Free();
        _vk.Dispose();
    }

    /// <summary>Returns the blocks of buffers still alive at the backend's disposal to the pool, which Dispose then destroys.</summary>
    internal void ReleaseAll(IEnumerable<Allocation> allocations)
    {
        foreach (var a in allocations) Release(a);
    }
}
