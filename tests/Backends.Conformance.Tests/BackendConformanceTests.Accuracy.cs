using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>AccuracyCount: kind, rows, cols, with ties (predictions on a coarse grid, and exactly 0.5 for binary).</summary>
    public static TheoryData<AccuracyKind, int, int, bool> Accuracies
    {
        get
        {
            var data = new TheoryData<AccuracyKind, int, int, bool>();
            foreach (var kind in Enum.GetValues<AccuracyKind>())
            {
                foreach (var (r, c) in new[] { (0, 10), (1, 1), (1, 3), (64, 10), (257, 3) }) data.Add(kind, r, c, false);
                data.Add(kind, 64, 10, true);
            }
            return data;
        }
    }
}

public abstract partial class BackendConformanceTests<TFixture>
{
    [Theory, MemberData(nameof(Cases.Accuracies), MemberType = typeof(Cases))]
    public void AccuracyCount_MatchesReference(AccuracyKind kind, int rows, int cols, bool ties)
    {
        using var d = Open(nameof(IBackend.AccuracyCount));
        int seed = Inputs.Seed(kind, rows, cols, ties);
        var p = Inputs.Uniform(seed, rows * cols, 0, 1);
        // Ties: values on a grid of quarters, so rows repeat their maximum and binary predictions sit exactly on 0.5.
        if (ties) for (int i = 0; i < p.Length; i++) p[i] = MathF.Round(p[i] * 4) / 4;
        int[]? labels = null;
        float[]? dense = null;
        if (kind == AccuracyKind.SparseCategorical) labels = Inputs.Ints(seed + 1, rows, cols);
        else if (kind == AccuracyKind.Categorical)
        {
            dense = Inputs.Uniform(seed + 1, rows * cols, 0, 1);
            if (ties) for (int i = 0; i < dense.Length; i++) dense[i] = MathF.Round(dense[i] * 2) / 2;
        }
        else dense = Array.ConvertAll(Inputs.Uniform(seed + 1, rows * cols, 0, 1), v => v > 0.5f ? 1f : 0f);
        // A first batch is already counted: the kernel adds to accumulator[0].
        const float before = 7f;
        var accumulator = d.Upload(new[] { before });
        Backend.AccuracyCount(kind, d.Upload(p), dense is null ? d.Upload(labels!) : d.Upload(dense), rows, cols, accumulator);
        double expected = before + AccuracyRef.Count(kind, Inputs.ToDouble(p), dense is null ? null : Inputs.ToDouble(dense), labels, rows, cols);
        Check.Close($"AccuracyCount {kind} {rows}x{cols}, ties={ties}", d.Read(accumulator), [expected], Tolerances.Accuracy(kind, rows, cols));
    }
}
