using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    /// <summary>CopyStrided: int32?, xOffset, xRowStride, yOffset, yRowStride, rows, rowLength (slices and concatenation
    /// pieces along inner, middle and outer axes; empty copies; one row; contiguous rows).</summary>
    public static TheoryData<bool, int, int, int, int, int, int> StridedCopies => new()
    {
        { false, 0, 4, 0, 4, 0, 4 }, { false, 0, 4, 0, 4, 3, 0 }, { false, 0, 5, 0, 5, 1, 5 }, { false, 0, 7, 0, 3, 4, 3 },
        { false, 3, 7, 0, 3, 4, 3 }, { false, 0, 3, 2, 7, 4, 3 }, { false, 5, 10, 7, 13, 33, 4 }, { false, 0, 1, 0, 1, 257, 1 },
        { false, 1, 40, 2, 100, 17, 37 }, { false, 11, 512, 0, 257, 12, 257 }, { false, 0, 33, 0, 33, 97, 33 },
        { true, 0, 7, 0, 3, 4, 3 }, { true, 5, 10, 7, 13, 33, 4 }, { true, 2, 600, 1, 513, 9, 513 },
    };

    /// <summary>Permute: int32?, x's shape ("2x3x4"), perm ("2,0,1"). Ranks 1..5 (and 8), identity and reversed perms,
    /// dimensions of size 1 and 0, and a 3079-element transpose.</summary>
    public static TheoryData<bool, string, string> Permutes
    {
        get
        {
            (string Shape, string Perm)[] cases =
            [
                ("7", "0"), ("0", "0"), ("3x4", "1,0"), ("3x4", "0,1"), ("1x5", "1,0"), ("79x39", "1,0"), ("2x3x4", "2,0,1"),
                ("2x3x4", "1,2,0"), ("2x3x4", "2,1,0"), ("5x1x6", "0,2,1"), ("2x0x3", "2,1,0"), ("2x3x4x5", "3,1,0,2"),
                ("2x3x4x5", "0,2,3,1"), ("3x1x4x1x5", "4,2,0,3,1"), ("2x3x2x4x3", "1,3,0,4,2"), ("2x3x2x4x3", "4,3,2,1,0"),
                ("2x1x2x3x1x2x2x3", "7,0,5,2,6,1,3,4"),
            ];
            var data = new TheoryData<bool, string, string>();
            foreach (bool ints in new[] { false, true })
                foreach (var (shape, perm) in cases)
                    data.Add(ints, shape, perm);
            return data;
        }
    }
}

public abstract partial class BackendConformanceTests<TFixture>
{
    [Theory, MemberData(nameof(Cases.StridedCopies), MemberType = typeof(Cases))]
    public void CopyStrided_MatchesReference(bool ints, int xOffset, int xRowStride, int yOffset, int yRowStride, int rows, int rowLength)
    {
        using var d = Open(nameof(IBackend.CopyStrided));
        // Buffers a few elements longer than the copy needs, so writes past the last row show.
        int xLength = xOffset + Math.Max(0, rows - 1) * xRowStride + rowLength + 3;
        int yLength = yOffset + Math.Max(0, rows - 1) * yRowStride + rowLength + 3;
        string what = $"CopyStrided {(ints ? "int32" : "float32")} x@{xOffset}/{xRowStride} → y@{yOffset}/{yRowStride}, {rows}×{rowLength}";
        if (ints)
        {
            int[] x = Inputs.Ints(xLength, xLength, 1 << 30), before = Inputs.Ints(yLength + 1, yLength, 1 << 30);
            var y = d.Upload(before);
            Backend.CopyStrided(d.Upload(x), xOffset, xRowStride, y, yOffset, yRowStride, rows, rowLength);
            Check.Bitwise(what, d.ReadInts(y), LayoutRef.CopyStrided(x, xOffset, xRowStride, before, yOffset, yRowStride, rows, rowLength));
        }
        else
        {
            float[] x = Inputs.Normal(xLength, xLength), before = Inputs.Normal(yLength + 1, yLength);
            var y = d.Upload(before);
            Backend.CopyStrided(d.Upload(x), xOffset, xRowStride, y, yOffset, yRowStride, rows, rowLength);
            Check.Bitwise(what, d.Read(y), LayoutRef.CopyStrided(x, xOffset, xRowStride, before, yOffset, yRowStride, rows, rowLength));
        }
    }

    [Theory, MemberData(nameof(Cases.Permutes), MemberType = typeof(Cases))]
    public void Permute_MatchesReference(bool ints, string shape, string perm)
    {
        using var d = Open(nameof(IBackend.Permute));
        int[] xShape = Inputs.Shape(shape), p = Array.ConvertAll(perm.Split(','), s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
        int length = xShape.Aggregate(1, (a, v) => a * v);
        string what = $"Permute {(ints ? "int32" : "float32")} [{shape}] by ({perm})";
        if (ints)
        {
            var x = Inputs.Ints(Inputs.Seed(shape, perm), length, 1 << 30);
            var y = d.Upload(Enumerable.Repeat(-1, length).ToArray());
            Backend.Permute(d.Upload(x), xShape, p, y);
            Check.Bitwise(what, d.ReadInts(y), LayoutRef.Permute(x, xShape, p));
        }
        else
        {
            var x = Inputs.Normal(Inputs.Seed(shape, perm), length);
            var y = d.Nan(length);
            Backend.Permute(d.Upload(x), xShape, p, y);
            Check.Bitwise(what, d.Read(y), LayoutRef.Permute(x, xShape, p));
        }
    }
}
