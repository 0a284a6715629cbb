using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>Targets: "sparse" labels, "onehot" dense rows, "soft" dense rows that need not sum to 1.</summary>
    private static readonly string[] TargetKinds = ["sparse", "onehot", "soft"];

    /// <summary>Fused softmax-crossentropy: rows, cols, targets, logits kind ("normal" or "large").</summary>
    public static TheoryData<int, int, string, string> SoftmaxCrossEntropies
    {
        get
        {
            var data = new TheoryData<int, int, string, string>();
            foreach (string t in TargetKinds)
            {
                foreach (var (r, c) in new[] { (1, 1), (1, 3), (64, 10), (3, 257), (0, 10) }) data.Add(r, c, t, "normal");
                data.Add(8, 10, t, "large");
            }
            return data;
        }
    }

    /// <summary>Crossentropy of probabilities: rows, cols, targets, epsilon, predictions ("normal", or "clipped": exact
    /// zeros, exact ones and one-hot rows, which hit both ends of the clip).</summary>
    public static TheoryData<int, int, string, float, string> CrossEntropies
    {
        get
        {
            var data = new TheoryData<int, int, string, float, string>();
            foreach (string t in TargetKinds)
            {
                foreach (var (r, c) in new[] { (1, 1), (1, 3), (64, 10), (3, 257), (0, 10) }) data.Add(r, c, t, 1e-7f, "normal");
                data.Add(16, 10, t, 1e-7f, "clipped");
                data.Add(16, 10, t, 1e-2f, "normal");
            }
            return data;
        }
    }

    public static TheoryData<int, int> SquaredErrors => new() { { 1, 1 }, { 1, 3 }, { 64, 10 }, { 3, 257 }, { 2, 3079 }, { 0, 10 } };
}

public abstract partial class BackendConformanceTests<TFixture>
{
    /// <summary>Targets as the kernel takes them (int32 labels or float32 rows) and densely, for the reference.</summary>
    private static (float[]? Dense, int[]? Labels, double[] Reference, TargetKind Kind) Targets(int rows, int cols, string kind, int seed)
    {
        if (kind == "soft")
        {
            var soft = Inputs.Uniform(seed, rows * cols, 0, 1);
            return (soft, null, Inputs.ToDouble(soft), TargetKind.Dense);
        }
        var labels = Inputs.Ints(seed, rows, cols);
        var oneHot = LossRef.OneHot(labels, cols);
        return kind == "sparse"
            ? (null, labels, oneHot, TargetKind.SparseIndex)
            : (Array.ConvertAll(oneHot, v => (float)v), null, oneHot, TargetKind.Dense);
    }

    private static IDeviceBuffer Upload(DeviceScope d, float[]? dense, int[]? labels) => dense is null ? d.Upload(labels!) : d.Upload(dense);

    [Theory, MemberData(nameof(Cases.SoftmaxCrossEntropies), MemberType = typeof(Cases))]
    public void SoftmaxCrossEntropy_MatchesReference(int rows, int cols, string targets, string logits)
    {
        using var d = Open(nameof(IBackend.SoftmaxCrossEntropy));
        var z = Logits(rows, cols, logits);
        var (dense, labels, t, kind) = Targets(rows, cols, targets, Inputs.Seed(rows, cols, targets));
        IDeviceBuffer p = d.Nan(rows * cols), loss = d.Nan(rows);
        Backend.SoftmaxCrossEntropy(d.Upload(z), Upload(d, dense, labels), kind, rows, cols, p, loss);
        var dz = Inputs.ToDouble(z);
        var (expectP, magP) = SoftmaxRef.Forward(dz, rows, cols);
        var (expectLoss, magLoss) = LossRef.SoftmaxCrossEntropy(dz, t, rows, cols);
        string name = $"SoftmaxCrossEntropy {rows}x{cols}, {targets} targets, {logits} logits";
        Check.Close(name + ": probabilities", d.Read(p), expectP, Tolerances.Softmax(cols), magP);
        Check.Close(name + ": row loss", d.Read(loss), expectLoss, Tolerances.SoftmaxCrossEntropyLoss(cols), magLoss);
    }

    [Theory, MemberData(nameof(Cases.SoftmaxCrossEntropies), MemberType = typeof(Cases))]
    public void SoftmaxCrossEntropyBackward_MatchesReference(int rows, int cols, string targets, string logits)
    {
        using var d = Open(nameof(IBackend.SoftmaxCrossEntropyBackward));
        var (probabilities, _) = SoftmaxRef.Forward(Inputs.ToDouble(Logits(rows, cols, logits)), rows, cols);
        var p = Array.ConvertAll(probabilities, v => (float)v);
        var (dense, labels, t, kind) = Targets(rows, cols, targets, Inputs.Seed(rows, cols, targets));
        var g = Inputs.Uniform(Inputs.Seed(rows, "g"), rows, 0.1, 2);
        var dz = d.Nan(rows * cols);
        Backend.SoftmaxCrossEntropyBackward(d.Upload(p), Upload(d, dense, labels), kind, d.Upload(g), dz, rows, cols);
        var (expected, magnitude) = LossRef.SoftmaxCrossEntropyBackward(Inputs.ToDouble(p), t, Inputs.ToDouble(g), rows, cols);
        Check.Close($"SoftmaxCrossEntropyBackward {rows}x{cols}, {targets} targets, {logits} logits", d.Read(dz), expected,
            Tolerances.SoftmaxCrossEntropyBackward(cols), magnitude);
    }

    /// <summary>Probabilities (unnormalised rows in (0.05, 1)); "clipped" rows alternate exact zeros, one-hot rows and
    /// all-equal rows so q hits 0 and 1 exactly (never near the clip's edges, where float32 and float64 may disagree).</summary>
    private static float[] Probabilities(int rows, int cols, string kind, int seed)
    {
        var p = Inputs.Uniform(seed, rows * cols, 0.05, 1);
        if (kind == "clipped")
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++)
                    p[r * cols + j] = (r % 3) switch { 0 => j % 2 == 0 ? 0f : p[r * cols + j], 1 => j == r % cols ? 1f : 0f, _ => p[r * cols + j] };
        return p;
    }

    [Theory, MemberData(nameof(Cases.CrossEntropies), MemberType = typeof(Cases))]
    public void CrossEntropy_MatchesReference(int rows, int cols, string targets, float epsilon, string predictions)
    {
        using var d = Open(nameof(IBackend.CrossEntropy));
        int seed = Inputs.Seed(rows, cols, targets, epsilon, predictions);
        var p = Probabilities(rows, cols, predictions, seed);
        var (dense, labels, t, kind) = Targets(rows, cols, targets, seed + 1);
        var loss = d.Nan(rows);
        Backend.CrossEntropy(d.Upload(p), Upload(d, dense, labels), kind, rows, cols, epsilon, loss);
        var (expected, magnitude) = LossRef.CrossEntropy(Inputs.ToDouble(p), t, rows, cols, epsilon);
        Check.Close($"CrossEntropy {rows}x{cols}, {targets} targets, ε={epsilon}, {predictions}", d.Read(loss), expected,
            Tolerances.CrossEntropyLoss(cols), magnitude);
    }

    [Theory, MemberData(nameof(Cases.CrossEntropies), MemberType = typeof(Cases))]
    public void CrossEntropyBackward_MatchesReference(int rows, int cols, string targets, float epsilon, string predictions)
    {
        using var d = Open(nameof(IBackend.CrossEntropyBackward));
        int seed = Inputs.Seed(rows, cols, targets, epsilon, predictions);
        var p = Probabilities(rows, cols, predictions, seed);
        var (dense, labels, t, kind) = Targets(rows, cols, targets, seed + 1);
        var g = Inputs.Uniform(seed + 2, rows, 0.1, 2);
        var dp = d.Nan(rows * cols);
        Backend.CrossEntropyBackward(d.Upload(p), Upload(d, dense, labels), kind, d.Upload(g), dp, rows, cols, epsilon);
        var (expected, magnitude) = LossRef.CrossEntropyBackward(Inputs.ToDouble(p), t, Inputs.ToDouble(g), rows, cols, epsilon);
        Check.Close($"CrossEntropyBackward {rows}x{cols}, {targets} targets, ε={epsilon}, {predictions}", d.Read(dp), expected,
            Tolerances.CrossEntropyBackward(cols), magnitude);
    }

    [Theory, MemberData(nameof(Cases.SquaredErrors), MemberType = typeof(Cases))]
    public void SquaredError_MatchesReference(int rows, int cols)
    {
        using var d = Open(nameof(IBackend.SquaredError));
        float[] p = Inputs.Normal(Inputs.Seed(rows, cols, "p"), rows * cols), t = Inputs.Normal(Inputs.Seed(rows, cols, "t"), rows * cols);
        var loss = d.Nan(rows);
        Backend.SquaredError(d.Upload(p), d.Upload(t), rows, cols, loss);
        Check.Close($"SquaredError {rows}x{cols}", d.Read(loss), LossRef.SquaredError(Inputs.ToDouble(p), Inputs.ToDouble(t), rows, cols),
            Tolerances.SquaredError(cols));
    }

    [Theory, MemberData(nameof(Cases.SquaredErrors), MemberType = typeof(Cases))]
    public void SquaredErrorBackward_MatchesReference(int rows, int cols)
    {
        using var d = Open(nameof(IBackend.SquaredErrorBackward));
        float[] p = Inputs.Normal(Inputs.Seed(rows, cols, "p"), rows * cols), t = Inputs.Normal(Inputs.Seed(rows, cols, "t"), rows * cols);
        var g = Inputs.Uniform(Inputs.Seed(rows, "g"), rows, 0.1, 2);
        var dp = d.Nan(rows * cols);
        Backend.SquaredErrorBackward(d.Upload(p), d.Upload(t), d.Upload(g), dp, rows, cols);
        Check.Close($"SquaredErrorBackward {rows}x{cols}", d.Read(dp),
            LossRef.SquaredErrorBackward(Inputs.ToDouble(p), Inputs.ToDouble(t), Inputs.ToDouble(g), rows, cols), Tolerances.SquaredErrorBackward);
    }
}
