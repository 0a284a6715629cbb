using KerasGpu.Autodiff;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Activations;

/// <summary>
/// A private CPU backend and tensor scope for one test (freed and leak-checked at the end), with the float64 checks the
/// activation tests share: elementwise closeness, and tape gradients against central finite differences.
/// </summary>
internal sealed class Harness : IDisposable
{
    private readonly TensorScope _scope = new();

    public CpuBackend Backend { get; } = new();

    /// <summary>Makes this harness' backend the current one (for layers, whose weights go to the current backend).</summary>
    public IDisposable Use() => Keras.Config.UseBackend(Backend);

    public Tensor Upload(double[] values, int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray([.. values.Select(v => (float)v)], shape), Backend);

    /// <summary>Uploads a vector.</summary>
    public Tensor Upload(double[] values) => Upload(values, [values.Length]);

    public static double[] Download(Tensor t) => [.. t.ToNDArray().ToArray<float>().Select(v => (double)v)];

    /// <summary>The tape's gradient of <c>Σ w ⊙ f(x)</c> with respect to x.</summary>
    public double[] TapeGradient(Func<Tensor, Tensor> f, double[] x, int[] shape, double[] w)
    {
        var input = Upload(x, shape);
        using var tape = new GradientTape();
        tape.Watch(input);
        var y = f(input);
        var loss = Ops.Sum(Ops.Multiply(y, Upload(w, y.Shape)));
        return Download(tape.Gradient(loss, [input])[0]!);
    }

    /// <summary>Central differences (step <paramref name="h"/>) of <c>Σ w ⊙ f(x)</c> computed in float64.</summary>
    public static double[] FiniteDifference(Func<double[], double[]> f, double[] x, double[] w, double h = 1e-6)
    {
        var grad = new double[x.Length];
        var probe = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            probe[i] = x[i] + h;
            double up = f(probe).Zip(w).Sum(p => p.First * p.Second);
            probe[i] = x[i] - h;
            double down = f(probe).Zip(w).Sum(p => p.First * p.Second);
            probe[i] = x[i];
            grad[i] = (up - down) / (2 * h);
        }
        return grad;
    }

    /// <summary>Asserts <c>|got − expected| ≤ atol + rtol·|expected|</c> elementwise, naming the first failure.</summary>
    public static void AssertClose(double[] expected, double[] got, double atol, double rtol, string what, double[]? inputs = null)
    {
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.False(double.IsNaN(got[i]), $"{what}: element {i}{At(inputs, i)} is NaN (expected {expected[i]:R})");
            Assert.True(Math.Abs(got[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i]),
                $"{what}: element {i}{At(inputs, i)}: got {got[i]:R}, expected {expected[i]:R}");
        }
    }

    private static string At(double[]? inputs, int i) => inputs is null ? "" : $" (x = {inputs[i]:R})";

    /// <summary>Uniform values in [low, high), rounded to float32 so the float64 formulas see exactly the uploaded inputs.</summary>
    public static double[] Random(int n, int seed, double low = -1, double high = 1)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (double)(float)(low + rng.NextDouble() * (high - low)))];
    }

    public void Dispose()
    {
        _scope.Dispose();
        Assert.Equal(0, Backend.LiveBufferCount);
        Backend.Dispose();
    }
}
