using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class ReductionMetricTests : MetricTestBase
{
    [Fact]
    public void Mean_DocstringExamples()
    {
        using var m = new Mean();
        m.UpdateState(T([1, 3, 5, 7], 4));
        Assert.Equal(4.0, m.Result(), 1e-6);
        m.ResetState();
        m.UpdateState(T([1, 3, 5, 7], 4), T([1, 1, 0, 0], 4));
        Assert.Equal(2.0, m.Result(), 1e-6);
        Assert.Equal("mean", m.Name);
    }

    [Fact]
    public void Sum_DocstringExamples()
    {
        using var m = new Sum();
        m.UpdateState(T([1, 3, 5, 7], 4));
        Assert.Equal(16.0, m.Result(), 1e-6);
        using var w = new Sum();
        w.UpdateState(T([1, 3, 5, 7], 4), T([1, 1, 0, 0], 4));
        Assert.Equal(4.0, w.Result(), 1e-6);
    }

    [Fact]
    public void Mean_OverBatchesOfDifferentSizes_IsThePerSampleMean()
    {
        // Keras counts samples (not updates): mean([1, 3]) then [5] is 3, not (2 + 5) / 2.
        using var m = new Mean();
        m.UpdateState(T([1, 3], 2));
        m.UpdateState(T([5], 1));
        Assert.Equal(3.0, m.Result(), 1e-6);
    }

    [Fact]
    public void Mean_OfMatrices_AveragesEachSampleThenWeights()
    {
        var rng = new Random(3);
        double total = 0, count = 0;
        using var m = new Mean();
        foreach (int rows in new[] { 4, 2, 6 })
        {
            var v = Uniform(rng, rows * 3, -2, 2);
            var w = Uniform(rng, rows, 0, 2);
            m.UpdateState(T(v, rows, 3), T(w, rows));
            for (int r = 0; r < rows; r++)
            {
                total += w[r] * Row(v, r, 3).Average();
                count += w[r];
            }
        }
        Near(total / count, m.Result());
    }

    [Fact]
    public void Mean_WithElementwiseWeights_WeightsEachElement()
    {
        // values (2, 2) with weights (2, 2): total = Σ v·w, count = Σ_rows mean_cols(w).
        double[] v = [1, 2, 3, 4], w = [1, 0, 0.5, 0.5];
        using var m = new Mean();
        m.UpdateState(T(v, 2, 2), T(w, 2, 2));
        double total = (1 * 1 + 0) / 2.0 + (3 * 0.5 + 4 * 0.5) / 2.0, count = 0.5 + 0.5;
        Near(total / count, m.Result());
    }

    [Fact]
    public void Mean_WithScalarWeight_IsWhatTheTrainerUses()
    {
        using var m = new Mean("loss");
        m.UpdateState(T([2], 1), 32);
        m.UpdateState(T([4, 6], 2), 8); // mean 5, weight 8
        Near((2.0 * 32 + 5 * 8) / 40, m.Result());
    }

    [Fact]
    public void Mean_BeforeAnyUpdate_IsZero_AndBadWeightsChangeNothing()
    {
        using var m = new Mean();
        Assert.Equal(0, m.Result());
        m.UpdateState(T([1, 2, 3], 3));
        var e = Assert.Throws<ArgumentException>(() => m.UpdateState(T([1, 2, 3], 3), T([1, 2], 2)));
        Assert.Contains("(2,)", e.Message);
        Assert.Equal(2.0, m.Result(), 1e-6);
    }
}
