using KerasGpu.Backend;

namespace KerasGpu.Conformance;

public static partial class Cases
{
    public static TheoryData<int, float> Fills
    {
        get
        {
            var data = new TheoryData<int, float>();
            foreach (int n in Lengths) data.Add(n, 0.25f);
            data.Add(33, -0f);
            data.Add(33, float.NaN);
            data.Add(33, float.NegativeInfinity);
            return data;
        }
    }

    /// <summary>Copy: dtype (float32 or int32), source length, source offset, destination offset, count.</summary>
    public static TheoryData<bool, int, int, int, int> Copies => new()
    {
        { false, 0, 0, 0, 0 }, { false, 33, 0, 0, 33 }, { false, 257, 5, 3, 200 }, { false, 3079, 1, 0, 3078 },
        { true, 33, 0, 0, 33 }, { true, 257, 17, 1, 100 },
    };

    /// <summary>GatherRows: int32 rows?, rows, rowLength, count, indexOffset.</summary>
    public static TheoryData<bool, int, int, int, int> Gathers => new()
    {
        { false, 5, 3, 0, 0 }, { false, 1, 1, 1, 0 }, { false, 10, 784, 64, 0 }, { false, 100, 10, 32, 17 },
        { false, 7, 33, 20, 3 }, { true, 10, 1, 64, 0 }, { true, 50, 10, 31, 9 }, { true, 30, 20, 9, 2 },
    };

    /// <summary>RandomUniform: length, key, offset, low, high. Offsets cross the counter's 32-bit word boundary.</summary>
    public static TheoryData<int, ulong, ulong, float, float> Randoms => new()
    {
        { 0, 1, 0, 0f, 1f }, { 1, 0, 0, 0f, 1f }, { 3, 42, 0, 0f, 1f }, { 4, 42, 0, 0f, 1f }, { 5, 42, 7, -1f, 1f },
        { 257, 0xDEADBEEFCAFEF00D, 0xFFFFFFFE, -0.05f, 0.05f }, { 3079, 1234, 1UL << 40, 0f, 1f },
        { 33, ulong.MaxValue, ulong.MaxValue - 3, -3f, 5f },
    };
}

public abstract partial class BackendConformanceTests<TFixture>
{
    [Theory, MemberData(nameof(Cases.Fills), MemberType = typeof(Cases))]
    public void Fill_MatchesReference(int length, float value)
    {
        using var d = Open(nameof(IBackend.Fill));
        var y = d.Upload(Inputs.Normal(length, length));
        Backend.Fill(y, value);
        Check.Bitwise($"Fill n={length} with {value}", d.Read(y), Enumerable.Repeat(value, length).ToArray());
    }

    [Theory, MemberData(nameof(Cases.Copies), MemberType = typeof(Cases))]
    public void Copy_MatchesReference(bool ints, int length, int xOffset, int yOffset, int count)
    {
        using var d = Open(nameof(IBackend.Copy));
        int yLength = yOffset + count + 2;
        if (ints)
        {
            var x = Inputs.Ints(length, length, 1000);
            var before = Inputs.Ints(yLength, yLength, 1000);
            var y = d.Upload(before);
            Backend.Copy(d.Upload(x), xOffset, y, yOffset, count);
            Array.Copy(x, xOffset, before, yOffset, count);
            Check.Bitwise($"Copy int32 {count} from {xOffset} to {yOffset}", d.ReadInts(y), before);
        }
        else
        {
            var x = Inputs.Normal(length, length);
            var before = Inputs.Normal(yLength, yLength);
            var y = d.Upload(before);
            Backend.Copy(d.Upload(x), xOffset, y, yOffset, count);
            Array.Copy(x, xOffset, before, yOffset, count); // y[yOffset + i] = x[xOffset + i]; the rest untouched
            Check.Bitwise($"Copy float32 {count} from {xOffset} to {yOffset}", d.Read(y), before);
        }
    }

    [Theory, MemberData(nameof(Cases.Gathers), MemberType = typeof(Cases))]
    public void GatherRows_MatchesReference(bool ints, int rows, int rowLength, int count, int indexOffset)
    {
        using var d = Open(nameof(IBackend.GatherRows));
        var indices = Inputs.Ints(Inputs.Seed(rows, count, "idx"), indexOffset + count, rows); // repeats included
        if (ints)
        {
            var x = Inputs.Ints(rows, rows * rowLength, 1 << 30);
            var y = d.Upload(Enumerable.Repeat(-1, count * rowLength).ToArray());
            Backend.GatherRows(d.Upload(x), rowLength, d.Upload(indices), indexOffset, count, y);
            Check.Bitwise($"GatherRows int32 {count} of {rows}x{rowLength}", d.ReadInts(y), GatherRef.Rows(x, rowLength, indices, indexOffset, count));
        }
        else
        {
            var x = Inputs.Normal(rows, rows * rowLength);
            var y = d.Nan(count * rowLength);
            Backend.GatherRows(d.Upload(x), rowLength, d.Upload(indices), indexOffset, count, y);
            Check.Bitwise($"GatherRows float32 {count} of {rows}x{rowLength}", d.Read(y), GatherRef.Rows(x, rowLength, indices, indexOffset, count));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GatherRows_WithConsecutiveRuns_MatchesReference(bool ints)
    {
        // Runs of consecutive rows (copied as blocks on the CPU), jumps, a repeat and a run at the very end.
        using var d = Open(nameof(IBackend.GatherRows));
        const int rows = 12, rowLength = 5;
        int[] indices = [9, 3, 4, 5, 6, 0, 0, 1, 11, 7, 8, 9, 10, 11];
        if (ints)
        {
            var x = Inputs.Ints(rows, rows * rowLength, 1 << 30);
            var y = d.Upload(Enumerable.Repeat(-1, indices.Length * rowLength).ToArray());
            Backend.GatherRows(d.Upload(x), rowLength, d.Upload(indices), 0, indices.Length, y);
            Check.Bitwise("GatherRows int32 runs", d.ReadInts(y), GatherRef.Rows(x, rowLength, indices, 0, indices.Length));
        }
        else
        {
            var x = Inputs.Normal(rows, rows * rowLength);
            var y = d.Nan(indices.Length * rowLength);
            Backend.GatherRows(d.Upload(x), rowLength, d.Upload(indices), 0, indices.Length, y);
            Check.Bitwise("GatherRows float32 runs", d.Read(y), GatherRef.Rows(x, rowLength, indices, 0, indices.Length));
        }
    }

    [Theory, MemberData(nameof(Cases.Randoms), MemberType = typeof(Cases))]
    public void RandomUniform_MatchesReference(int length, ulong key, ulong offset, float low, float high)
    {
        using var d = Open(nameof(IBackend.RandomUniform));
        var y = d.Nan(length);
        Backend.RandomUniform(y, key, offset, low, high);
        Check.Bitwise($"RandomUniform n={length}, key=0x{key:x}, offset=0x{offset:x}, [{low}, {high})", d.Read(y),
            PhiloxRef.Uniform(length, key, offset, low, high));
    }
}
