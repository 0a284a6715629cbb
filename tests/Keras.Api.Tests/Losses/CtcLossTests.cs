using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Losses;

namespace KerasGpu.Tests.Losses;

/// <summary>CTC against a float64 forward (alpha) recursion over the blank-extended labels, and its gradient.</summary>
[Collection("GlobalState")] // the Fit test seeds Keras' process-wide random state
public class CtcLossTests : LossTestContext
{
    private const int Batch = 3, Steps = 6, Classes = 4, MaxLength = 3;
    // 0 is the blank/padding; the first row repeats a label, so a blank must separate the two 2s.
    private static readonly double[] s_labels = [1, 2, 2, 3, 0, 0, 1, 3, 0];

    /// <summary>−log Σ over alignments, by the textbook recursion in log space with true −∞.</summary>
    private static double[] Reference(double[] logits, double[] labels)
    {
        var loss = new double[Batch];
        for (int b = 0; b < Batch; b++)
        {
            var seq = labels[(b * MaxLength)..((b + 1) * MaxLength)].Where(v => v != 0).Select(v => (int)v).ToArray();
            var ext = new int[2 * seq.Length + 1];
            for (int k = 0; k < seq.Length; k++) ext[2 * k + 1] = seq[k];
            var logp = new double[Steps, Classes];
            for (int t = 0; t < Steps; t++)
            {
                var row = Enumerable.Range(0, Classes).Select(c => logits[(b * Steps + t) * Classes + c]).ToArray();
                double m = row.Max(), lse = m + Math.Log(row.Sum(v => Math.Exp(v - m)));
                for (int c = 0; c < Classes; c++) logp[t, c] = row[c] - lse;
            }
            static double Add(double x, double y) => double.IsNegativeInfinity(x) ? y : double.IsNegativeInfinity(y) ? x
                : Math.Max(x, y) + Math.Log(1 + Math.Exp(-Math.Abs(x - y)));
            var alpha = Enumerable.Repeat(double.NegativeInfinity, ext.Length).ToArray();
            alpha[0] = logp[0, ext[0]];
            if (ext.Length > 1) alpha[1] = logp[0, ext[1]];
            for (int t = 1; t < Steps; t++)
            {
                var next = new double[ext.Length];
                for (int s = 0; s < ext.Length; s++)
                {
                    double sum = alpha[s];
                    if (s >= 1) sum = Add(sum, alpha[s - 1]);
                    if (s >= 2 && ext[s] != 0 && ext[s] != ext[s - 2]) sum = Add(sum, alpha[s - 2]);
                    next[s] = sum + logp[t, ext[s]];
                }
                alpha = next;
            }
            double total = alpha[^1];
            if (ext.Length > 1) total = Add(total, alpha[^2]);
            loss[b] = -total;
        }
        return loss;
    }

    private static double[] Logits(int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, Batch * Steps * Classes).Select(_ => rng.NextDouble() * 4 - 2)];
    }

    [Fact]
    public void MatchesTheForwardRecursion_ForEveryReduction()
    {
        var logits = Logits(1);
        var rows = Reference(logits, s_labels);
        Tensor Labels() => Upload(s_labels, [Batch, MaxLength], DType.Int32);
        AssertClose(rows, Download(new CTC(reduction: "none").Call(Labels(), Upload(logits, [Batch, Steps, Classes]))), 1e-5, 1e-5, "none");
        AssertClose([rows.Sum()], Download(new CTC(reduction: "sum").Call(Labels(), Upload(logits, [Batch, Steps, Classes]))), 1e-5, 1e-5, "sum");
        double[] w = [0.5, 2, 1];
        AssertClose([rows.Zip(w, (r, x) => r * x).Sum() / Batch],
            Download(new CTC().Call(Labels(), Upload(logits, [Batch, Steps, Classes]), Upload(w, [Batch]))), 1e-5, 1e-5, "weighted mean");
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var logits = Logits(2);
        var prediction = Upload(logits, [Batch, Steps, Classes]);
        double[] got;
        using (var tape = new GradientTape())
        {
            tape.Watch(prediction);
            var loss = new CTC().Call(Upload(s_labels, [Batch, MaxLength], DType.Int32), prediction);
            got = Download(tape.Gradient(loss, [prediction])[0]!);
        }
        var expected = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++)
        {
            const double h = 1e-6;
            var up = (double[])logits.Clone(); up[i] += h;
            var down = (double[])logits.Clone(); down[i] -= h;
            expected[i] = (Reference(up, s_labels).Average() - Reference(down, s_labels).Average()) / (2 * h);
        }
        AssertClose(expected, got, 1e-3, 1e-5, "dctc/dlogits");
    }

    [Fact]
    public void BadShapes_ThrowKerasMessages()
    {
        var e = Assert.Throws<ArgumentException>(() => new CTC().Call(Upload([1, 2], [2], DType.Int32), Upload(new double[24], [2, 3, 4])));
        Assert.Equal("Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in integer format. Received: y_true.shape=(2,)", e.Message);
        var p = Assert.Throws<ArgumentException>(() => new CTC().Call(Upload([1, 2], [1, 2], DType.Int32), Upload(new double[8], [2, 4])));
        Assert.Equal("Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, num_classes)`. Received: y_pred.shape=(2, 4)", p.Message);
        Assert.IsType<CTC>(Loss.Get("ctc"));
    }

    [Fact]
    public void Fit_WithCtc_LowersTheLoss()
    {
        // Per-step features that spell the label sequence; labels padded with zeros to the step count, as Fit stores them.
        Keras.Utils.SetRandomSeed(7);
        var rng = new Random(3);
        const int n = 32, steps = 8, features = 5, classes = 4;
        var xs = new float[n * steps * features];
        var ys = new int[n * steps];
        for (int i = 0; i < n; i++)
        {
            int length = 1 + rng.Next(3);
            for (int k = 0; k < length; k++) ys[i * steps + k] = 1 + rng.Next(classes - 1);
            for (int t = 0; t < steps; t++)
            {
                int symbol = t % 2 == 1 && t / 2 < length ? ys[i * steps + t / 2] : 0;
                for (int f = 0; f < features; f++) xs[(i * steps + t) * features + f] = (float)(rng.NextDouble() * 0.2 + (f == symbol ? 1 : 0));
            }
        }
        var x = NDArray.FromArray(xs, n, steps, features);
        var y = NDArray.FromArray(ys, n, steps);
        using var model = new KerasGpu.Sequential();
        model.Add(Keras.Input(shape: [steps, features]));
        model.Add(new KerasGpu.Layers.Dense(classes));
        model.Compile(loss: "ctc", optimizer: new KerasGpu.Optimizers.Adam(learningRate: 0.05f));
        double before = model.Evaluate(x, y, verbose: 0)[0];
        model.Fit(x, y, batchSize: 8, epochs: 10, verbose: 0);
        double after = model.Evaluate(x, y, verbose: 0)[0];
        Assert.True(after < 0.5 * before, $"ctc loss {before} -> {after}");
    }
}
