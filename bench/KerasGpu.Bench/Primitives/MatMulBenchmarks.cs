using BenchmarkDotNet.Attributes;
using KerasGpu.Backend;
using KerasGpu.Bench.Infrastructure;

namespace KerasGpu.Bench.Primitives;

/// <summary>
/// One GEMM case. Square cases are <c>n×n×n</c>, NN, and NT/TN at the target sizes (1024, 2048). MLP cases name a dense layer as <c>batch×in×out</c> and the
/// product backprop computes with it: NN is the forward <c>Y = X·W</c> (M=batch, K=in, N=out), NT is
/// <c>dX = dY·Wᵀ</c> (M=batch, K=out, N=in), TN is <c>dW = Xᵀ·dY</c> (M=in, K=batch, N=out).
/// </summary>
public sealed record MatMulCase(string Label, MatMulShape Shape) : IComparable
{
    private static readonly string[] s_order = ["NN", "NT", "TN"];

    public static MatMulCase Square(int n, string kind = "NN") =>
        new($"{n}^3 {kind}", new MatMulShape(n, n, n, TransposeA: kind == "TN", TransposeB: kind == "NT"));

    /// <summary>Tables list squares by size, then the MLP layers in model order, each as NN, NT, TN.</summary>
    public int CompareTo(object? obj) => obj is MatMulCase other ? SortKey().CompareTo(other.SortKey()) : 1;

    private (int, int, int) SortKey()
    {
        if (Label.Contains('^')) return (0, Shape.M, Array.IndexOf(s_order, Label[^2..]));
        int layer = Array.FindIndex(MlpLayers, l => Label.StartsWith($"{l.Batch}x{l.In}x{l.Out} ", StringComparison.Ordinal));
        return (1, layer, Array.IndexOf(s_order, Label[^2..]));
    }

    public static IEnumerable<MatMulCase> Layer(int batch, int inputs, int outputs)
    {
        string layer = $"{batch}x{inputs}x{outputs}";
        yield return new($"{layer} NN", new MatMulShape(batch, outputs, inputs));
        yield return new($"{layer} NT", new MatMulShape(batch, inputs, outputs, TransposeB: true));
        yield return new($"{layer} TN", new MatMulShape(inputs, outputs, batch, TransposeA: true));
    }

    /// <summary>The dense-layer shapes of the MNIST MLPs (784-64-10 at batch 64, 784-512-512-10 at batch 128).</summary>
    public static readonly (int Batch, int In, int Out)[] MlpLayers =
        [(64, 784, 64), (64, 64, 10), (128, 784, 512), (128, 512, 512), (128, 512, 10)];

    public override string ToString() => Label;
}

/// <summary>MatMul (<see cref="IBackend.MatMul"/>) at square sizes and at the MLP layer shapes; reports GFLOP/s.</summary>
public class MatMulBenchmarks : KernelBenchmark
{
    private IDeviceBuffer _a = null!, _b = null!, _y = null!;

    [ParamsSource(nameof(Cases))]
    public MatMulCase Case { get; set; } = MatMulCase.Square(256);

    public static IEnumerable<MatMulCase> Cases
    {
        get
        {
            int[] squares = BenchEnvironment.Quick ? [256, 512, 1024, 2048] : [256, 512, 1024, 2048, 4096];
            foreach (int n in squares)
            {
                yield return MatMulCase.Square(n);
                if (n is 1024 or 2048)
                {
                    yield return MatMulCase.Square(n, "NT");
                    yield return MatMulCase.Square(n, "TN");
                }
            }
            foreach (var (b, i, o) in MatMulCase.MlpLayers)
                foreach (var c in MatMulCase.Layer(b, i, o)) yield return c;
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        CreateBackend();
        var s = Case.Shape;
        _a = Floats((long)s.M * s.K);
        _b = Floats((long)s.K * s.N);
        _y = Floats((long)s.M * s.N);
    }

    [Benchmark]
    public void MatMul()
    {
        Run(() => Device.MatMul(_a, _b, _y, Case.Shape));
    }
}
