using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Autodiff;

/// <summary>
/// Each op's gradient rule (float32, through the tape) against central finite differences of a float64 version of the
/// same forward. The scalar probed is L = Σ w ⊙ op(inputs) with fixed random w, so every output element matters.
/// </summary>
public class OpGradientTests : IDisposable
{
    private readonly CpuBackend _backend = new();
    private readonly TensorScope _scope = new();

    public void Dispose()
    {
        _scope.Dispose();
        Assert.Equal(0, _backend.LiveBufferCount);
        _backend.Dispose();
    }

    private Tensor Upload(double[] values, int[] shape, DType dtype = DType.Float32)
    {
        var t = Tensor.Empty(_backend, shape, dtype);
        if (dtype == DType.Int32) _backend.Upload<int>(values.Select(v => (int)v).ToArray(), t.Buffer);
        else _backend.Upload<float>(values.Select(v => (float)v).ToArray(), t.Buffer);
        return t;
    }

    private static double[] Random(int n, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2 - 1) * scale)];
    }

    /// <summary>Compares tape gradients of every input with float64 central differences of <paramref name="reference"/>.</summary>
    private void Check(Func<Tensor[], Tensor> op, Func<double[][], double[]> reference, (double[] Values, int[] Shape)[] inputs,
        double tolerance = 2e-4)
    {
        var outShapeProbe = reference([.. inputs.Select(i => i.Values)]);
        var w = Random(outShapeProbe.Length, 99);
        double Loss(double[][] xs) => reference(xs).Zip(w).Sum(p => p.First * p.Second);

        var tensors = inputs.Select(i => Upload(i.Values, i.Shape)).ToArray();
        Tensor?[] grads;
        using (var tape = new GradientTape())
        {
            foreach (var t in tensors) tape.Watch(t);
            var y = op(tensors);
            var wt = Upload(w, y.Shape);
            grads = tape.Gradient(Ops.Sum(Ops.Multiply(y, wt)), tensors);
        }
        for (int i = 0; i < inputs.Length; i++)
        {
            var got = grads[i]!.ToNDArray().ToArray<float>();
            var xs = inputs.Select(p => (double[])p.Values.Clone()).ToArray();
            for (int e = 0; e < xs[i].Length; e++)
            {
                const double h = 1e-6;
                double saved = xs[i][e];
                xs[i][e] = saved + h; double up = Loss(xs);
                xs[i][e] = saved - h; double down = Loss(xs);
                xs[i][e] = saved;
                double expected = (up - down) / (2 * h);
                Assert.True(Math.Abs(got[e] - expected) <= tolerance * (1 + Math.Abs(expected)),
                    $"input {i} element {e}: tape {got[e]}, finite difference {expected}");
            }
        }
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 5 }, new int[0])]
    public void BinaryOps_WithBroadcasting_MatchFiniteDifferences(int[] aShape, int[] bShape)
    {
        var a = Random((int)Shapes.Size(aShape), 1);
        var b = Random((int)Shapes.Size(bShape), 2);
        var yShape = Shapes.Broadcast(aShape, bShape);
        foreach (var (op, f) in new (Func<Tensor, Tensor, Tensor>, Func<double, double, double>)[]
                 { (Ops.Add, (p, q) => p + q), (Ops.Subtract, (p, q) => p - q), (Ops.Multiply, (p, q) => p * q) })
        {
            Check(t => op(t[0], t[1]), xs => Broadcast(xs[0], aShape, xs[1], bShape, yShape, f), [(a, aShape), (b, bShape)]);
        }
    }

    private static double[] Broadcast(double[] a, int[] aShape, double[] b, int[] bShape, int[] yShape, Func<double, double, double> f)
    {
        var y = new double[Shapes.Size(yShape)];
        var index = new int[yShape.Length];
        for (int flat = 0; flat < y.Length; flat++)
        {
            int rem = flat;
            for (int d = yShape.Length - 1; d >= 0; d--) { index[d] = rem % yShape[d]; rem /= yShape[d]; }
            y[flat] = f(a[Offset(index, aShape)], b[Offset(index, bShape)]);
        }
        return y;
    }

    private static int Offset(int[] index, int[] shape)
    {
        int offset = 0, lead = index.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++) offset = offset * shape[d] + (shape[d] == 1 ? 0 : index[d + lead]);
        return offset;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMul_AllTransposes_MatchFiniteDifferences(bool ta, bool tb)
    {
        int m = 3, k = 5, n = 4;
        int[] aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n];
        Check(t => Ops.MatMul(t[0], t[1], ta, tb), xs =>
        {
            var y = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    for (int p = 0; p < k; p++)
                        y[i * n + j] += xs[0][ta ? p * m + i : i * k + p] * xs[1][tb ? j * k + p : p * n + j];
            return y;
        }, [(Random(m * k, 3), aShape), (Random(k * n, 4), bShape)]);
    }

    [Theory]
    [InlineData(ActivationKind.Linear)]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    public void Dense_FusedEpilogue_MatchesFiniteDifferences(ActivationKind activation)
    {
        int m = 4, k = 6, n = 5;
        Func<double, double> act = activation switch
        {
            ActivationKind.Relu => v => Math.Max(v, 0),
            ActivationKind.Sigmoid => v => 1 / (1 + Math.Exp(-v)),
            ActivationKind.Tanh => Math.Tanh,
            _ => v => v,
        };
        Check(t => Ops.Dense(t[0], t[1], t[2], activation), xs =>
        {
            var y = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double z = xs[2][j];
                    for (int p = 0; p < k; p++) z += xs[0][i * k + p] * xs[1][p * n + j];
                    y[i * n + j] = act(z);
                }
            return y;
        }, [(Random(m * k, 5), [m, k]), (Random(k * n, 6), [k, n]), (Random(n, 7), [n])]);
    }

    [Fact]
    public void Dense_RankThreeInput_ContractsLastAxis()
    {
        int b = 2, s = 3, k = 4, n = 2;
        Check(t => Ops.Dense(t[0], t[1], null, ActivationKind.Linear), xs =>
        {
            var y = new double[b * s * n];
            for (int r = 0; r < b * s; r++)
                for (int j = 0; j < n; j++)
                    for (int p = 0; p < k; p++) y[r * n + j] += xs[0][r * k + p] * xs[1][p * n + j];
            return y;
        }, [(Random(b * s * k, 8), [b, s, k]), (Random(k * n, 9), [k, n])]);
    }

    [Fact]
    public void SoftmaxAndReductions_MatchFiniteDifferences()
    {
        int rows = 3, cols = 5;
        Check(t => Ops.Softmax(t[0]), xs =>
        {
            var y = new double[rows * cols];
            for (int r = 0; r < rows; r++)
            {
                var row = xs[0].Skip(r * cols).Take(cols).ToArray();
                double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
                for (int j = 0; j < cols; j++) y[r * cols + j] = Math.Exp(row[j] - max) / sum;
            }
            return y;
        }, [(Random(rows * cols, 10, 3), [rows, cols])]);
        Check(t => Ops.Mean(t[0]), xs => [xs[0].Average()], [(Random(7, 11), [7])]);
        Check(t => Ops.Sum(t[0]), xs => [xs[0].Sum()], [(Random(6, 12), [2, 3])]);
        Check(t => Ops.Scale(t[0], -2.5f), xs => [.. xs[0].Select(v => -2.5 * v)], [(Random(6, 13), [6])]);
    }

    [Fact]
    public void SharedInput_GradientsAccumulate()
    {
        // y = x·x + x: the tape must sum both paths into x's gradient (2x + 1).
        Check(t => Ops.Add(Ops.Multiply(t[0], t[0]), t[0]), xs => [.. xs[0].Select(v => v * v + v)], [(Random(5, 14), [5])]);
    }

    [Fact]
    public void UnwatchedInputs_GetNoGradient()
    {
        var a = Upload(Random(4, 15), [4]);
        var b = Upload(Random(4, 16), [4]);
        using var tape = new GradientTape();
        tape.Watch(a);
        var y = Ops.Sum(Ops.Multiply(a, b));
        var grads = tape.Gradient(y, [a, b]);
        Assert.NotNull(grads[0]);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void ConsecutiveTapes_ReuseNothingButStorage_AndADisposedTapeRefusesWork()
    {
        // Tapes on one thread hand their collections on: the second tape must see none of the first's nodes.
        var a = Upload([1, 2, 3], [3]);
        var b = Upload([4, 5, 6], [3]);
        var first = new GradientTape();
        first.Watch(a);
        var ya = Ops.Sum(Ops.Multiply(a, a));
        Assert.Equal([2f, 4f, 6f], first.Gradient(ya, [a])[0]!.ToNDArray().ToArray<float>());
        first.Dispose();
        using (var second = new GradientTape())
        {
            second.Watch(b);
            var yb = Ops.Sum(Ops.Scale(b, 3f));
            var grads = second.Gradient(yb, [a, b]);
            Assert.Null(grads[0]);
            Assert.Equal([3f, 3f, 3f], grads[1]!.ToNDArray().ToArray<float>());
            Assert.Throws<ObjectDisposedException>(() => first.Gradient(ya, [a]));
            Assert.Throws<ObjectDisposedException>(() => first.Watch(a));
        }
    }
}
