namespace KerasGpu.Backend;

/// <summary>Creates backends of one provider from an optional device selector (the part after <c>name:</c>).</summary>
public interface IBackendFactory
{
    /// <summary>Creates a backend; <paramref name="selector"/> is null for the bare name (the provider's best device).</summary>
    /// <exception cref="ArgumentException">The selector names no device that exists; the message lists those found.</exception>
    IBackend Create(string? selector);
}

/// <summary>
/// Declares, on a backend assembly, the provider name it serves and its <see cref="IBackendFactory"/> type (with a
/// public parameterless constructor). <see cref="BackendRegistry"/> finds such assemblies beside the application as
/// <c>KerasGpu.Backends.*.dll</c>, so referencing a backend package is all it takes to make its name available.
/// </summary>
/// <param name="name">The provider name, e.g. <c>"ilgpu"</c>.</param>
/// <param name="factoryType">A type implementing <see cref="IBackendFactory"/>.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class BackendProviderAttribute(string name, Type factoryType) : Attribute
{
    /// <summary>The provider name.</summary>
    public string Name { get; } = name;

    /// <summary>The factory type.</summary>
    public Type FactoryType { get; } = factoryType;
}
