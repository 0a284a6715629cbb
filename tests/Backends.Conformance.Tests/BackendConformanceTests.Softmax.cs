using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>Softmax rows × cols, and the input kind: "normal" (σ = 3), "large" (±1e4 logits), "nan" (one NaN row).</summary>
    public static TheoryData<int, int, string> Softmaxes
    {
        get
        {
            var data = new TheoryData<int, int, string>();
            foreach (var (r, c) in new[] { (1, 1), (1, 3), (3, 10), (64, 10), (2, 257), (2, 3079), (0, 10) }) data.Add(r, c, "normal");
            data.Add(8, 10, "large");
            data.Add(4, 33, "nan");
            return data;
        }
    }

    public static TheoryData<int, int> SoftmaxGradients => new() { { 1, 1 }, { 3, 10 }, { 64, 10 }, { 2, 257 }, { 2, 3079 }, { 0, 10 } };
}

public abstract partial class BackendConformanceTests<TFixture>
{
    /// <summary>Logits for softmax and the fused loss. "large": ±1e4 with ties and near-ties at the top (overflow unless
    /// the maximum is subtracted); "nan": row 1 holds a NaN.</summary>
    private static float[] Logits(int rows, int cols, string kind)
    {
        var x = Inputs.Normal(Inputs.Seed(rows, cols, kind), rows * cols, 3);
        if (kind == "large")
            for (int i = 0; i < x.Length; i++) x[i] = (i % 3) switch { 0 => 1e4f, 1 => -1e4f, _ => 1e4f - MathF.Abs(x[i]) };
        if (kind == "nan") x[cols + 2] = float.NaN;
        return x;
    }

    [Theory, MemberData(nameof(Cases.Softmaxes), MemberType = typeof(Cases))]
    public void Softmax_MatchesReference(int rows, int cols, string kind)
    {
        using var d = Open(nameof(IBackend.Softmax));
        var x = Logits(rows, cols, kind);
        var y = d.Nan(rows * cols);
        Backend.Softmax(d.Upload(x), y, rows, cols);
        var (expected, magnitude) = SoftmaxRef.Forward(Inputs.ToDouble(x), rows, cols);
        Check.Close($"Softmax {rows}x{cols} {kind}", d.Read(y), expected, Tolerances.Softmax(cols), magnitude);
    }

    [Theory, MemberData(nameof(Cases.SoftmaxGradients), MemberType = typeof(Cases))]
    public void SoftmaxBackward_MatchesReference(int rows, int cols)
    {
        using var d = Open(nameof(IBackend.SoftmaxBackward));
        var (probabilities, _) = SoftmaxRef.Forward(Inputs.ToDouble(Logits(rows, cols, "normal")), rows, cols);
        var y = Array.ConvertAll(probabilities, v => (float)v);
        var dy = Inputs.Normal(Inputs.Seed(rows, cols, "dy"), rows * cols);
        var dx = d.Nan(rows * cols);
        Backend.SoftmaxBackward(d.Upload(y), d.Upload(dy), dx, rows, cols);
        var (expected, magnitude) = SoftmaxRef.Backward(Inputs.ToDouble(y), Inputs.ToDouble(dy), rows, cols);
        Check.Close($"SoftmaxBackward {rows}x{cols}", d.Read(dx), expected, Tolerances.SoftmaxBackward(cols), magnitude);
    }
}
