namespace KerasGpu.Backend;

/// <summary>
/// Optional capability of a backend: device-side timing of a group of kernel launches (Vulkan timestamp queries,
/// CUDA events), so benchmarks can report device time beside wall time.
/// </summary>
public interface IDeviceTimer
{
    /// <summary>
    /// Runs <paramref name="launches"/> (kernel launches only, no downloads or synchronisation) and returns the device
    /// time between its first and last kernel; waits for earlier work first and for these kernels at the end. Null when
    /// the device cannot time its queue.
    /// </summary>
    TimeSpan? MeasureDeviceTime(Action launches);
}
