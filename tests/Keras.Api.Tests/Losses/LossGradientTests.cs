using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu.Tests.Losses;

/// <summary>
/// Gradients of every loss with respect to the predictions (through the tape, float32) against central finite
/// differences of the float64 formula, reduced with sample weights as Keras does.
/// </summary>
public class LossGradientTests : LossTestContext
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in LossReference.Cases) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_MatchesFiniteDifferencesOfFloat64Formula(string name)
    {
        var c = LossReference.Cases.Single(k => k.Name == name);
        const int rows = 4, cols = 4;
        var rng = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xffff);
        var (yTrue, yPred) = c.Inputs(rng, rows, cols);
        double[] weights = [.. Enumerable.Range(0, rows).Select(_ => 0.25 + rng.NextDouble())];

        var prediction = Upload(yPred, [rows, cols]);
        double[] got;
        using (var tape = new GradientTape())
        {
            tape.Watch(prediction);
            var loss = c.Make("sum_over_batch_size").Call(
                c.Sparse ? Upload(yTrue, [rows], DType.Int32) : Upload(yTrue, [rows, cols]), prediction, Upload(weights, [rows]));
            got = Download(tape.Gradient(loss, [prediction])[0]!);
        }

        double Reference(double[] p) => LossReference.Reduce(LossReference.Rows(c, yTrue, p, rows, cols), weights, "sum_over_batch_size")[0];
        var expected = new double[yPred.Length];
        for (int i = 0; i < yPred.Length; i++)
        {
            const double h = 1e-6;
            var up = (double[])yPred.Clone(); up[i] += h;
            var down = (double[])yPred.Clone(); down[i] -= h;
            expected[i] = (Reference(up) - Reference(down)) / (2 * h);
        }
        double scale = expected.Max(Math.Abs);
        AssertClose(expected, got, rtol: 1e-3, atol: 1e-4 * Math.Max(scale, 1e-3), $"d{name}/dy_pred");
    }
}
