using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>Unary: op, length, input kind ("normal": σ = 3; "edges": <see cref="UnaryEdges"/> then normal values;
    /// "small": |x| ≤ 1e-3, where expm1/log1p/tanh/sin/erf must keep relative accuracy; "alias": y is x).</summary>
    public static TheoryData<UnaryOp, int, string> Unaries
    {
        get
        {
            var data = new TheoryData<UnaryOp, int, string>();
            foreach (var op in Enum.GetValues<UnaryOp>())
            {
                foreach (int n in new[] { 0, 1, 33, 257, 6 * 512 + 7 }) data.Add(op, n, "normal");
                data.Add(op, 257, "edges");
                data.Add(op, 257, "small");
                data.Add(op, 33, "alias");
            }
            return data;
        }
    }

    /// <summary>
    /// Special values every unary op meets: signed zeros, ±∞, NaN, ±1, halves (Round's ties go to even), values just
    /// below/above integers and 1, erf's series/asymptotic switch at 1, exp's overflow (88.72) and underflow (−103.97)
    /// thresholds, tiny (±1e-30, ±1e-5) and huge (±3e38, ±1e4) magnitudes, large odd integers and a half at 2²².
    /// </summary>
    public static readonly float[] UnaryEdges =
    [
        0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1f, -1f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f,
        3.5f, -3.5f, 0.49999997f, -0.49999997f, 2.4999998f, 0.99999994f, 1.0000001f, -0.99999994f, -1.0000001f,
        1e-30f, -1e-30f, 1e-5f, -1e-5f, 1e-3f, 88f, -88f, 88.72283f, 88.7229f, 89f, -89f, -103.9f, -110f, 3e38f, -3e38f,
        1e4f, -1e4f, 8388607f, -8388607f, 4194304.5f, -4194304.5f, 2.99f, 3f, 6f, -6f, 10f, -10f, 20f, -20f, 3.1415927f,
        1.5707964f, 100f, -100f,
    ];

    /// <summary>Where: length and whether a and b hold NaN/∞ (in the branch not taken as well as the one taken).</summary>
    public static TheoryData<int, bool> Wheres
    {
        get
        {
            var data = new TheoryData<int, bool>();
            foreach (int n in Lengths) data.Add(n, false);
            data.Add(257, true);
            return data;
        }
    }

    /// <summary>Cast: direction ("int-to-float", "float-to-int") and length.</summary>
    public static TheoryData<string, int> Casts
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (string direction in new[] { "int-to-float", "float-to-int" })
                foreach (int n in Lengths)
                    data.Add(direction, n);
            return data;
        }
    }
}

public abstract partial class BackendConformanceTests<TFixture>
{
    [Theory, MemberData(nameof(Cases.Unaries), MemberType = typeof(Cases))]
    public void Unary_MatchesReference(UnaryOp op, int length, string kind)
    {
        using var d = Open(nameof(IBackend.Unary));
        int seed = Inputs.Seed(op, length, kind);
        float[] x = kind == "small" ? Inputs.Uniform(seed, length, -1e-3, 1e-3) : Inputs.Normal(seed, length, 3);
        if (kind == "edges") Array.Copy(Cases.UnaryEdges, x, Math.Min(Cases.UnaryEdges.Length, length));
        var bx = d.Upload(x);
        var y = kind == "alias" ? bx : d.Nan(length);
        Backend.Unary(op, bx, y, length);
        Check.Close($"Unary {op}, n={length}, {kind}", d.Read(y), MathRef.Unary(op, Inputs.ToDouble(x)), Tolerances.Unary(op));
    }

    /// <summary>Power's special values (C's pow), many with negative bases.</summary>
    [Fact]
    public void Power_SpecialValues_MatchReference()
    {
        using var d = Open(nameof(IBackend.Binary));
        float inf = float.PositiveInfinity, nan = float.NaN;
        (float A, float B)[] pairs =
        [
            (-2f, 3f), (-2f, 2f), (-2f, -3f), (-2f, 0.5f), (-8f, 1f / 3), (-1.5f, 2.5f), (-3f, 1e10f), (-3f, 21f), (-0.5f, 7f),
            (0f, -1f), (-0f, -1f), (-0f, -2f), (-0f, 3f), (0f, 0f), (-0f, 0f), (nan, 0f), (1f, nan), (1f, inf), (-1f, inf),
            (-1f, -inf), (nan, 1f), (2f, nan), (2f, inf), (0.5f, inf), (2f, -inf), (0.5f, -inf), (inf, -1f), (inf, 0.5f),
            (-inf, 3f), (-inf, 2f), (-inf, -3f), (-inf, -2f), (-inf, 0.5f), (2f, -150f), (10f, 38.5f), (10f, -38f), (3f, 0.5f),
            (1e-30f, -2f), (2f, 10f), (9f, 0.5f), (1.0001f, 1e4f), (0.25f, -0.5f), (7f, 1f), (7f, -1f),
        ];
        float[] a = pairs.Select(p => p.A).ToArray(), b = pairs.Select(p => p.B).ToArray();
        var y = d.Nan(a.Length);
        Backend.Binary(BinaryOp.Power, d.Upload(a), [a.Length], d.Upload(b), [b.Length], y, [a.Length]);
        var (expected, _) = ElementwiseRef.Binary(BinaryOp.Power, Inputs.ToDouble(a), [a.Length], Inputs.ToDouble(b), [b.Length], [a.Length]);
        Check.Close("Power special values", d.Read(y), expected, Tolerances.Binary(BinaryOp.Power));
    }

    /// <summary>Every comparison over all pairs of special values (NaN, ±∞, ±0, equal and adjacent floats).</summary>
    [Theory]
    [InlineData(BinaryOp.Greater)]
    [InlineData(BinaryOp.GreaterEqual)]
    [InlineData(BinaryOp.Less)]
    [InlineData(BinaryOp.LessEqual)]
    [InlineData(BinaryOp.Equal)]
    [InlineData(BinaryOp.NotEqual)]
    public void Comparison_SpecialValues_MatchReference(BinaryOp op)
    {
        using var d = Open(nameof(IBackend.Binary));
        float[] values = [float.NaN, float.NegativeInfinity, -1f, -0f, 0f, 1e-30f, 1f, 1.0000001f, float.PositiveInfinity];
        int n = values.Length;
        // An outer comparison by broadcasting: a as a column [n, 1], b as a row [n].
        var y = d.Nan(n * n);
        Backend.Binary(op, d.Upload(values), [n, 1], d.Upload(values), [n], y, [n, n]);
        var (expected, _) = ElementwiseRef.Binary(op, Inputs.ToDouble(values), [n, 1], Inputs.ToDouble(values), [n], [n, n]);
        Check.Close($"{op} on special values", d.Read(y), expected, Tolerances.Binary(op));
    }

    [Theory, MemberData(nameof(Cases.Wheres), MemberType = typeof(Cases))]
    public void Where_MatchesReference(int length, bool nonFinite)
    {
        using var d = Open(nameof(IBackend.Where));
        int seed = Inputs.Seed(length, nonFinite, "where");
        // Conditions: 0, −0 (false), NaN (true: NaN ≠ 0), 1 and other non-zero values, cycling.
        float[] conditionValues = [0f, 1f, -0f, float.NaN, -2.5f, 1e-30f, float.PositiveInfinity, 0f];
        var condition = Enumerable.Range(0, length).Select(i => conditionValues[(i * 5 + seed % 7) % conditionValues.Length]).ToArray();
        var a = Inputs.Normal(seed + 1, length, 2);
        var b = Inputs.Normal(seed + 2, length, 2);
        if (nonFinite)
            for (int i = 0; i < length; i += 3) { a[i] = float.NaN; b[i + 1 < length ? i + 1 : i] = float.NegativeInfinity; }
        var y = d.Nan(length);
        Backend.Where(d.Upload(condition), d.Upload(a), d.Upload(b), y, length);
        var expected = new double[length];
        for (int i = 0; i < length; i++) expected[i] = MathRef.Where(condition[i], a[i], b[i]);
        Check.Close($"Where n={length}, non-finite={nonFinite}", d.Read(y), expected, Tolerances.Exact);
    }

    [Theory, MemberData(nameof(Cases.Casts), MemberType = typeof(Cases))]
    public void Cast_MatchesReference(string direction, int length)
    {
        using var d = Open(nameof(IBackend.Cast));
        int seed = Inputs.Seed(direction, length);
        if (direction == "int-to-float")
        {
            // Large integers round to the nearest float (ties to even: 2²⁴ + 1 → 2²⁴, 2²⁴ + 3 → 2²⁴ + 4).
            int[] special = [0, 1, -1, 16777216, 16777217, 16777219, -16777217, -16777219, int.MaxValue, int.MinValue, 123456789, -987654321];
            var x = Inputs.Ints(seed, length, int.MaxValue);
            for (int i = 0; i < length; i++) x[i] = i < special.Length ? special[i] : i % 2 == 0 ? x[i] : -x[i] / (1 + i % 5000);
            var y = d.Nan(length);
            Backend.Cast(d.Upload(x), y, length);
            Check.Bitwise($"Cast int32 → float32 n={length}", d.Read(y), Array.ConvertAll(x, MathRef.ToFloat));
        }
        else
        {
            // Truncation toward zero, signed zeros, halves, values just inside int32's range (2³¹ − 128 is the largest float below 2³¹).
            float[] special = [0f, -0f, 0.5f, -0.5f, 0.99999994f, -0.99999994f, 2.7f, -2.7f, 1e9f, -1e9f, 2147483520f, -2147483648f, 16777217f, 7.5f, -7.5f];
            var x = Inputs.Normal(seed, length, 1e4);
            Array.Copy(special, x, Math.Min(special.Length, length));
            var y = d.Upload(Enumerable.Repeat(-7, length).ToArray());
            Backend.Cast(d.Upload(x), y, length);
            Check.Bitwise($"Cast float32 → int32 n={length}", d.ReadInts(y), Array.ConvertAll(x, MathRef.ToInt));
        }
    }
}
