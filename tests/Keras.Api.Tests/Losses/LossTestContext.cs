using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Losses;

/// <summary>A private CPU backend and tensor scope per test; checks nothing leaks.</summary>
public abstract class LossTestContext : IDisposable
{
    protected readonly CpuBackend Backend = new();
    private readonly TensorScope _scope = new();

    public virtual void Dispose()
    {
        _scope.Dispose();
        Assert.Equal(0, Backend.LiveBufferCount);
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Tensor Upload(double[] values, int[] shape, DType dtype = DType.Float32)
    {
        var t = Tensor.Empty(Backend, shape, dtype);
        if (dtype == DType.Int32) Backend.Upload<int>([.. values.Select(v => (int)v)], t.Buffer);
        else Backend.Upload<float>([.. values.Select(v => (float)v)], t.Buffer);
        return t;
    }

    protected static double[] Download(Tensor t) => [.. t.ToNDArray().ToArray<float>().Select(v => (double)v)];

    /// <summary><c>|got − expected| ≤ atol + rtol·|expected|</c> element by element, with a readable failure.</summary>
    protected static void AssertClose(double[] expected, double[] got, double rtol, double atol, string what)
    {
        Assert.True(expected.Length == got.Length, $"{what}: expected {expected.Length} values, got {got.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(got[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i]),
                $"{what}[{i}]: got {got[i]:R}, expected {expected[i]:R}");
    }
}
