using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>(M, N, K): unit, tiny odd, odd around powers of two, an MNIST dense layer (K = 784), a square block, and
    /// a narrow product (N ≤ 16, the classifier layer's shape) with ragged rows, columns and depth.</summary>
    private static readonly (int M, int N, int K)[] MatMulShapes = [(1, 1, 1), (2, 3, 4), (13, 21, 37), (17, 33, 65), (64, 10, 512), (64, 64, 784), (128, 128, 128), (45, 7, 300)];

    /// <summary>MatMul: M, N, K, transposeA, transposeB, bias, activation, accumulate.</summary>
    public static TheoryData<int, int, int, bool, bool, bool, ActivationKind, bool> MatMuls
    {
        get
        {
            var data = new TheoryData<int, int, int, bool, bool, bool, ActivationKind, bool>();
            foreach (var (m, n, k) in MatMulShapes)
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                    {
                        data.Add(m, n, k, ta, tb, false, ActivationKind.Linear, false);
                        foreach (var act in Enum.GetValues<ActivationKind>()) data.Add(m, n, k, ta, tb, true, act, false);
                        data.Add(m, n, k, ta, tb, false, ActivationKind.Relu, false);
                        data.Add(m, n, k, ta, tb, false, ActivationKind.Linear, true);
                    }
            // Shapes large enough for a cache-blocked path (the CPU backend packs at M·N >= 65536): several K and row
            // blocks with ragged edges, and N beyond one column block.
            foreach (var (m, n, k) in new[] { (203, 333, 517), (64, 1100, 9) })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                    {
                        data.Add(m, n, k, ta, tb, false, ActivationKind.Linear, false);
                        data.Add(m, n, k, ta, tb, true, ActivationKind.Relu, false);
                        data.Add(m, n, k, ta, tb, false, ActivationKind.Linear, true);
                        data.Add(m, n, k, ta, tb, true, ActivationKind.Relu, true);
                    }
            data.Add(3, 5, 0, false, false, true, ActivationKind.Sigmoid, false); // K = 0: Y = act(bias)
            data.Add(0, 5, 4, false, false, true, ActivationKind.Linear, false);
            return data;
        }
    }

    /// <summary>MatMul gradients (the two GEMMs of a dense layer's backward): M, N, K, transposeA, transposeB.</summary>
    public static TheoryData<int, int, int, bool, bool> MatMulGradients
    {
        get
        {
            var data = new TheoryData<int, int, int, bool, bool>();
            foreach (var (m, n, k) in new[] { (2, 3, 4), (17, 33, 65), (13, 21, 37), (64, 10, 784) })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                        data.Add(m, n, k, ta, tb);
            return data;
        }
    }
}

public abstract partial class BackendConformanceTests<TFixture>
{
    [Theory, MemberData(nameof(Cases.MatMuls), MemberType = typeof(Cases))]
    public void MatMul_MatchesReference(int m, int n, int k, bool ta, bool tb, bool withBias, ActivationKind activation, bool accumulate)
    {
        using var d = Open(nameof(IBackend.MatMul));
        var shape = new MatMulShape(m, n, k, ta, tb);
        int seed = Inputs.Seed(shape, withBias, activation, accumulate);
        var a = Inputs.Uniform(seed, m * k);
        var b = Inputs.Uniform(seed + 1, k * n);
        var bias = withBias ? Inputs.Uniform(seed + 2, n) : null;
        var y0 = accumulate ? Inputs.Uniform(seed + 3, m * n) : null;
        var y = y0 is null ? d.Nan(m * n) : d.Upload(y0);
        Backend.MatMul(d.Upload(a), d.Upload(b), y, shape, bias is null ? null : d.Upload(bias), activation, accumulate);

        double[] da = Inputs.ToDouble(a), db = Inputs.ToDouble(b);
        double[]? dBias = bias is null ? null : Inputs.ToDouble(bias), dY0 = y0 is null ? null : Inputs.ToDouble(y0);
        Check.Close($"MatMul {shape}, bias={withBias}, {activation}, accumulate={accumulate}", d.Read(y),
            MatMulRef.Forward(da, db, shape, dBias, activation, dY0), Tolerances.MatMul(k, activation),
            MatMulRef.Magnitude(da, db, shape, dBias, dY0));
    }

    [Theory, MemberData(nameof(Cases.MatMulGradients), MemberType = typeof(Cases))]
    public void MatMulBackward_MatchesReference(int m, int n, int k, bool ta, bool tb)
    {
        using var d = Open(nameof(IBackend.MatMul));
        var shape = new MatMulShape(m, n, k, ta, tb);
        int seed = Inputs.Seed(shape, "grad");
        float[] a = Inputs.Uniform(seed, m * k), b = Inputs.Uniform(seed + 1, k * n), dy = Inputs.Normal(seed + 2, m * n);
        IDeviceBuffer ba = d.Upload(a), bb = d.Upload(b), bdy = d.Upload(dy), gA = d.Nan(m * k), gB = d.Nan(k * n);
        var (sa, dyFirstA, sb, dyFirstB) = MatMulRef.BackwardShapes(shape);
        Backend.MatMul(dyFirstA ? bdy : bb, dyFirstA ? bb : bdy, gA, sa);
        Backend.MatMul(dyFirstB ? bdy : ba, dyFirstB ? ba : bdy, gB, sb);

        double[] da = Inputs.ToDouble(a), db = Inputs.ToDouble(b), ddy = Inputs.ToDouble(dy);
        var (expectA, expectB) = MatMulRef.Backward(da, db, shape, ddy);
        var magA = dyFirstA ? MatMulRef.Magnitude(ddy, db, sa, null, null) : MatMulRef.Magnitude(db, ddy, sa, null, null);
        var magB = dyFirstB ? MatMulRef.Magnitude(ddy, da, sb, null, null) : MatMulRef.Magnitude(da, ddy, sb, null, null);
        Check.Close($"dA of {shape} via {sa}", d.Read(gA), expectA, Tolerances.MatMul(sa.K, ActivationKind.Linear), magA);
        Check.Close($"dB of {shape} via {sb}", d.Read(gB), expectB, Tolerances.MatMul(sb.K, ActivationKind.Linear), magB);
    }
}
