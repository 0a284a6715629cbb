using System.Globalization;
using System.Text;
using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>Seeded host inputs: every case draws from <c>new Random(seed)</c>, so a failure reproduces exactly.</summary>
internal static class Inputs
{
    public static float[] Uniform(int seed, int n, double low = -1, double high = 1)
    {
        var random = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(low + (high - low) * random.NextDouble());
        return x;
    }

    public static float[] Normal(int seed, int n, double std = 1)
    {
        var random = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            x[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }

    public static int[] Ints(int seed, int n, int maxExclusive)
    {
        var random = new Random(seed);
        var x = new int[n];
        for (int i = 0; i < n; i++) x[i] = random.Next(maxExclusive);
        return x;
    }

    /// <summary>Edge values for elementwise kernels: signed zeros, ±1e4, ±88 (exp's range), tiny and huge magnitudes, NaN.</summary>
    public static float[] WithEdges(float[] x, bool withNaN = true)
    {
        float[] edges = [0f, -0f, 1e4f, -1e4f, 88f, -88f, 1e-30f, -1e-30f, 3e38f, -3e38f, 1f, -1f];
        var y = (float[])x.Clone();
        for (int i = 0; i < edges.Length && i < y.Length; i++) y[i] = edges[i];
        if (withNaN && y.Length > edges.Length) y[edges.Length] = float.NaN;
        return y;
    }

    public static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    public static int[] Shape(string text) => text.Length == 0 ? [] : Array.ConvertAll(text.Split('x'), s => int.Parse(s, CultureInfo.InvariantCulture));

    public static int Seed(params object[] parts)
    {
        // A stable (not string.GetHashCode) seed from the case's parameters.
        uint h = 2166136261;
        foreach (char c in string.Join('|', parts)) h = (h ^ c) * 16777619;
        return (int)(h & 0x7fffffff);
    }
}

/// <summary>Owns the buffers of one test: uploads, NaN-filled outputs, downloads; disposes everything at the end.</summary>
internal sealed class DeviceScope(IBackend backend) : IDisposable
{
    private readonly List<IDeviceBuffer> _owned = [];

    public IBackend Backend => backend;

    public IDeviceBuffer Upload(float[] data)
    {
        var buffer = Own(backend.Allocate(DType.Float32, data.Length));
        backend.Upload<float>(data, buffer);
        return buffer;
    }

    public IDeviceBuffer Upload(int[] data)
    {
        var buffer = Own(backend.Allocate(DType.Int32, data.Length));
        backend.Upload<int>(data, buffer);
        return buffer;
    }

    /// <summary>An output buffer pre-filled with NaN (uploaded, not via the kernel under test), so unwritten elements show.</summary>
    public IDeviceBuffer Nan(long length) => Upload(Enumerable.Repeat(float.NaN, (int)length).ToArray());

    public float[] Read(IDeviceBuffer buffer)
    {
        var host = new float[buffer.Length];
        backend.Download<float>(buffer, host);
        return host;
    }

    public int[] ReadInts(IDeviceBuffer buffer)
    {
        var host = new int[buffer.Length];
        backend.Download<int>(buffer, host);
        return host;
    }

    private IDeviceBuffer Own(IDeviceBuffer buffer)
    {
        _owned.Add(buffer);
        return buffer;
    }

    public void Dispose()
    {
        foreach (var buffer in _owned) buffer.Dispose();
        _owned.Clear();
    }
}

/// <summary>The checker: <c>|got − ref| ≤ allowed</c> per element (see <see cref="Tolerance"/>), NaN must meet NaN, ±∞ must meet
/// itself. On failure the message names the case, the first five mismatches and the largest error.</summary>
internal static class Check
{
    public static void Close(string what, ReadOnlySpan<float> got, ReadOnlySpan<double> expected, Tolerance tolerance,
        ReadOnlySpan<double> magnitude = default) => Close(what, Inputs.ToDouble(got.ToArray()), expected, tolerance, magnitude);

    public static void Close(string what, double[] got, ReadOnlySpan<double> expected, Tolerance tolerance,
        ReadOnlySpan<double> magnitude = default)
    {
        Assert.Equal(expected.Length, got.Length);
        var report = new StringBuilder();
        int failures = 0, worst = -1;
        double worstRatio = 0, worstError = 0;
        for (int i = 0; i < got.Length; i++)
        {
            double g = got[i], r = expected[i];
            double allowed = tolerance.Allowed(r, magnitude.IsEmpty ? 0 : magnitude[i]);
            bool ok;
            double error;
            if (double.IsNaN(r)) { ok = double.IsNaN(g); error = ok ? 0 : double.PositiveInfinity; }
            // A reference outside float32's range (or infinite) must come back as that infinity.
            else if (float.IsInfinity((float)r)) { ok = g == (float)r; error = ok ? 0 : double.PositiveInfinity; }
            else { error = Math.Abs(g - r); ok = error <= allowed; }
            double ratio = allowed > 0 ? error / allowed : error > 0 ? double.PositiveInfinity : 0;
            if (ratio > worstRatio || worst < 0) { worstRatio = ratio; worstError = error; worst = i; }
            if (ok) continue;
            if (++failures <= 5)
                report.Append(CultureInfo.InvariantCulture, $"\n  [{i}] got {g:R}, ref {r:R}, |err| {error:E3}, allowed {allowed:E3}");
        }
        if (failures > 0)
            Assert.Fail($"{what}: {failures} of {got.Length} elements outside tolerance {tolerance}.{report}" +
                $"\n  max error {worstError:E3} at [{worst}] ({worstRatio:G3}x allowed)");
    }

    /// <summary>Bitwise equality (random numbers, copies, gathers).</summary>
    public static void Bitwise(string what, ReadOnlySpan<float> got, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, got.Length);
        var report = new StringBuilder();
        int failures = 0;
        for (int i = 0; i < got.Length; i++)
        {
            if (BitConverter.SingleToUInt32Bits(got[i]) == BitConverter.SingleToUInt32Bits(expected[i])) continue;
            if (++failures <= 5)
                report.Append(CultureInfo.InvariantCulture, $"\n  [{i}] got {got[i]:R} (0x{BitConverter.SingleToUInt32Bits(got[i]):x8}), ref {expected[i]:R} (0x{BitConverter.SingleToUInt32Bits(expected[i]):x8})");
        }
        if (failures > 0) Assert.Fail($"{what}: {failures} of {got.Length} elements differ bitwise.{report}");
    }

    public static void Bitwise(string what, ReadOnlySpan<int> got, ReadOnlySpan<int> expected)
    {
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            if (got[i] != expected[i]) Assert.Fail($"{what}: first difference at [{i}]: got {got[i]}, ref {expected[i]}.");
    }
}

/// <summary>Central differences in float64: <c>∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h</c>, h = 1e-6·max(|x_i|, 1).</summary>
internal static class FiniteDifference
{
    public const double Step = 1e-6;

    public static double[] Gradient(Func<double[], double> f, double[] x)
    {
        var grad = new double[x.Length];
        var probe = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            double h = Step * Math.Max(Math.Abs(x[i]), 1);
            probe[i] = x[i] + h;
            double up = f(probe);
            probe[i] = x[i] - h;
            double down = f(probe);
            probe[i] = x[i];
            grad[i] = (up - down) / (2 * h);
        }
        return grad;
    }

    /// <summary><c>Σ w_i·y_i</c>: the scalar whose gradient is the vector–Jacobian product with upstream gradient w.</summary>
    public static double Dot(double[] w, double[] y)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += w[i] * y[i];
        return s;
    }
}
