using System.Text.Json;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Backend;

/// <summary>
/// Known backends by name and the rule that picks one. A name may carry a device selector after a colon
/// (<c>"ilgpu:cuda:1"</c>): the part before the first colon picks the provider, the rest is passed to it.
/// </summary>
public static class BackendRegistry
{
    /// <summary>The environment variable Keras reads, <c>KERAS_BACKEND</c>.</summary>
    public const string EnvironmentVariable = "KERAS_BACKEND";

    /// <summary>The backend used when nothing names one.</summary>
    public const string DefaultName = "cpu";

    /// <summary>Backend names of Python Keras; a keras.json written by Python Keras names one of these.</summary>
    private static readonly string[] s_pythonKerasBackends = ["tensorflow", "jax", "torch", "numpy", "openvino"];

    private static readonly Dictionary<string, Func<string?, IBackend>> s_providers = new(StringComparer.Ordinal)
    {
        // "cpu:N" caps every kernel at N threads (benchmarks against single-threaded peers use "cpu:1").
        ["cpu"] = selector => selector is null ? new CpuBackend()
            : int.TryParse(selector, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int threads) && threads > 0
                ? new CpuBackend(threads)
                : throw new ArgumentException($"The cpu backend's selector is a thread count (\"cpu:1\", \"cpu:2\", ...); received \"cpu:{selector}\"."),
    };

    private static bool s_discovered;

    /// <summary>Registered provider names (built in, discovered beside the application, or registered), sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            Discover();
            lock (s_providers) return [.. s_providers.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Registers the providers declared by <see cref="BackendProviderAttribute"/> on loaded assemblies and on
    /// <c>KerasGpu.Backends.*.dll</c> files in the application's folder. Runs once; a file that fails to load is skipped
    /// (its name then stays unknown, and the unknown-name error lists what is available).
    /// </summary>
    private static void Discover()
    {
        lock (s_providers)
        {
            if (s_discovered) return;
            s_discovered = true;
        }
        var assemblies = AppDomain.CurrentDomain.GetAssemblies().ToList();
        foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory, "KerasGpu.Backends.*.dll"))
        {
            var name = System.Reflection.AssemblyName.GetAssemblyName(path);
            if (assemblies.Any(a => a.GetName().Name == name.Name)) continue;
            try { assemblies.Add(System.Reflection.Assembly.LoadFrom(path)); }
            catch (Exception e) when (e is IOException or BadImageFormatException) { }
        }
        foreach (var assembly in assemblies)
            foreach (var attribute in assembly.GetCustomAttributes(typeof(BackendProviderAttribute), false).Cast<BackendProviderAttribute>())
            {
                lock (s_providers)
                {
                    if (s_providers.ContainsKey(attribute.Name)) continue;
                    var factory = (IBackendFactory)Activator.CreateInstance(attribute.FactoryType)!;
                    s_providers[attribute.Name] = factory.Create;
                }
            }
    }

    /// <summary>Registers a provider (e.g. a GPU backend assembly registering <c>"ilgpu"</c>).</summary>
    public static void Register(string name, Func<string?, IBackend> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (name.Contains(':')) throw new ArgumentException($"A backend name cannot contain ':'; received \"{name}\".", nameof(name));
        lock (s_providers) s_providers[name] = factory;
    }

    /// <summary>Creates the backend a name designates.</summary>
    /// <exception cref="ArgumentException">The provider is unknown; the message lists the known ones.</exception>
    public static IBackend Create(string name)
    {
        var (provider, selector) = Split(name);
        Discover();
        Func<string?, IBackend>? factory;
        lock (s_providers) s_providers.TryGetValue(provider, out factory);
        if (factory is null) throw UnknownBackend(name, "");
        return factory(selector);
    }

    /// <summary>Throws unless <paramref name="name"/>'s provider is registered.</summary>
    public static void Validate(string name, string source = "")
    {
        var (provider, _) = Split(name);
        Discover();
        lock (s_providers) if (s_providers.ContainsKey(provider)) return;
        throw UnknownBackend(name, source);
    }

    private static (string Provider, string? Selector) Split(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        int colon = name.IndexOf(':');
        return colon < 0 ? (name.Trim(), null) : (name[..colon].Trim(), name[(colon + 1)..].Trim());
    }

    private static ArgumentException UnknownBackend(string name, string source) => new(
        $"Unknown backend \"{name}\"{source}. Known backends: {string.Join(", ", Names)}.");

    /// <summary>
    /// Picks the backend name: an explicit <see cref="Keras.Config.SetBackend"/> call wins (as Keras'
    /// <c>keras.config.set_backend</c> does), then <c>KERAS_BACKEND</c>, then the <c>"backend"</c> field of
    /// <c>$KERAS_HOME/keras.json</c> (or <c>~/.keras/keras.json</c>), then <see cref="DefaultName"/>.
    /// </summary>
    internal static string Resolve(string? programmatic, TextWriter? notices = null)
    {
        if (programmatic is not null) return programmatic;
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            Validate(env, $" (from the {EnvironmentVariable} environment variable)");
            return env;
        }
        string path = Path.Combine(KerasHome.Directory, "keras.json");
        string? fromFile = ReadConfigBackend(path);
        if (fromFile is null) return DefaultName;
        if (s_pythonKerasBackends.Contains(fromFile))
        {
            // A keras.json written by Python Keras: not an error for us, but say why it is not used.
            (notices ?? Console.Error).WriteLine($"{path} names the Python Keras backend \"{fromFile}\"; KerasGpu uses \"{DefaultName}\". Set {EnvironmentVariable} to choose one of: {string.Join(", ", Names)}.");
            return DefaultName;
        }
        Validate(fromFile, $" (from {path})");
        return fromFile;
    }

    private static string? ReadConfigBackend(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("backend", out var b) && b.ValueKind == JsonValueKind.String
                ? b.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
