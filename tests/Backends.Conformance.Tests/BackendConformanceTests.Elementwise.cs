using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    public static TheoryData<ActivationKind, int, bool> Activations
    {
        get
        {
            var data = new TheoryData<ActivationKind, int, bool>();
            foreach (var kind in Enum.GetValues<ActivationKind>())
            {
                foreach (int n in Lengths) data.Add(kind, n, false);
                data.Add(kind, Lengths[^1], true);
            }
            return data;
        }
    }

    public static TheoryData<BinaryOp, string, string, string, bool> Binaries
    {
        get
        {
            (string A, string B, string Y)[] shapes =
            [
                ("", "", ""), ("3x4", "4", "3x4"), ("4", "3x4", "3x4"), ("3x1", "1x4", "3x4"), ("2x3x4", "3x1", "2x3x4"),
                ("5", "", "5"), ("", "7", "7"), ("1", "7", "7"), ("2x1x3", "4x1", "2x4x3"), ("0x3", "3", "0x3"),
                ("17x33", "17x1", "17x33"), ("6x1x7", "1x512x1", "6x512x7"),
            ];
            var data = new TheoryData<BinaryOp, string, string, string, bool>();
            foreach (var op in Enum.GetValues<BinaryOp>())
            {
                foreach (int n in Lengths) data.Add(op, $"{n}", $"{n}", $"{n}", false);
                foreach (var (a, b, y) in shapes) data.Add(op, a, b, y, false);
                data.Add(op, $"{Lengths[^1]}", $"{Lengths[^1]}", $"{Lengths[^1]}", true);
            }
            return data;
        }
    }

    /// <summary>ScaleAdd: length, with z, and which input y aliases ("none", "x", "z").</summary>
    public static TheoryData<int, bool, string> ScaleAdds
    {
        get
        {
            var data = new TheoryData<int, bool, string>();
            foreach (int n in Lengths)
            {
                data.Add(n, false, "none");
                data.Add(n, true, "none");
            }
            data.Add(257, false, "x");
            data.Add(257, true, "x");
            data.Add(257, true, "z");
            return data;
        }
    }
}

public abstract partial class BackendConformanceTests<TFixture>
{
    [Theory, MemberData(nameof(Cases.Activations), MemberType = typeof(Cases))]
    public void ActivationForward_MatchesReference(ActivationKind kind, int length, bool edges)
    {
        using var d = Open(nameof(IBackend.ActivationForward));
        var x = Inputs.Normal(Inputs.Seed(kind, length, edges), length, 3);
        if (edges) x = Inputs.WithEdges(x);
        var y = d.Nan(length);
        Backend.ActivationForward(kind, d.Upload(x), y, length);
        Check.Close($"{kind} forward, n={length}, edges={edges}", d.Read(y), ActivationRef.Forward(kind, Inputs.ToDouble(x)),
            Tolerances.ActivationForward(kind));
    }

    [Theory, MemberData(nameof(Cases.Activations), MemberType = typeof(Cases))]
    public void ActivationBackward_MatchesReference(ActivationKind kind, int length, bool edges)
    {
        using var d = Open(nameof(IBackend.ActivationBackward));
        var x = Inputs.Normal(Inputs.Seed(kind, length, edges), length, 3);
        if (edges) x = Inputs.WithEdges(x, withNaN: false);
        // The backward kernel sees the float32 forward output, as it would in training.
        var y = Array.ConvertAll(ActivationRef.Forward(kind, Inputs.ToDouble(x)), v => (float)v);
        var dy = Inputs.Normal(Inputs.Seed(kind, length, "dy"), length);
        var dx = d.Nan(length);
        Backend.ActivationBackward(kind, d.Upload(y), d.Upload(dy), dx, length);
        var expected = new double[length];
        var magnitude = new double[length];
        for (int i = 0; i < length; i++)
        {
            expected[i] = ActivationRef.Backward(kind, y[i], dy[i]);
            magnitude[i] = ActivationRef.BackwardMagnitude(kind, y[i], dy[i]);
        }
        Check.Close($"{kind} backward, n={length}, edges={edges}", d.Read(dx), expected, Tolerances.ActivationBackward(kind), magnitude);
    }

    [Theory, MemberData(nameof(Cases.Binaries), MemberType = typeof(Cases))]
    public void Binary_MatchesReference(BinaryOp op, string aShape, string bShape, string yShape, bool edges)
    {
        using var d = Open(nameof(IBackend.Binary));
        int[] sa = Inputs.Shape(aShape), sb = Inputs.Shape(bShape), sy = Inputs.Shape(yShape);
        var a = Inputs.Normal(Inputs.Seed(op, aShape, bShape, "a"), sa.Aggregate(1, (p, v) => p * v), 2);
        var b = Inputs.Normal(Inputs.Seed(op, aShape, bShape, "b"), sb.Aggregate(1, (p, v) => p * v), 2);
        if (edges)
        {
            // a's edge values meet ordinary b's; b's edges (reversed to the end) meet ordinary a's; a few zero divisors.
            a = Inputs.WithEdges(a);
            b = Inputs.WithEdges(b);
            Array.Reverse(b);
            b[20] = 0f; b[21] = -0f; b[22] = 0f;
        }
        var y = d.Nan(sy.Aggregate(1, (p, v) => p * v));
        Backend.Binary(op, d.Upload(a), sa, d.Upload(b), sb, y, sy);
        var (expected, magnitude) = ElementwiseRef.Binary(op, Inputs.ToDouble(a), sa, Inputs.ToDouble(b), sb, sy);
        Check.Close($"{op} [{aShape}] ⊕ [{bShape}] → [{yShape}], edges={edges}", d.Read(y), expected, Tolerances.Binary(op), magnitude);
    }

    [Theory, MemberData(nameof(Cases.ScaleAdds), MemberType = typeof(Cases))]
    public void ScaleAdd_MatchesReference(int length, bool withZ, string alias)
    {
        using var d = Open(nameof(IBackend.ScaleAdd));
        const float alpha = -0.75f, beta = 1.5f;
        var x = Inputs.Normal(Inputs.Seed(length, withZ, "x"), length, 2);
        var z = withZ ? Inputs.Normal(Inputs.Seed(length, "z"), length, 2) : null;
        IDeviceBuffer bx = d.Upload(x), bz = d.Upload(z ?? []);
        var y = alias switch { "x" => bx, "z" => bz, _ => d.Nan(length) };
        Backend.ScaleAdd(bx, alpha, withZ ? bz : null, beta, y, length);
        var (expected, magnitude) = ElementwiseRef.ScaleAdd(Inputs.ToDouble(x), alpha, z is null ? null : Inputs.ToDouble(z), beta);
        Check.Close($"ScaleAdd n={length}, z={withZ}, y aliases {alias}", d.Read(y), expected, Tolerances.Elementwise, magnitude);
    }
}
