// The KerasGpu benchmark suite: every kernel on every backend present, plus end-to-end training epochs.
// Usage: dotnet run -c Release --project bench/KerasGpu.Bench -- [--quick] [--out DIR] [--backends a,b] [--in-process]
//        [--list-backends] [BenchmarkDotNet options, e.g. --filter '*MatMul*']
using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using KerasGpu.Bench.Infrastructure;
using KerasGpu.Bench.Primitives;
using KerasGpu.Bench.Training;

bool quick = false, listOnly = false, trainingChild = false;
// A self-contained publish has no SDK to build BenchmarkDotNet's child project: run in process there.
bool inProcess = File.Exists(Path.Combine(AppContext.BaseDirectory, "libcoreclr.so"));
string? outDir = null, backends = null;
var passThrough = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--list-backends": listOnly = true; break;
        case "--in-process": inProcess = true; break;
        case "--training-child": trainingChild = true; inProcess = true; break;
        case "--out" when i + 1 < args.Length: outDir = Path.GetFullPath(args[++i]); break;
        case "--backends" when i + 1 < args.Length: backends = args[++i]; break;
        case "--out" or "--backends":
            Console.Error.WriteLine($"{args[i]} needs a value.");
            return 2;
        case "-h" or "--help":
            Console.WriteLine("KerasGpu.Bench [--quick] [--out DIR] [--backends cpu,vulkan,...] [--in-process] [--list-backends] [BenchmarkDotNet options such as --filter '*MatMul*']");
            return 0;
        default: passThrough.Add(args[i]); break;
    }
}
var filters = FilterPatterns(passThrough);
if (filters.Count == 0)
{
    filters.Add("*");
    passThrough.AddRange(["--filter", "*"]);
}

// Children inherit these (BenchmarkDotNet re-evaluates [ParamsSource] in each benchmark process).
Environment.SetEnvironmentVariable(BenchEnvironment.ModeVariable, quick ? "quick" : "full");
Environment.SetEnvironmentVariable(BenchEnvironment.InProcessVariable, inProcess ? "1" : null);
if (backends is not null) Environment.SetEnvironmentVariable(BenchEnvironment.BackendsVariable, backends);
string artifacts = outDir ?? Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
Directory.CreateDirectory(artifacts);
string sidecar = Path.Combine(artifacts, "kerasgpu-memory.jsonl");
File.Delete(sidecar);
Environment.SetEnvironmentVariable(BenchEnvironment.SidecarVariable, sidecar);
bool viaDotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet";
string self = viaDotnet ? $"dotnet {Environment.GetCommandLineArgs()[0]}" : Environment.ProcessPath!;
string command = Environment.GetEnvironmentVariable(BenchEnvironment.CommandVariable) ?? $"{self} {string.Join(' ', args)}".Trim();

if (!trainingChild) BackendCatalog.Print(Console.Out);
if (listOnly) return 0;
if (!BackendCatalog.Selected.Any())
{
    Console.Error.WriteLine("No backend to benchmark.");
    return 1;
}

Type[] kernels =
[
    typeof(MatMulBenchmarks), typeof(ActivationBenchmarks), typeof(SoftmaxBenchmarks), typeof(ReductionBenchmarks),
    typeof(OptimizerBenchmarks), typeof(GatherBenchmarks),
];
Type training = typeof(MlpEpochBenchmarks);
var config = DefaultConfig.Instance.WithArtifactsPath(artifacts);
var summaries = new List<BenchmarkDotNet.Reports.Summary>();
var extraRows = new List<string>();
bool childFailed = false;

// The kernel cases run in this process in quick mode and with --in-process: bring the CPU GEMM code to the JIT's
// optimised tier first (without it the first case measured tier-0 code, 256^3 at ~20 ms per product).
bool kernelsHere = !trainingChild && (quick || inProcess) && FilterMatches(kernels, filters);
if (kernelsHere) JitWarmup.CpuGemm();

if (trainingChild || !inProcess)
{
    Type[] types = trainingChild ? [training] : [.. kernels, training];
    summaries.AddRange(BenchmarkSwitcher.FromTypes(types).Run([.. passThrough], config));
}
else
{
    // In process, a process holds one Keras backend and its peak working set must be the epoch's own:
    // kernels run here, each training case (method x backend) in a child process of this executable.
    if (kernelsHere) summaries.AddRange(BenchmarkSwitcher.FromTypes(kernels).Run([.. passThrough], config));
    var cases = BenchmarkConverter.TypeToBenchmarks(training, ManualConfig.CreateEmpty().AddFilter(new GlobFilter([.. filters]))).BenchmarksCases;
    foreach (var c in cases)
    {
        string method = Throughput.MethodName(c), backend = (string)Throughput.Parameter(c, "Backend")!;
        string childOut = Path.Combine(artifacts, $"training-{method}-{backend.Replace(':', '_')}");
        var psi = new ProcessStartInfo(viaDotnet ? "dotnet" : Environment.ProcessPath!) { UseShellExecute = false };
        if (viaDotnet) psi.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        foreach (string a in (string[])["--training-child", "--backends", backend, "--out", childOut, "--filter", $"*{training.Name}.{method}"])
            psi.ArgumentList.Add(a);
        if (quick) psi.ArgumentList.Add("--quick");
        Console.WriteLine($"// Training case {method} on {backend}: child process, artifacts in {childOut}");
        using var child = Process.Start(psi)!;
        child.WaitForExit();
        childFailed |= child.ExitCode != 0;
        string rows = Path.Combine(childOut, SummaryTable.RowsFile);
        extraRows.AddRange(File.Exists(rows) ? File.ReadAllLines(rows)
            : [$"| MlpEpoch.{method} | | {backend} | failed (child exit {child.ExitCode}) | - | - | - | - | - | - |"]);
    }
}

string table = SummaryTable.Write(summaries, extraRows, artifacts, command, quick, inProcess);
if (!trainingChild)
{
    Console.WriteLine();
    Console.WriteLine(File.ReadAllText(table));
    Console.WriteLine($"Summary table: {table}");
    BackendCatalog.Print(Console.Out);
}
bool failed = childFailed || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success))
    || (summaries.Count == 0 && extraRows.Count == 0);
return failed ? 1 : 0;

static List<string> FilterPatterns(List<string> arguments)
{
    var patterns = new List<string>();
    for (int i = 0; i < arguments.Count; i++)
        if (arguments[i] is "--filter" or "-f")
            for (int j = i + 1; j < arguments.Count && !arguments[j].StartsWith('-'); j++) patterns.Add(arguments[j]);
    return patterns;
}

static bool FilterMatches(Type[] types, List<string> patterns) => types.Any(t =>
    BenchmarkConverter.TypeToBenchmarks(t, ManualConfig.CreateEmpty().AddFilter(new GlobFilter([.. patterns]))).BenchmarksCases.Length > 0);
