using KerasGpu.Losses;

namespace KerasGpu.Tests.Losses;

/// <summary>Keras 3's loss formulas (keras/src/losses/losses.py and the backends' nn.py), written plainly in float64.</summary>
public static class LossReference
{
    public const double Eps = 1e-7;

    private static double Clip(double v, double lo, double hi) => Math.Min(Math.Max(v, lo), hi);
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double Mse(double[] t, double[] p) => t.Zip(p, (a, b) => (a - b) * (a - b)).Average();
    public static double Mae(double[] t, double[] p) => t.Zip(p, (a, b) => Math.Abs(a - b)).Average();
    public static double Mape(double[] t, double[] p) => 100 * t.Zip(p, (a, b) => Math.Abs((a - b) / Math.Max(Math.Abs(a), Eps))).Average();
    public static double Msle(double[] t, double[] p) =>
        t.Zip(p, (a, b) => Math.Pow(Math.Log(Math.Max(b, Eps) + 1) - Math.Log(Math.Max(a, Eps) + 1), 2)).Average();

    public static double Huber(double[] t, double[] p, double delta) => t.Zip(p, (a, b) =>
    {
        double x = b - a;
        return Math.Abs(x) <= delta ? 0.5 * x * x : delta * Math.Abs(x) - 0.5 * delta * delta;
    }).Average();

    public static double LogCosh(double[] t, double[] p) => t.Zip(p, (a, b) => Math.Log(Math.Cosh(b - a))).Average();

    private static double[] HingeLabels(double[] t) => t.All(v => v == 0 || v == 1) ? [.. t.Select(v => 2 * v - 1)] : t;
    public static double Hinge(double[] t, double[] p) => HingeLabels(t).Zip(p, (a, b) => Math.Max(1 - a * b, 0)).Average();
    public static double SquaredHinge(double[] t, double[] p) => HingeLabels(t).Zip(p, (a, b) => Math.Pow(Math.Max(1 - a * b, 0), 2)).Average();

    public static double CategoricalHinge(double[] t, double[] p)
    {
        double pos = t.Zip(p, (a, b) => a * b).Sum();
        double neg = t.Zip(p, (a, b) => (1 - a) * b).Max();
        return Math.Max(neg - pos + 1, 0);
    }

    public static double KlDivergence(double[] t, double[] p) =>
        t.Zip(p, (a, b) => { double tc = Clip(a, Eps, 1), pc = Clip(b, Eps, 1); return tc * Math.Log(tc / pc); }).Sum();

    public static double Poisson(double[] t, double[] p) => t.Zip(p, (a, b) => b - a * Math.Log(b + Eps)).Average();

    public static double CosineSimilarity(double[] t, double[] p)
    {
        double nt = Math.Sqrt(Math.Max(t.Sum(v => v * v), Eps * Eps)), np = Math.Sqrt(Math.Max(p.Sum(v => v * v), Eps * Eps));
        return -t.Zip(p, (a, b) => a / nt * (b / np)).Sum();
    }

    /// <summary>Per element: −t·log σ(x) − (1 − t)·log(1 − σ(x)) from logits; clipped probabilities otherwise.</summary>
    private static double BceElement(double t, double p, bool fromLogits)
    {
        if (fromLogits)
        {
            // log σ(x) = −log(1 + e^−x), log(1 − σ(x)) = −log(1 + e^x): exact in float64 for the ranges tested.
            return t * Math.Log(1 + Math.Exp(-p)) + (1 - t) * Math.Log(1 + Math.Exp(p));
        }
        double pc = Clip(p, Eps, 1 - Eps);
        return -(t * Math.Log(pc) + (1 - t) * Math.Log(1 - pc));
    }

    public static double Bce(double[] t, double[] p, bool fromLogits, double smoothing = 0) =>
        t.Zip(p, (a, b) => BceElement(a * (1 - smoothing) + 0.5 * smoothing, b, fromLogits)).Average();

    public static double BinaryFocal(double[] t, double[] p, bool balancing, double alpha, double gamma, bool fromLogits, double smoothing = 0) =>
        t.Zip(p, (a, b) =>
        {
            double ts = a * (1 - smoothing) + 0.5 * smoothing;
            double prob = fromLogits ? Sigmoid(b) : b;
            double bce = BceElement(ts, prob, fromLogits: false);
            double pT = ts * prob + (1 - ts) * (1 - prob);
            double focal = Math.Pow(1 - pT, gamma) * bce;
            return balancing ? (ts * alpha + (1 - ts) * (1 - alpha)) * focal : focal;
        }).Average();

    /// <summary>The probabilities Keras takes the log of: softmax of logits, or renormalised and clipped inputs.</summary>
    private static double[] Probabilities(double[] p, bool fromLogits, bool clipAfterSoftmax)
    {
        if (fromLogits)
        {
            double max = p.Max();
            var e = p.Select(v => Math.Exp(v - max)).ToArray();
            double s = e.Sum();
            var soft = e.Select(v => v / s).ToArray();
            return clipAfterSoftmax ? [.. soft.Select(v => Clip(v, Eps, 1 - Eps))] : soft;
        }
        double sum = p.Sum();
        return [.. p.Select(v => Clip(v / sum, Eps, 1 - Eps))];
    }

    public static double Cce(double[] t, double[] p, bool fromLogits, double smoothing = 0)
    {
        var q = Probabilities(p, fromLogits, clipAfterSoftmax: false);
        return -t.Select((a, i) => (a * (1 - smoothing) + smoothing / t.Length) * Math.Log(q[i])).Sum();
    }

    public static double CategoricalFocal(double[] t, double[] p, double[] alpha, double gamma, bool fromLogits, double smoothing = 0)
    {
        // Keras applies the softmax, then renormalises and clips whatever it has.
        var q = Probabilities(fromLogits ? Probabilities(p, true, false) : p, false, false);
        return t.Select((a, i) =>
        {
            double ts = a * (1 - smoothing) + smoothing / t.Length;
            return alpha[alpha.Length == 1 ? 0 : i] * Math.Pow(1 - q[i], gamma) * -ts * Math.Log(q[i]);
        }).Sum();
    }

    /// <summary>Sparse cross-entropy of one row: <paramref name="t"/> holds the class index as its only element.</summary>
    public static double Scce(double[] t, double[] p, bool fromLogits) =>
        -Math.Log(Probabilities(p, fromLogits, clipAfterSoftmax: false)[(int)t[0]]);

    public static double Dice(double[] t, double[] p) =>
        1 - 2 * t.Zip(p, (a, b) => a * b).Sum() / (t.Sum() + p.Sum() + Eps);

    public static double Tversky(double[] t, double[] p, double alpha, double beta)
    {
        double tp = t.Zip(p, (a, b) => a * b).Sum(), fp = t.Zip(p, (a, b) => (1 - a) * b).Sum(), fn = t.Zip(p, (a, b) => a * (1 - b)).Sum();
        return 1 - tp / (tp + alpha * fp + beta * fn + Eps);
    }

    /// <summary>Generalized cross-entropy of one row: <paramref name="t"/> holds the class index.</summary>
    public static double GeneralizedCrossEntropy(double[] t, double[] p, double q) => (1 - Math.Pow(p[(int)t[0]], q)) / q;

    /// <summary>Keras' reduce_weighted_values over per-sample values and optional per-sample weights.</summary>
    public static double[] Reduce(double[] values, double[]? weights, string reduction)
    {
        var weighted = weights is null ? values : [.. values.Zip(weights, (v, w) => v * w)];
        return reduction switch
        {
            "none" => weighted,
            "sum" => [weighted.Sum()],
            "mean_with_sample_weight" when weights is not null => [weights.Sum() == 0 ? 0 : weighted.Sum() / weights.Sum()],
            _ => [weighted.Sum() / weighted.Length],
        };
    }

    // ---- inputs ----

    private static double U(Random r, double lo, double hi) => lo + (hi - lo) * r.NextDouble();
    private static double[] Fill(Random r, int n, Func<double> f) => [.. Enumerable.Range(0, n).Select(_ => f())];

    private static (double[], double[]) Regression(Random r, int rows, int cols) =>
        (Fill(r, rows * cols, () => U(r, -2, 2)), Fill(r, rows * cols, () => U(r, -2, 2)));

    private static (double[], double[]) BinaryProbabilities(Random r, int rows, int cols) =>
        (Fill(r, rows * cols, () => r.Next(2)), Fill(r, rows * cols, () => U(r, 0.02, 0.98)));

    private static (double[], double[]) BinaryLogits(Random r, int rows, int cols) =>
        (Fill(r, rows * cols, () => r.Next(2)), Fill(r, rows * cols, () => U(r, -4, 4)));

    private static double[] OneHot(Random r, int rows, int cols)
    {
        var t = new double[rows * cols];
        for (int i = 0; i < rows; i++) t[i * cols + r.Next(cols)] = 1;
        return t;
    }

    /// <summary>Unnormalised positive scores (Keras renormalises them) and one-hot targets.</summary>
    private static (double[], double[]) CategoricalProbabilities(Random r, int rows, int cols) =>
        (OneHot(r, rows, cols), Fill(r, rows * cols, () => U(r, 0.05, 1)));

    private static (double[], double[]) CategoricalLogits(Random r, int rows, int cols) =>
        (OneHot(r, rows, cols), Fill(r, rows * cols, () => U(r, -3, 3)));

    /// <summary>Every loss with the arguments worth covering, for the float64 comparisons and gradient checks.</summary>
    public static IReadOnlyList<LossCase> Cases { get; } =
    [
        new("mean_squared_error", red => new MeanSquaredError(red), Mse, Regression),
        new("mean_absolute_error", red => new MeanAbsoluteError(red), Mae, Regression),
        new("mean_absolute_percentage_error", red => new MeanAbsolutePercentageError(red), Mape,
            (r, n, c) => (Fill(r, n * c, () => U(r, 0.5, 2) * (r.Next(2) * 2 - 1)), Fill(r, n * c, () => U(r, -2, 2)))),
        new("mean_squared_logarithmic_error", red => new MeanSquaredLogarithmicError(red), Msle,
            (r, n, c) => (Fill(r, n * c, () => U(r, 0.01, 3)), Fill(r, n * c, () => U(r, 0.01, 3)))),
        new("huber", red => new Huber(reduction: red), (t, p) => Huber(t, p, 1.0), Regression),
        new("huber_delta_0.5", red => new Huber(0.5f, red), (t, p) => Huber(t, p, 0.5), Regression),
        new("log_cosh", red => new LogCosh(red), LogCosh, Regression),
        new("hinge_01_labels", red => new Hinge(red), Hinge, (r, n, c) => (Fill(r, n * c, () => r.Next(2)), Fill(r, n * c, () => U(r, -2, 2)))),
        new("hinge_pm1_labels", red => new Hinge(red), Hinge, (r, n, c) => (Fill(r, n * c, () => r.Next(2) * 2 - 1), Fill(r, n * c, () => U(r, -2, 2)))),
        new("squared_hinge", red => new SquaredHinge(red), SquaredHinge, (r, n, c) => (Fill(r, n * c, () => r.Next(2)), Fill(r, n * c, () => U(r, -2, 2)))),
        new("categorical_hinge", red => new CategoricalHinge(red), CategoricalHinge, (r, n, c) => (OneHot(r, n, c), Fill(r, n * c, () => U(r, -2, 2)))),
        new("kl_divergence", red => new KLDivergence(red), KlDivergence,
            (r, n, c) => (Fill(r, n * c, () => U(r, 0.01, 1)), Fill(r, n * c, () => U(r, 0.01, 1)))),
        new("poisson", red => new Poisson(red), Poisson, (r, n, c) => (Fill(r, n * c, () => U(r, 0, 3)), Fill(r, n * c, () => U(r, 0.1, 3)))),
        new("cosine_similarity", red => new CosineSimilarity(reduction: red), CosineSimilarity, Regression),
        new("binary_crossentropy", red => new BinaryCrossentropy(reduction: red), (t, p) => Bce(t, p, false), BinaryProbabilities),
        new("binary_crossentropy_logits", red => new BinaryCrossentropy(fromLogits: true, reduction: red), (t, p) => Bce(t, p, true), BinaryLogits),
        new("binary_crossentropy_smoothing", red => new BinaryCrossentropy(labelSmoothing: 0.2f, reduction: red), (t, p) => Bce(t, p, false, 0.2), BinaryProbabilities),
        new("binary_crossentropy_logits_smoothing", red => new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.1f, reduction: red),
            (t, p) => Bce(t, p, true, 0.1), BinaryLogits),
        new("binary_focal_crossentropy", red => new BinaryFocalCrossentropy(reduction: red),
            (t, p) => BinaryFocal(t, p, false, 0.25, 2, false), BinaryProbabilities),
        new("binary_focal_crossentropy_balanced_logits", red => new BinaryFocalCrossentropy(applyClassBalancing: true, alpha: 0.4f, gamma: 3f, fromLogits: true, reduction: red),
            (t, p) => BinaryFocal(t, p, true, 0.4, 3, true), BinaryLogits),
        new("binary_focal_crossentropy_smoothing", red => new BinaryFocalCrossentropy(gamma: 1.5f, labelSmoothing: 0.2f, reduction: red),
            (t, p) => BinaryFocal(t, p, false, 0.25, 1.5, false, 0.2), BinaryProbabilities),
        new("categorical_crossentropy", red => new CategoricalCrossentropy(reduction: red), (t, p) => Cce(t, p, false), CategoricalProbabilities),
        new("categorical_crossentropy_logits", red => new CategoricalCrossentropy(fromLogits: true, reduction: red), (t, p) => Cce(t, p, true), CategoricalLogits),
        new("categorical_crossentropy_smoothing", red => new CategoricalCrossentropy(labelSmoothing: 0.1f, reduction: red), (t, p) => Cce(t, p, false, 0.1), CategoricalProbabilities),
        new("categorical_crossentropy_logits_smoothing", red => new CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.3f, reduction: red),
            (t, p) => Cce(t, p, true, 0.3), CategoricalLogits),
        new("categorical_focal_crossentropy", red => new CategoricalFocalCrossentropy(reduction: red),
            (t, p) => CategoricalFocal(t, p, [0.25], 2, false), CategoricalProbabilities),
        new("categorical_focal_crossentropy_logits_class_alpha", red => new CategoricalFocalCrossentropy([0.1f, 0.2f, 0.3f, 0.4f], gamma: 1f, fromLogits: true, labelSmoothing: 0.1f, reduction: red),
            (t, p) => CategoricalFocal(t, p, [0.1, 0.2, 0.3, 0.4], 1, true, 0.1), CategoricalLogits),
        new("sparse_categorical_crossentropy", red => new SparseCategoricalCrossentropy(reduction: red), (t, p) => Scce(t, p, false),
            (r, n, c) => (Fill(r, n, () => r.Next(c)), Fill(r, n * c, () => U(r, 0.05, 1))), Sparse: true),
        new("sparse_categorical_crossentropy_logits", red => new SparseCategoricalCrossentropy(fromLogits: true, reduction: red), (t, p) => Scce(t, p, true),
            (r, n, c) => (Fill(r, n, () => r.Next(c)), Fill(r, n * c, () => U(r, -3, 3))), Sparse: true),
        new("dice_axis1", red => new Dice(red, axis: [1]), Dice, (r, n, c) => (Fill(r, n * c, () => r.Next(2)), Fill(r, n * c, () => U(r, 0.01, 1)))),
        new("tversky_axis1", red => new Tversky(0.3f, 0.7f, red, axis: [1]), (t, p) => Tversky(t, p, 0.3, 0.7),
            (r, n, c) => (Fill(r, n * c, () => r.Next(2)), Fill(r, n * c, () => U(r, 0.01, 1)))),
        new("categorical_generalized_cross_entropy", red => new CategoricalGeneralizedCrossEntropy(0.7f, red), (t, p) => GeneralizedCrossEntropy(t, p, 0.7),
            (r, n, c) => (Fill(r, n, () => r.Next(c)), Fill(r, n * c, () => U(r, 0.05, 1))), Sparse: true),
    ];

    /// <summary>Per-sample values of a case for <paramref name="rows"/> rows of <paramref name="cols"/> values.</summary>
    public static double[] Rows(LossCase c, double[] yTrue, double[] yPred, int rows, int cols)
    {
        int tCols = c.Sparse ? 1 : cols;
        return [.. Enumerable.Range(0, rows).Select(i => c.Row(yTrue[(i * tCols)..((i + 1) * tCols)], yPred[(i * cols)..((i + 1) * cols)]))];
    }
}
