using System.Reflection;

namespace KerasGpu.Backends.Vulkan;

/// <summary>The SPIR-V of shaders/*.comp, embedded at build time (compiled by glslc when present, else the committed copy).</summary>
internal static class Shaders
{
    private static readonly Assembly s_assembly = typeof(Shaders).Assembly;

    /// <summary>The SPIR-V words of <c>shaders/<paramref name="name"/>.comp</c>.</summary>
    public static byte[] Load(string name)
    {
        using var stream = s_assembly.GetManifestResourceStream($"shaders/{name}.spv")
            ?? throw new InvalidOperationException($"The shader '{name}' is not embedded in {s_assembly.GetName().Name}.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The embedded manifest: SHA-256 (hex) of every shader source and include, by path under shaders/.</summary>
    public static IReadOnlyDictionary<string, string> Manifest()
    {
        using var stream = s_assembly.GetManifestResourceStream("shaders/manifest.txt")
            ?? throw new InvalidOperationException("The shader manifest is not embedded.");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            int space = line.IndexOf(' ');
            if (space > 0) map[line[(space + 1)..].Trim()] = line[..space];
        }
        return map;
    }

    /// <summary>Names of the embedded shaders.</summary>
    public static IEnumerable<string> Names() => s_assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("shaders/", StringComparison.Ordinal) && n.EndsWith(".spv", StringComparison.Ordinal))
        .Select(n => n["shaders/".Length..^".spv".Length]);
}
