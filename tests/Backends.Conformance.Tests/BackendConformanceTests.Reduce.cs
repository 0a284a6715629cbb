using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>Reduce: op, outer, axis, inner, accumulate, a NaN in the input.</summary>
    public static TheoryData<ReduceOp, int, int, int, bool, bool> Reductions
    {
        get
        {
            (int O, int A, int I)[] shapes = [(1, 1, 1), (1, 5, 1), (3, 7, 5), (4, 33, 1), (1, 257, 3), (64, 1, 10), (1, 64, 10), (2, 3079, 2)];
            var data = new TheoryData<ReduceOp, int, int, int, bool, bool>();
            foreach (var op in Enum.GetValues<ReduceOp>())
            {
                foreach (var (o, a, i) in shapes) data.Add(op, o, a, i, false, false);
                data.Add(op, 3, 7, 5, true, false);
                data.Add(op, 3, 7, 5, false, true);
            }
            data.Add(ReduceOp.Sum, 2, 0, 3, false, false); // an empty axis sums to 0
            data.Add(ReduceOp.Sum, 0, 4, 3, false, false);
            return data;
        }
    }
}

public abstract partial class BackendConformanceTests<TFixture>
{
    [Theory, MemberData(nameof(Cases.Reductions), MemberType = typeof(Cases))]
    public void Reduce_MatchesReference(ReduceOp op, int outer, int axis, int inner, bool accumulate, bool withNaN)
    {
        using var d = Open(nameof(IBackend.Reduce));
        int seed = Inputs.Seed(op, outer, axis, inner, accumulate, withNaN);
        var x = Inputs.Normal(seed, outer * axis * inner, 2);
        if (withNaN) x[inner + 1] = float.NaN; // poisons y[0, 1] only
        var y0 = accumulate ? Inputs.Normal(seed + 1, outer * inner) : null;
        var y = y0 is null ? d.Nan(outer * inner) : d.Upload(y0);
        Backend.Reduce(op, d.Upload(x), outer, axis, inner, y, accumulate);
        var (expected, magnitude) = ReduceRef.Forward(op, Inputs.ToDouble(x), outer, axis, inner, y0 is null ? null : Inputs.ToDouble(y0));
        Check.Close($"Reduce {op} [{outer}, {axis}, {inner}], accumulate={accumulate}, NaN={withNaN}", d.Read(y), expected,
            Tolerances.Reduce(op, axis), magnitude);
    }
}
