using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>SGD: length, momentum factor (0 = no momentum buffer), Nesterov.</summary>
    public static TheoryData<int, float, bool> Sgds
    {
        get
        {
            var data = new TheoryData<int, float, bool>();
            foreach (int n in Lengths) data.Add(n, 0f, false);
            foreach (int n in new[] { 1, 33, 3079 }) { data.Add(n, 0.9f, false); data.Add(n, 0.9f, true); }
            return data;
        }
    }

    /// <summary>RMSprop: length, momentum factor, centered, gradient scale (1e-4: the second moment is below ε, so
    /// where ε sits — inside the square root — decides the step).</summary>
    public static TheoryData<int, float, bool, float> RmsProps
    {
        get
        {
            var data = new TheoryData<int, float, bool, float>();
            foreach (int n in Lengths) data.Add(n, 0f, false, 1f);
            foreach (int n in new[] { 1, 33, 3079 }) { data.Add(n, 0.9f, false, 1f); data.Add(n, 0f, true, 1f); data.Add(n, 0.9f, true, 1f); }
            data.Add(257, 0f, false, 1e-4f);
            data.Add(257, 0.9f, true, 1e-4f);
            return data;
        }
    }

    /// <summary>Adam: length, AMSGrad, step t (for α), gradient scale (1e-5: sqrt(v) is below ε).</summary>
    public static TheoryData<int, bool, int, float> Adams
    {
        get
        {
            var data = new TheoryData<int, bool, int, float>();
            foreach (int n in Lengths) data.Add(n, false, 1, 1f);
            foreach (int n in new[] { 1, 33, 3079 }) { data.Add(n, false, 1000, 1f); data.Add(n, true, 1, 1f); data.Add(n, true, 1000, 1f); }
            data.Add(257, false, 10, 1e-5f);
            data.Add(257, true, 10, 1e-5f);
            return data;
        }
    }
}

public abstract partial class BackendConformanceTests<TFixture>
{
    /// <summary>Uploads a state buffer, or returns null when the optimizer runs without it.</summary>
    private static IDeviceBuffer? State(DeviceScope d, float[]? host) => host is null ? null : d.Upload(host);

    /// <summary>Compares every updated buffer with its reference; magnitude = |old| + |new| + |new − old|.</summary>
    private static void CheckUpdated(string what, DeviceScope d, (string Name, IDeviceBuffer? Buffer, float[]? Before, double[]? After)[] buffers)
    {
        foreach (var (name, buffer, before, after) in buffers)
        {
            if (buffer is null) continue;
            Check.Close($"{what}: {name}", d.Read(buffer), after!, Tolerances.Optimizer, OptimizerRef.Magnitude(Inputs.ToDouble(before!), after!));
        }
    }

    [Theory, MemberData(nameof(Cases.Sgds), MemberType = typeof(Cases))]
    public void SgdUpdate_MatchesReference(int length, float momentum, bool nesterov)
    {
        using var d = Open(nameof(IBackend.SgdUpdate));
        const float lr = 0.01f;
        int seed = Inputs.Seed(length, momentum, nesterov);
        float[] w = Inputs.Normal(seed, length), g = Inputs.Normal(seed + 1, length);
        float[]? m = momentum > 0 ? Inputs.Normal(seed + 2, length, 0.01) : null;
        IDeviceBuffer bw = d.Upload(w);
        IDeviceBuffer? bm = State(d, m);
        Backend.SgdUpdate(bw, d.Upload(g), bm, length, lr, momentum, nesterov);
        double[] rw = Inputs.ToDouble(w);
        double[]? rm = m is null ? null : Inputs.ToDouble(m);
        OptimizerRef.Sgd(rw, Inputs.ToDouble(g), rm, lr, momentum, nesterov);
        CheckUpdated($"SGD n={length}, μ={momentum}, nesterov={nesterov}", d, [("weights", bw, w, rw), ("momentum", bm, m, rm)]);
    }

    [Theory, MemberData(nameof(Cases.RmsProps), MemberType = typeof(Cases))]
    public void RmsPropUpdate_MatchesReference(int length, float momentum, bool centered, float scale)
    {
        using var d = Open(nameof(IBackend.RmsPropUpdate));
        const float lr = 1e-3f, rho = 0.9f, eps = 1e-7f;
        int seed = Inputs.Seed(length, momentum, centered, scale);
        float[] w = Inputs.Normal(seed, length), g = Inputs.Normal(seed + 1, length, scale);
        float[]? avg = centered ? Inputs.Normal(seed + 2, length, 0.3 * scale) : null;
        // Keep v − ḡ² well away from cancellation (as a running second moment keeps it): v ≥ ḡ² + 0.1·scale².
        var v = Inputs.Uniform(seed + 3, length, 0.1 * scale * scale, 2 * scale * scale);
        if (avg is not null) for (int i = 0; i < length; i++) v[i] += avg[i] * avg[i];
        float[]? m = momentum > 0 ? Inputs.Normal(seed + 4, length, 1e-3) : null;
        IDeviceBuffer bw = d.Upload(w), bv = d.Upload(v);
        IDeviceBuffer? bm = State(d, m), ba = State(d, avg);
        Backend.RmsPropUpdate(bw, d.Upload(g), bv, bm, ba, length, lr, rho, momentum, eps);
        double[] rw = Inputs.ToDouble(w), rv = Inputs.ToDouble(v);
        double[]? rm = m is null ? null : Inputs.ToDouble(m), ra = avg is null ? null : Inputs.ToDouble(avg);
        OptimizerRef.RmsProp(rw, Inputs.ToDouble(g), rv, rm, ra, lr, rho, momentum, eps);
        CheckUpdated($"RMSprop n={length}, μ={momentum}, centered={centered}, scale={scale}", d,
            [("weights", bw, w, rw), ("velocity", bv, v, rv), ("momentum", bm, m, rm), ("average gradient", ba, avg, ra)]);
    }

    [Theory, MemberData(nameof(Cases.Adams), MemberType = typeof(Cases))]
    public void AdamUpdate_MatchesReference(int length, bool amsgrad, int step, float scale)
    {
        using var d = Open(nameof(IBackend.AdamUpdate));
        const float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-7f;
        float alpha = (float)(lr * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step)));
        int seed = Inputs.Seed(length, amsgrad, step, scale);
        float[] w = Inputs.Normal(seed, length), g = Inputs.Normal(seed + 1, length, scale);
        float[] m = Inputs.Normal(seed + 2, length, 0.1 * scale), v = Inputs.Uniform(seed + 3, length, 0, 0.5 * scale * scale);
        float[]? vHat = amsgrad ? Inputs.Uniform(seed + 4, length, 0, 0.5 * scale * scale) : null;
        IDeviceBuffer bw = d.Upload(w), bm = d.Upload(m), bv = d.Upload(v);
        IDeviceBuffer? bh = State(d, vHat);
        Backend.AdamUpdate(bw, d.Upload(g), bm, bv, bh, length, alpha, beta1, beta2, eps);
        double[] rw = Inputs.ToDouble(w), rm = Inputs.ToDouble(m), rv = Inputs.ToDouble(v);
        double[]? rh = vHat is null ? null : Inputs.ToDouble(vHat);
        OptimizerRef.Adam(rw, Inputs.ToDouble(g), rm, rv, rh, alpha, beta1, beta2, eps);
        CheckUpdated($"Adam n={length}, amsgrad={amsgrad}, t={step}, scale={scale}", d,
            [("weights", bw, w, rw), ("m", bm, m, rm), ("v", bv, v, rv), ("v̂", bh, vHat, rh)]);
    }
}
