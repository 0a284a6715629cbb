using ILGPU.Runtime.CPU;
using KerasGpu.Backend;
using KerasGpu.Backends.Ilgpu;

namespace KerasGpu.Conformance;

/// <summary>An ILGPU CPU accelerator with 16-thread groups, large enough to run the GPU-shaped kernels (4×4-thread
/// MatMul tiles, group reductions) that the default CPU device never picks.</summary>
public sealed class IlgpuWideCpuFixture : IDisposable
{
    internal IlgpuBackend Backend { get; } = new("cpu", verbose: false, new CPUDevice(4, 4, 1));

    public void Dispose() => Backend.Dispose();
}

/// <summary>
/// The kernel versions the conformance suite does not reach on ilgpu:cpu (it runs each device's choice): the naive
/// MatMul (the readable reference) and the shared-memory tiled one (the GPU kernel), and the group-per-output Reduce,
/// all against the same float64 references and tolerances.
/// </summary>
public sealed class IlgpuKernelVariantTests(IlgpuWideCpuFixture fixture) : IClassFixture<IlgpuWideCpuFixture>
{
    private readonly IlgpuBackend _backend = fixture.Backend;

    public static TheoryData<IlgpuMatMulKernel, int, int, int, bool, bool, bool> MatMuls
    {
        get
        {
            var data = new TheoryData<IlgpuMatMulKernel, int, int, int, bool, bool, bool>();
            foreach (var kernel in new[] { IlgpuMatMulKernel.Naive, IlgpuMatMulKernel.Tiled })
                foreach (var (m, n, k) in new[] { (1, 1, 1), (17, 33, 65), (40, 18, 37) })
                    foreach (bool ta in new[] { false, true })
                        foreach (bool tb in new[] { false, true })
                        {
                            data.Add(kernel, m, n, k, ta, tb, false);
                            data.Add(kernel, m, n, k, ta, tb, true);
                        }
            data.Add(IlgpuMatMulKernel.Tiled, 3, 5, 0, false, false, false);
            return data;
        }
    }

    /// <summary>Forward with bias + sigmoid (the fused epilogue), or accumulating into Y.</summary>
    [Theory, MemberData(nameof(MatMuls))]
    public void MatMulVariant_MatchesReference(IlgpuMatMulKernel kernel, int m, int n, int k, bool ta, bool tb, bool accumulate)
    {
        using var d = new DeviceScope(_backend);
        _backend.MatMulKernel = kernel;
        try
        {
            var shape = new MatMulShape(m, n, k, ta, tb);
            int seed = Inputs.Seed(kernel, shape, accumulate);
            float[] a = Inputs.Uniform(seed, m * k), b = Inputs.Uniform(seed + 1, k * n);
            float[]? bias = accumulate ? null : Inputs.Uniform(seed + 2, n), y0 = accumulate ? Inputs.Uniform(seed + 3, m * n) : null;
            var activation = accumulate ? ActivationKind.Linear : ActivationKind.Sigmoid;
            var y = y0 is null ? d.Nan(m * n) : d.Upload(y0);
            _backend.MatMul(d.Upload(a), d.Upload(b), y, shape, bias is null ? null : d.Upload(bias), activation, accumulate);
            double[] da = Inputs.ToDouble(a), db = Inputs.ToDouble(b);
            double[]? dBias = bias is null ? null : Inputs.ToDouble(bias), dY0 = y0 is null ? null : Inputs.ToDouble(y0);
            Check.Close($"{kernel} MatMul {shape}, accumulate={accumulate}", d.Read(y), MatMulRef.Forward(da, db, shape, dBias, activation, dY0),
                Tolerances.MatMul(k, activation), MatMulRef.Magnitude(da, db, shape, dBias, dY0));
        }
        finally
        {
            _backend.MatMulKernel = IlgpuMatMulKernel.Auto;
        }
    }

    public static TheoryData<ReduceOp, int, int, int, bool> Reductions
    {
        get
        {
            var data = new TheoryData<ReduceOp, int, int, int, bool>();
            foreach (var op in Enum.GetValues<ReduceOp>())
                foreach (var (o, a, i) in new[] { (1, 1, 1), (3, 7, 5), (1, 257, 3), (2, 3079, 2) })
                    data.Add(op, o, a, i, op == ReduceOp.Sum && a == 7);
            return data;
        }
    }

    [Theory, MemberData(nameof(Reductions))]
    public void GroupedReduce_MatchesReference(ReduceOp op, int outer, int axis, int inner, bool accumulate)
    {
        using var d = new DeviceScope(_backend);
        _backend.GroupedReduce = true;
        try
        {
            int seed = Inputs.Seed(op, outer, axis, inner, accumulate, "grouped");
            var x = Inputs.Normal(seed, outer * axis * inner, 2);
            if (axis > 2) x[inner + 1] = float.NaN;
            var y0 = accumulate ? Inputs.Normal(seed + 1, outer * inner) : null;
            var y = y0 is null ? d.Nan(outer * inner) : d.Upload(y0);
            _backend.Reduce(op, d.Upload(x), outer, axis, inner, y, accumulate);
            var (expected, magnitude) = ReduceRef.Forward(op, Inputs.ToDouble(x), outer, axis, inner, y0 is null ? null : Inputs.ToDouble(y0));
            Check.Close($"grouped Reduce {op} [{outer}, {axis}, {inner}]", d.Read(y), expected, Tolerances.Reduce(op, axis), magnitude);
        }
        finally
        {
            _backend.GroupedReduce = null;
        }
    }
}
