using KerasGpu.Backend;

[assembly: BackendProvider("ilgpu", typeof(KerasGpu.Backends.Ilgpu.IlgpuBackendFactory))]

namespace KerasGpu.Backends.Ilgpu;

/// <summary>
/// Creates <see cref="IlgpuBackend"/>s for the names <c>ilgpu</c> (the best accelerator: CUDA, then OpenCL, then the
/// CPU accelerator), <c>ilgpu:cuda</c>, <c>ilgpu:opencl</c>, <c>ilgpu:cpu</c> and <c>ilgpu:KIND:INDEX</c>. Setting the
/// environment variable <c>KERAS_ILGPU_VERBOSE=1</c> prints the chosen device on creation.
/// </summary>
public sealed class IlgpuBackendFactory : IBackendFactory
{
    /// <inheritdoc />
    public IBackend Create(string? selector) =>
        new IlgpuBackend(selector, verbose: Environment.GetEnvironmentVariable("KERAS_ILGPU_VERBOSE") is "1" or "true");
}
