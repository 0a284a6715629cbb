using KerasGpu.Backend;
using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class IoUMetricTests : MetricTestBase
{
    [Fact]
    public void DocstringExamples()
    {
        using (var m = new IoU(2, [0], dtype: DType.Float32))
        {
            m.UpdateState(T([0, 0, 1, 1], 4), T([0, 1, 0, 1], 4));
            Near(0.33333334, m.Result(), 1e-6);
            m.ResetState();
            m.UpdateState(T([0, 0, 1, 1], 4), T([0, 1, 0, 1], 4), T([0.3, 0.3, 0.3, 0.1], 4));
            Near(0.33333334, m.Result(), 1e-6);
        }
        using (var m = new BinaryIoU([0, 1], threshold: 0.3f, dtype: DType.Float32))
        {
            m.UpdateState(T([0, 1, 0, 1], 4), T([0.1, 0.2, 0.4, 0.7], 4));
            Near(0.33333334, m.Result(), 1e-6);
            m.ResetState();
            m.UpdateState(T([0, 1, 0, 1], 4), T([0.1, 0.2, 0.4, 0.7], 4), T([0.2, 0.3, 0.4, 0.1], 4));
            Near(0.17361112, m.Result(), 1e-6);
        }
        using (var m = new MeanIoU(2, dtype: DType.Float32))
        {
            m.UpdateState(T([0, 0, 1, 1], 4), T([0, 1, 0, 1], 4));
            Near(0.33333334, m.Result(), 1e-6);
            m.ResetState();
            m.UpdateState(T([0, 0, 1, 1], 4), T([0, 1, 0, 1], 4), T([0.3, 0.3, 0.3, 0.1], 4));
            Near(0.23809525, m.Result(), 1e-6);
        }
        double[] oneHot = [0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0], scores = [0.2, 0.3, 0.5, 0.1, 0.2, 0.7, 0.5, 0.3, 0.1, 0.1, 0.4, 0.5];
        double[] weights = [0.1, 0.2, 0.3, 0.4];
        using (var m = new OneHotIoU(3, [0, 2], dtype: DType.Float32))
        {
            m.UpdateState(T(oneHot, 4, 3), T(scores, 4, 3), T(weights, 4));
            Near(0.071, m.Result(), 1e-2);
            Near(0.1 / 0.7 / 2, m.Result(), 1e-5); // cm = [[0, 0, 0.6], [0.3, 0, 0], [0, 0, 0.1]]: class 0 gives 0, class 2 gives 0.1/0.7
        }
        using (var m = new OneHotMeanIoU(3, dtype: DType.Float32))
        {
            m.UpdateState(T(oneHot, 4, 3), T(scores, 4, 3), T(weights, 4));
            Near(0.048, m.Result(), 1e-2);
            Near(0.1 / 0.7 / 3, m.Result(), 1e-5);
        }
    }

    [Fact]
    public void DefaultIntDtype_TruncatesWeightsAndClassIds_AsKeras()
    {
        using var m = new MeanIoU(2);
        // Weights 1.9 → 1 and 0.5 → 0; prediction 1.7 → class 1.
        m.UpdateState(T([0, 1, 1], 3), T([0, 1.7, 0], 3), T([1.9, 1, 0.5], 3));
        var cm = m.ConfusionMatrix();
        Assert.Equal(new double[,] { { 1, 0 }, { 0, 1 } }, cm);
        Near(1.0, m.Result(), 1e-6);
    }

    [Fact]
    public void RandomBatches_MatchAFloat64ConfusionMatrix()
    {
        const int classes = 4;
        var batches = Batches(27, (rng, n) =>
            ([.. Enumerable.Range(0, n).Select(_ => (double)rng.Next(-1, classes + 1))], [n],
             [.. Enumerable.Range(0, n).Select(_ => (double)rng.Next(classes))], [n])).ToList();
        foreach (int? ignore in new int?[] { null, 2 })
        {
            var cm = new double[classes, classes];
            foreach (var b in batches)
                for (int r = 0; r < b.PredShape[0]; r++)
                {
                    int t = (int)b.True[r], p = (int)b.Pred[r];
                    if (t < 0 || t >= classes || t == ignore) continue;
                    cm[t, p] += b.Weights?[r] ?? 1;
                }
            int[] targets = [0, 1, 3];
            double sum = 0, valid = 0;
            foreach (int c in targets)
            {
                double denominator = Enumerable.Range(0, classes).Sum(k => cm[k, c] + cm[c, k]) - cm[c, c];
                if (denominator <= 1e-9) continue;
                sum += cm[c, c] / (denominator + 1e-7);
                valid++;
            }
            using var m = new IoU(classes, targets, ignoreClass: ignore, dtype: DType.Float32);
            Feed(m, batches);
            Near(sum / (valid + 1e-7), m.Result(), 1e-5, what: $"ignore_class={ignore}");
        }
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        Assert.Contains("Target class id 2 is out of range, which is [0, 2).", Assert.Throws<ArgumentException>(() => new IoU(2, [0, 2])).Message);
        Assert.Contains("num_classes=0", Assert.Throws<ArgumentException>(() => new MeanIoU(0)).Message);
        using var m = new MeanIoU(3);
        Assert.Contains("one label per prediction", Assert.Throws<ArgumentException>(() => m.UpdateState(T([0, 1], 2), T([0, 1, 2], 3))).Message);
        Assert.Equal(0, m.Result());
    }
}
