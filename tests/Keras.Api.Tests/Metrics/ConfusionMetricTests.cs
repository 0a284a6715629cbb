using KerasGpu.Metrics;

namespace KerasGpu.Tests.Metrics;

public class ConfusionMetricTests : MetricTestBase
{
    [Fact]
    public void PrecisionAndRecall_DocstringExamples()
    {
        using var p = new Precision();
        p.UpdateState(T([0, 1, 1, 1], 4), T([1, 0, 1, 1], 4));
        Near(0.6666667, p.Result(), 1e-6);
        p.ResetState();
        p.UpdateState(T([0, 1, 1, 1], 4), T([1, 0, 1, 1], 4), T([0, 0, 1, 0], 4));
        Near(1.0, p.Result());
        using var top2 = new Precision(topK: 2);
        top2.UpdateState(T([0, 0, 1, 1], 4), T([1, 1, 1, 1], 4));
        Near(0.0, top2.Result());
        using var top4 = new Precision(topK: 4);
        top4.UpdateState(T([0, 0, 1, 1], 4), T([1, 1, 1, 1], 4));
        Near(0.5, top4.Result());
        using var r = new Recall();
        r.UpdateState(T([0, 1, 1, 1], 4), T([1, 0, 1, 1], 4));
        Near(0.6666667, r.Result(), 1e-6);
        r.ResetState();
        r.UpdateState(T([0, 1, 1, 1], 4), T([1, 0, 1, 1], 4), T([0, 0, 1, 0], 4));
        Near(1.0, r.Result());
    }

    [Fact]
    public void ConditionCounts_DocstringExamples()
    {
        void Check(PredictionMetric m, double[] yTrue, double[] yPred)
        {
            m.UpdateState(T(yTrue, 4), T(yPred, 4));
            Near(2.0, m.Result());
            m.ResetState();
            m.UpdateState(T(yTrue, 4), T(yPred, 4), T([0, 0, 1, 0], 4));
            Near(1.0, m.Result());
        }
        using (var m = new FalsePositives()) Check(m, [0, 1, 0, 0], [0, 0, 1, 1]);
        using (var m = new FalseNegatives()) Check(m, [0, 1, 1, 1], [0, 1, 0, 0]);
        using (var m = new TrueNegatives()) Check(m, [0, 1, 0, 0], [1, 1, 0, 0]);
        using (var m = new TruePositives()) Check(m, [0, 1, 1, 1], [1, 0, 1, 1]);
    }

    [Fact]
    public void ConditionCounts_AtSeveralThresholds_MatchFloat64()
    {
        const int cols = 2;
        float[] thresholds = [0.1f, 0.45f, 0.9f];
        var batches = Batches(18, (rng, n) => Binary(rng, n, cols)).ToList();
        var (tp, fp, tn, fn) = Counts(batches, [.. thresholds.Select(t => (double)t)], cols);
        var metrics = new ConfusionMatrixConditionCount[]
        {
            new TruePositives(thresholds), new FalsePositives(thresholds), new TrueNegatives(thresholds), new FalseNegatives(thresholds),
        };
        double[][] expected = [tp, fp, tn, fn];
        for (int k = 0; k < 4; k++)
        {
            using var m = metrics[k];
            Feed(m, batches);
            var got = m.ResultPerThreshold();
            for (int i = 0; i < thresholds.Length; i++) Near(expected[k][i], got[i], what: $"{m.Name}@{thresholds[i]}");
        }
    }

    [Fact]
    public void AtConstraintMetrics_DocstringExamples()
    {
        double[] yTrue = [0, 0, 0, 1, 1], yPred = [0, 0.3, 0.8, 0.3, 0.8];
        void Check(PredictionMetric m, double plain, double[] weights, double weighted, double[]? t = null, double[]? p = null)
        {
            t ??= yTrue;
            p ??= yPred;
            m.UpdateState(T(t, t.Length), T(p, p.Length));
            Near(plain, m.Result(), 1e-6);
            m.ResetState();
            m.UpdateState(T(t, t.Length), T(p, p.Length), T(weights, weights.Length));
            Near(weighted, m.Result(), 1e-6);
        }
        using (var m = new SensitivityAtSpecificity(0.5f)) Check(m, 0.5, [1, 1, 2, 2, 1], 0.333333);
        using (var m = new SpecificityAtSensitivity(0.5f)) Check(m, 0.66666667, [1, 1, 2, 2, 2], 0.5);
        using (var m = new PrecisionAtRecall(0.5f)) Check(m, 0.5, [2, 2, 2, 1, 1], 0.33333333);
        using (var m = new RecallAtPrecision(0.8f)) Check(m, 0.5, [1, 0, 0, 1], 1.0, [0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    }

    [Fact]
    public void AtConstraintMetrics_MatchFloat64()
    {
        const int cols = 3, n = 50;
        var batches = Batches(19, (rng, rows) => Binary(rng, rows, cols)).ToList();
        double[] thresholds = [0, .. Enumerable.Range(1, n - 2).Select(i => i / (n - 1.0)), 1];
        foreach (int? classId in new int?[] { null, 2 })
        {
            var (tp, fp, tn, fn) = Counts(batches, thresholds, cols, classId: classId);
            double[] recall = [.. tp.Select((v, i) => Ratio(v, v + fn[i]))];
            double[] precision = [.. tp.Select((v, i) => Ratio(v, v + fp[i]))];
            double[] specificity = [.. tn.Select((v, i) => Ratio(v, v + fp[i]))];
            double Best(double[] constrained, double level, double[] dependent) =>
                Enumerable.Range(0, n).Where(i => constrained[i] >= level).Select(i => dependent[i]).Append(0).Max();
            using (var m = new SensitivityAtSpecificity(0.6f, n, classId)) { Feed(m, batches); Near(Best(specificity, 0.6f, recall), m.Result()); }
            using (var m = new SpecificityAtSensitivity(0.7f, n, classId)) { Feed(m, batches); Near(Best(recall, 0.7f, specificity), m.Result()); }
            using (var m = new PrecisionAtRecall(0.4f, n, classId)) { Feed(m, batches); Near(Best(recall, 0.4f, precision), m.Result()); }
            using (var m = new RecallAtPrecision(0.55f, n, classId)) { Feed(m, batches); Near(Best(precision, 0.55f, recall), m.Result()); }
        }
        Assert.Contains("Argument `recall` must be in the range [0, 1]", Assert.Throws<ArgumentException>(() => new PrecisionAtRecall(1.5f)).Message);
        Assert.Contains("num_thresholds=0", Assert.Throws<ArgumentException>(() => new RecallAtPrecision(0.5f, numThresholds: 0)).Message);
    }

    [Fact]
    public void Auc_DocstringExample()
    {
        using var m = new AUC(numThresholds: 3);
        m.UpdateState(T([0, 0, 1, 1], 4), T([0, 0.5, 0.3, 0.9], 4));
        Near(0.75, m.Result());
        m.ResetState();
        m.UpdateState(T([0, 0, 1, 1], 4), T([0, 0.5, 0.3, 0.9], 4), T([1, 0, 0, 1], 4));
        Near(1.0, m.Result());
        Assert.Equal([-1e-7f, 0.5f, 1 + 1e-7f], new AUC(numThresholds: 3).Thresholds);
    }

    /// <summary>Weighted (tp, fp, tn, fn) of <c>p &gt; threshold</c> over all batches, in float64, after the optional
    /// top-k filter (ties to the lower index) and class selection.</summary>
    private static (double[] Tp, double[] Fp, double[] Tn, double[] Fn) Counts(IEnumerable<Batch> batches, double[] thresholds, int cols,
        int? topK = null, int? classId = null, double[]? labelWeights = null)
    {
        int n = thresholds.Length;
        double[] tp = new double[n], fp = new double[n], tn = new double[n], fn = new double[n];
        foreach (var b in batches)
            for (int r = 0; r < b.PredShape[0]; r++)
            {
                double w = b.Weights?[r] ?? 1;
                var row = Row(b.Pred, r, cols);
                if (topK is { } k)
                {
                    var kept = Enumerable.Range(0, cols).OrderByDescending(j => row[j]).ThenBy(j => j).Take(k).ToHashSet();
                    row = [.. row.Select((v, j) => kept.Contains(j) ? v : -1e10)];
                }
                foreach (int j in classId is { } c ? [c] : Enumerable.Range(0, cols))
                {
                    bool label = b.True[r * cols + j] != 0;
                    double we = w * (labelWeights?[j] ?? 1);
                    for (int i = 0; i < n; i++)
                    {
                        bool positive = row[j] > thresholds[i];
                        if (label && positive) tp[i] += we;
                        else if (label) fn[i] += we;
                        else if (positive) fp[i] += we;
                        else tn[i] += we;
                    }
                }
            }
        return (tp, fp, tn, fn);
    }

    private static double Ratio(double a, double b) => b == 0 ? 0 : a / b;

    private static (double[], int[], double[], int[]) Binary(Random rng, int n, int cols) =>
        (Bits(rng, n * cols), [n, cols], Uniform(rng, n * cols, 0, 1), [n, cols]);

    [Fact]
    public void PrecisionAndRecall_AtSeveralThresholds_MatchFloat64()
    {
        const int cols = 3;
        float[] thresholds = [0.2f, 0.5f, 0.7f];
        var batches = Batches(11, (rng, n) => Binary(rng, n, cols)).ToList();
        var (tp, fp, _, fn) = Counts(batches, [.. thresholds.Select(t => (double)t)], cols);
        using var p = new Precision(thresholds);
        using var r = new Recall(thresholds);
        Feed(p, batches);
        Feed(r, batches);
        var gotP = p.ResultPerThreshold();
        var gotR = r.ResultPerThreshold();
        for (int i = 0; i < thresholds.Length; i++)
        {
            Near(Ratio(tp[i], tp[i] + fp[i]), gotP[i], what: $"precision@{thresholds[i]}");
            Near(Ratio(tp[i], tp[i] + fn[i]), gotR[i], what: $"recall@{thresholds[i]}");
        }
        Assert.Throws<InvalidOperationException>(() => p.Result());
    }

    [Fact]
    public void PrecisionAndRecall_EvenlySpacedThresholds_TakeKerasBucketedPath()
    {
        // [0, 0.5, 1] is evenly spaced: predictions are clipped to [0, 1] first, so 1.5 is not above 1 and −0.5 not above 0.
        using var p = new Precision([0f, 0.5f, 1f]);
        p.UpdateState(T([1, 0, 1, 0], 4), T([1.5, 1.5, -0.5, 0.7], 4));
        var got = p.ResultPerThreshold();
        Near(1.0 / 3, got[0]); // above 0: 1.5 (pos), 1.5 (neg), 0.7 (neg)
        Near(1.0 / 3, got[1]);
        Near(0.0, got[2]);
    }

    [Fact]
    public void PrecisionAndRecall_WithTopKAndClassId_MatchFloat64()
    {
        const int cols = 5;
        var batches = Batches(12, (rng, n) => Binary(rng, n, cols)).ToList();
        foreach (var (topK, classId) in new (int?, int?)[] { (2, null), (null, 3), (3, 1) })
        {
            double[] thresholds = topK is null ? [0.5] : [-1e10];
            var (tp, fp, _, fn) = Counts(batches, thresholds, cols, topK, classId);
            using var p = new Precision(topK: topK, classId: classId);
            using var r = new Recall(topK: topK, classId: classId);
            Feed(p, batches);
            Feed(r, batches);
            Near(Ratio(tp[0], tp[0] + fp[0]), p.Result(), what: $"precision top_k={topK} class_id={classId}");
            Near(Ratio(tp[0], tp[0] + fn[0]), r.Result(), what: $"recall top_k={topK} class_id={classId}");
        }
    }

    /// <summary>Keras' AUC result from the counts, in float64.</summary>
    private static double AucReference(double[] tp, double[] fp, double[] tn, double[] fn, string curve, string summation)
    {
        int n = tp.Length;
        if (curve == "PR" && summation == "interpolation")
        {
            double area = 0;
            for (int i = 0; i < n - 1; i++)
            {
                double dtp = tp[i] - tp[i + 1], pa = tp[i] + fp[i], pb = tp[i + 1] + fp[i + 1];
                double slope = Ratio(dtp, Math.Max(pa - pb, 0)), intercept = tp[i + 1] - slope * pb;
                double ratio = pa > 0 && pb > 0 ? pa / pb : 1;
                area += Ratio(slope * (dtp + intercept * Math.Log(ratio)), Math.Max(tp[i + 1] + fn[i + 1], 0));
            }
            return area;
        }
        double[] recall = [.. tp.Select((v, i) => Ratio(v, v + fn[i]))];
        double[] x = curve == "ROC" ? [.. fp.Select((v, i) => Ratio(v, v + tn[i]))] : recall;
        double[] y = curve == "ROC" ? recall : [.. tp.Select((v, i) => Ratio(v, v + fp[i]))];
        double sum = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double h = summation == "interpolation" ? (y[i] + y[i + 1]) / 2 : summation == "minoring" ? Math.Min(y[i], y[i + 1]) : Math.Max(y[i], y[i + 1]);
            sum += (x[i] - x[i + 1]) * h;
        }
        return sum;
    }

    [Theory]
    [InlineData("ROC", "interpolation")]
    [InlineData("ROC", "minoring")]
    [InlineData("ROC", "majoring")]
    [InlineData("PR", "interpolation")]
    [InlineData("PR", "majoring")]
    public void Auc_Default200Thresholds_MatchesFloat64(string curve, string summation)
    {
        const int cols = 2;
        var batches = Batches(13, (rng, n) => Binary(rng, n, cols)).ToList();
        double[] thresholds = [-1e-7, .. Enumerable.Range(1, 198).Select(i => i / 199.0), 1 + 1e-7];
        var (tp, fp, tn, fn) = Counts(batches, thresholds, cols);
        using var m = new AUC(curve: curve, summationMethod: summation);
        Assert.Equal(200, m.NumThresholds);
        CheckAgainstReferenceOnce(m, batches, AucReference(tp, fp, tn, fn, curve, summation));
    }

    [Fact]
    public void Auc_ExplicitThresholds_AndLogits_MatchFloat64()
    {
        const int cols = 1;
        var batches = Batches(14, (rng, n) => (Bits(rng, n), [n, cols], Uniform(rng, n, -3, 3), [n, cols])).ToList();
        var probabilities = batches.Select(b => b with { Pred = [.. b.Pred.Select(z => 1 / (1 + Math.Exp(-z)))] }).ToList();
        float[] inner = [0.7f, 0.1f, 0.4f];
        double[] thresholds = [-1e-7, .. inner.Select(t => (double)t).Order(), 1 + 1e-7];
        var (tp, fp, tn, fn) = Counts(probabilities, thresholds, cols);
        using var m = new AUC(thresholds: inner, fromLogits: true);
        Assert.Equal(5, m.NumThresholds);
        CheckAgainstReferenceOnce(m, batches, AucReference(tp, fp, tn, fn, "ROC", "interpolation"));
    }

    [Fact]
    public void Auc_MultiLabel_AveragesPerLabelAreas_WithAndWithoutLabelWeights()
    {
        const int cols = 3, n = 20;
        var batches = Batches(16, (rng, rows) => Binary(rng, rows, cols)).ToList();
        double[] thresholds = [-1e-7, .. Enumerable.Range(1, n - 2).Select(i => i / (n - 1.0)), 1 + 1e-7];
        var areas = Enumerable.Range(0, cols).Select(l =>
        {
            var (tp, fp, tn, fn) = Counts(batches, thresholds, cols, classId: l);
            return AucReference(tp, fp, tn, fn, "PR", "interpolation");
        }).ToArray();
        using (var m = new AUC(numThresholds: n, curve: "PR", multiLabel: true))
        {
            CheckAgainstReferenceOnce(m, batches, areas.Average());
            Assert.Equal(cols, m.NumLabels);
        }
        float[] weights = [0.5f, 0f, 2f];
        using (var m = new AUC(numThresholds: n, curve: "PR", multiLabel: true, numLabels: cols, labelWeights: weights))
            CheckAgainstReferenceOnce(m, batches, areas.Select((a, l) => a * weights[l]).Sum() / weights.Sum());
    }

    [Fact]
    public void Auc_PooledWithLabelWeights_WeightsEachColumnInTheCounts()
    {
        const int cols = 3;
        var batches = Batches(17, (rng, rows) => Binary(rng, rows, cols)).ToList();
        double[] thresholds = [-1e-7, .. Enumerable.Range(1, 8).Select(i => i / 9.0), 1 + 1e-7];
        double[] weights = [1, 0.25, 3];
        var (tp, fp, tn, fn) = Counts(batches, thresholds, cols, labelWeights: weights);
        using var m = new AUC(numThresholds: 10, labelWeights: [.. weights.Select(w => (float)w)]);
        CheckAgainstReferenceOnce(m, batches, AucReference(tp, fp, tn, fn, "ROC", "interpolation"));
        Assert.Contains("only when `multi_label` is True", Assert.Throws<ArgumentException>(() => new AUC(numLabels: 3)).Message);
        using var multi = new AUC(multiLabel: true, numLabels: 2);
        Assert.Contains("built for 2 labels", Assert.Throws<ArgumentException>(() => multi.UpdateState(T(new double[6], 2, 3), T(new double[6], 2, 3))).Message);
        Assert.Contains("must have rank 2", Assert.Throws<ArgumentException>(() => multi.UpdateState(T(new double[2], 2), T(new double[2], 2))).Message);
    }

    private void CheckAgainstReferenceOnce(PredictionMetric m, IEnumerable<Batch> batches, double expected)
    {
        Feed(m, batches);
        Near(expected, m.Result(), 1e-5, 1e-6, m.Name);
        m.ResetState();
        Assert.Equal(0, m.Result());
    }

    [Fact]
    public void Auc_PrGain_MatchesKerasFormula()
    {
        var batches = Batches(15, (rng, n) => Binary(rng, n, 1)).ToList();
        double[] thresholds = [-1e-7, .. Enumerable.Range(1, 8).Select(i => i / 9.0), 1 + 1e-7];
        var (tp, fp, tn, fn) = Counts(batches, thresholds, 1);
        int n = thresholds.Length;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = Ratio(tp[i] + fn[i], tn[i] + fp[i]);
            x[i] = tp[i] == 0 ? 0 : Math.Max(1 - s * Ratio(fn[i], tp[i]), 0);
            y[i] = tp[i] == 0 ? 1 : 1 - s * Ratio(fp[i], tp[i]);
        }
        double expected = Enumerable.Range(0, n - 1).Sum(i => (x[i] - x[i + 1]) * (y[i] + y[i + 1]) / 2);
        using var m = new AUC(numThresholds: 10, curve: "PRGAIN");
        Feed(m, batches);
        Near(expected, m.Result(), 1e-5);
    }

    [Fact]
    public void BadArguments_AreRejectedWithKerasMessages()
    {
        Assert.Contains("Invalid AUC curve value: \"XY\"", Assert.Throws<ArgumentException>(() => new AUC(curve: "XY")).Message);
        Assert.Contains("Invalid AUC summation method value", Assert.Throws<ArgumentException>(() => new AUC(summationMethod: "mid")).Message);
        Assert.Contains("num_thresholds=1", Assert.Throws<ArgumentException>(() => new AUC(numThresholds: 1)).Message);
        Assert.Contains("Threshold values must be in [0, 1]. Received: [1.5]", Assert.Throws<ArgumentException>(() => new Precision([0.5f, 1.5f])).Message);
        using var m = new Recall(classId: 4);
        var e = Assert.Throws<ArgumentException>(() => m.UpdateState(T([0, 1], 1, 2), T([0.3, 0.8], 1, 2)));
        Assert.Contains("class_id=4", e.Message);
        using var vector = new Precision(classId: 0);
        Assert.Contains("y_pred must be a 2D array", Assert.Throws<ArgumentException>(() => vector.UpdateState(T([0, 1], 2), T([0.3, 0.8], 2))).Message);
    }
}
