using KerasGpu.Backend;

namespace KerasGpu.Bench.Infrastructure;

/// <summary>One backend name the suite knows, and whether it can be created on this machine.</summary>
/// <param name="Name">Registry name with device selector, e.g. <c>"cpu"</c> or <c>"ilgpu:cuda"</c>.</param>
/// <param name="Present">Whether <see cref="BackendRegistry.Create"/> succeeded here.</param>
/// <param name="DeviceName">The backend's <see cref="IBackend.DeviceName"/> when present.</param>
/// <param name="Reason">Why it is absent (or was skipped) when not benchmarked.</param>
/// <param name="Selected">Present and not excluded by <c>--backends</c>.</param>
public sealed record BackendProbe(string Name, bool Present, string? DeviceName, string? Reason, bool Selected)
{
    /// <summary>A GPU backend running on a CPU implementation (ILGPU's CPU accelerator, Vulkan on lavapipe/llvmpipe):
    /// correct but one to two orders of magnitude slower, so quick mode runs only its small cases.</summary>
    public bool Emulated => Name == "ilgpu:cpu" || (Name.StartsWith("vulkan", StringComparison.Ordinal)
        && DeviceName is { } d && (d.Contains("llvmpipe", StringComparison.Ordinal) || d.Contains("(Cpu;", StringComparison.Ordinal)));
}

/// <summary>
/// Lists every backend name that can be benchmarked here: the registry's providers plus the device selectors the
/// project plans (ILGPU's CPU/CUDA/OpenCL accelerators, Vulkan). Each is created once and disposed; the ones that
/// cannot be created are listed with the reason instead of failing the run.
/// </summary>
public static class BackendCatalog
{
    /// <summary>Device selectors of the backends the architecture plans, probed even when their provider is not registered.</summary>
    public static readonly string[] KnownSelectors = ["cpu", "cpu:1", "ilgpu:cpu", "ilgpu:cuda", "ilgpu:opencl", "vulkan"];

    /// <summary>Selectors benchmarked only when <c>--backends</c> names them: the single-threaded CPU backend, for
    /// comparisons with single-threaded peers.</summary>
    public static readonly string[] OptInSelectors = ["cpu:1"];

    private static readonly Lazy<IReadOnlyList<BackendProbe>> s_probes = new(Probe);

    /// <summary>Every candidate with its status, in a stable order.</summary>
    public static IReadOnlyList<BackendProbe> All => s_probes.Value;

    /// <summary>The backend names the benchmarks are parameterised by (<c>[ParamsSource]</c>).</summary>
    public static IEnumerable<string> Selected => All.Where(p => p.Selected).Select(p => p.Name);

    private static IReadOnlyList<BackendProbe> Probe()
    {
        var registered = BackendRegistry.Names;
        var candidates = new List<string>();
        foreach (string provider in registered)
        {
            var selectors = KnownSelectors.Where(s => s.StartsWith(provider + ":", StringComparison.Ordinal)).ToList();
            candidates.AddRange(selectors.Count > 0 ? selectors : [provider]);
        }
        candidates.AddRange(KnownSelectors.Where(s => !candidates.Contains(s)));

        var requested = BenchEnvironment.RequestedBackends;
        var probes = new List<BackendProbe>();
        foreach (string name in candidates)
        {
            string provider = name.Split(':')[0];
            if (!registered.Contains(provider))
            {
                probes.Add(new(name, false, null,
                    $"provider \"{provider}\" is not registered in this build (registered: {string.Join(", ", registered)})", false));
                continue;
            }
            try
            {
                using var backend = BackendRegistry.Create(name);
                bool selected = requested is null ? !OptInSelectors.Contains(name) : requested.Contains(name);
                string? reason = selected ? null : requested is null ? "opt-in: pass --backends " + name : "not in --backends";
                probes.Add(new(name, true, backend.DeviceName, reason, selected));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                probes.Add(new(name, false, null, $"{e.GetType().Name}: {e.Message}", false));
            }
        }
        foreach (string name in requested ?? [])
            if (!probes.Any(p => p.Name == name))
                probes.Add(new(name, false, null, "requested with --backends but not a known backend name", false));
        return probes;
    }

    /// <summary>Whether <paramref name="name"/> is an emulated GPU backend (see <see cref="BackendProbe.Emulated"/>).</summary>
    public static bool IsEmulated(string name) => All.Any(p => p.Name == name && p.Emulated);

    /// <summary>Prints the catalogue: what is benchmarked, what is absent and why.</summary>
    public static void Print(TextWriter writer)
    {
        writer.WriteLine("KerasGpu backends on this machine:");
        foreach (var p in All)
            writer.WriteLine(p.Present
                ? $"  {p.Name,-14} present  {p.DeviceName}{(p.Emulated ? "  [emulated: quick mode runs its small cases only]" : "")}{(p.Selected ? "" : $"  (skipped: {p.Reason})")}"
                : $"  {p.Name,-14} ABSENT   {p.Reason}");
    }
}
