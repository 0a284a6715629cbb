// The KerasGpu benchmark suite: every kernel on every backend present, plus end-to-end training epochs.
// Usage: dotnet run -c Release --project bench/KerasGpu.Bench -- [--quick] [--out DIR] [--backends a,b] [--list-backends]
//        [BenchmarkDotNet options, e.g. --filter '*MatMul*']
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using KerasGpu.Bench.Infrastructure;
using KerasGpu.Bench.Primitives;
using KerasGpu.Bench.Training;

bool quick = false, listOnly = false;
string? outDir = null, backends = null;
var passThrough = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": quick = true; break;
        case "--list-backends": listOnly = true; break;
        case "--out" when i + 1 < args.Length: outDir = Path.GetFullPath(args[++i]); break;
        case "--backends" when i + 1 < args.Length: backends = args[++i]; break;
        case "--out" or "--backends":
            Console.Error.WriteLine($"{args[i]} needs a value.");
            return 2;
        case "-h" or "--help":
            Console.WriteLine("KerasGpu.Bench [--quick] [--out DIR] [--backends cpu,vulkan,...] [--list-backends] [BenchmarkDotNet options such as --filter '*MatMul*']");
            return 0;
        default: passThrough.Add(args[i]); break;
    }
}
if (!passThrough.Contains("--filter") && !passThrough.Contains("-f")) passThrough.AddRange(["--filter", "*"]);

// Children inherit these (BenchmarkDotNet re-evaluates [ParamsSource] in each benchmark process).
Environment.SetEnvironmentVariable(BenchEnvironment.ModeVariable, quick ? "quick" : "full");
if (backends is not null) Environment.SetEnvironmentVariable(BenchEnvironment.BackendsVariable, backends);
string artifacts = outDir ?? Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
Directory.CreateDirectory(artifacts);
string sidecar = Path.Combine(artifacts, "kerasgpu-memory.jsonl");
File.Delete(sidecar);
Environment.SetEnvironmentVariable(BenchEnvironment.SidecarVariable, sidecar);
string command = Environment.GetEnvironmentVariable(BenchEnvironment.CommandVariable)
    ?? $"{(Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? "dotnet " + Environment.GetCommandLineArgs()[0] : Environment.ProcessPath)} {string.Join(' ', args)}".Trim();

BackendCatalog.Print(Console.Out);
if (listOnly) return 0;
if (!BackendCatalog.Selected.Any())
{
    Console.Error.WriteLine("No backend to benchmark.");
    return 1;
}

Type[] types =
[
    typeof(MatMulBenchmarks), typeof(ActivationBenchmarks), typeof(SoftmaxBenchmarks), typeof(ReductionBenchmarks),
    typeof(OptimizerBenchmarks), typeof(GatherBenchmarks), typeof(MlpEpochBenchmarks),
];
var config = DefaultConfig.Instance.WithArtifactsPath(artifacts);
var summaries = BenchmarkSwitcher.FromTypes(types).Run([.. passThrough], config).ToList();

string table = SummaryTable.Write(summaries, artifacts, command, quick);
Console.WriteLine();
Console.WriteLine(File.ReadAllText(table));
Console.WriteLine($"Summary table: {table}");
BackendCatalog.Print(Console.Out);
return summaries.Count == 0 || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
