using System.IO.Compression;
using KerasGpu;

namespace Keras.Tests.HostArrays;

public sealed class NpzTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kerasgpu-npz-" + Guid.NewGuid().ToString("N"));

    public NpzTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static Dictionary<string, NDArray> SampleArrays()
    {
        var result = new Dictionary<string, NDArray>();
        foreach (var dtype in new[] { DType.UInt8, DType.Int32, DType.Int64, DType.Float32, DType.Float64 })
        {
            var a = NDArray.Zeros(DType.Float64, 50, 3);
            var s = a.AsWritableSpan<double>();
            for (int i = 0; i < s.Length; i++) s[i] = i % 200 + 0.5 * (dtype is DType.Float32 or DType.Float64 ? 1 : 0);
            result[dtype.KerasName()] = a.AsType(dtype);
        }
        result["scalar"] = NDArray.Zeros(DType.Float32);
        result["empty"] = NDArray.Zeros(DType.Int64, 0, 4);
        return result;
    }

    /// <summary>A zip with the given raw members (name, bytes), stored or deflated.</summary>
    private static byte[] Zip(bool deflate, params (string Name, byte[] Data)[] members)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in members)
            {
                using var s = zip.CreateEntry(name, deflate ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open();
                s.Write(data);
            }
        }
        return ms.ToArray();
    }

    private static byte[] NpyBytes(NDArray a)
    {
        var ms = new MemoryStream();
        Npy.Write(ms, a);
        return ms.ToArray();
    }

    private InvalidDataException LoadFails(byte[] file, string name = "bad.npz")
    {
        File.WriteAllBytes(PathOf(name), file);
        var e = Assert.Throws<InvalidDataException>(() => Npz.Load(PathOf(name)));
        Assert.StartsWith(name, e.Message);
        return e;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTrip_StoredAndDeflated(bool compressed)
    {
        var arrays = SampleArrays();
        string path = PathOf("a.npz");
        Npz.Save(path, arrays, compressed);
        var loaded = Npz.Load(path);
        Assert.Equal(arrays.Keys, loaded.Keys);
        foreach (var (key, a) in arrays)
        {
            Assert.Equal(a.DType, loaded[key].DType);
            Assert.Equal(a.Shape, loaded[key].Shape);
            Assert.Equal(a.AsType<double>().ToArray<double>(), loaded[key].AsType<double>().ToArray<double>());
        }
        Assert.Single(Directory.GetFiles(_dir));
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries)
        {
            Assert.EndsWith(".npy", entry.FullName);
            if (compressed) Assert.True(entry.CompressedLength < entry.Length, entry.FullName);
            else Assert.Equal(entry.Length, entry.CompressedLength);
        }
    }

    [Fact]
    public void Save_ReplacesAtomically()
    {
        string path = PathOf("a.npz");
        File.WriteAllText(path, "old");
        Npz.Save(path, new Dictionary<string, NDArray> { ["x"] = NDArray.FromArray(new[] { 1, 2 }) }, compressed: true);
        Assert.Equal([1, 2], Npz.Load(path)["x"].ToArray<int>());
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("C:\\x")]
    public void Save_RejectsPathNames(string key)
    {
        Assert.Throws<ArgumentException>(() =>
            Npz.Save(PathOf("a.npz"), new Dictionary<string, NDArray> { [key] = NDArray.Zeros(DType.UInt8, 1) }));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void NotAZip()
    {
        var e = LoadFails("{'descr': this is not a zip at all}"u8.ToArray());
        Assert.Contains("not a valid .npz (zip) file", e.Message);
        e = LoadFails([]);
        Assert.Contains("not a valid .npz (zip) file", e.Message);
    }

    [Fact]
    public void TruncatedZip()
    {
        var arrays = SampleArrays();
        Npz.Save(PathOf("good.npz"), arrays, compressed: true);
        byte[] bytes = File.ReadAllBytes(PathOf("good.npz"));
        foreach (int keep in new[] { bytes.Length - 1, bytes.Length - 30, bytes.Length / 2, 10 })
        {
            var e = LoadFails(bytes[..keep]);
            Assert.Contains("bad.npz", e.Message);
        }
    }

    [Fact]
    public void CorruptDeflateStream()
    {
        var a = NDArray.Zeros(DType.Float32, 1000, 10);
        var s = a.AsWritableSpan<float>();
        for (int i = 0; i < s.Length; i++) s[i] = i % 97;
        byte[] zip = Zip(deflate: true, ("x.npy", NpyBytes(a)));
        // Overwrite the middle of the compressed data (local header is 30 + 5 bytes) with garbage.
        for (int i = 60; i < 120; i++) zip[i] = 0xFF;
        var e = LoadFails(zip);
        Assert.Contains("bad.npz/x.npy", e.Message);
    }

    [Fact]
    public void ShortenedDeflatePayloadIsTruncation()
    {
        // A member whose npy header promises more data than the (valid) deflate stream holds.
        byte[] npy = NpyBytes(NDArray.Zeros(DType.UInt8, 100));
        byte[] cut = npy[..(npy.Length - 40)];
        var e = LoadFails(Zip(deflate: true, ("x.npy", cut)));
        Assert.Contains("bad.npz/x.npy: expected 100 bytes of uint8 data for shape (100,), found 60", e.Message);
    }

    [Fact]
    public void TrailingBytesInMember()
    {
        byte[] npy = [.. NpyBytes(NDArray.Zeros(DType.UInt8, 4)), 1, 2, 3];
        var e = LoadFails(Zip(deflate: false, ("x.npy", npy)));
        Assert.Contains("expected 4 bytes of uint8 data for shape (4,), found 7 (trailing bytes)", e.Message);
    }

    [Theory]
    [InlineData("../evil.npy", "path separator")]
    [InlineData("/etc/evil.npy", "path separator")]
    [InlineData("dir/x.npy", "path separator")]
    [InlineData("C:\\evil.npy", "path separator")]
    [InlineData("C:evil.npy", "colon")]
    [InlineData("..npy", "directory")]
    [InlineData(".npy", "empty")]
    public void PathTraversalMemberNames(string member, string expected)
    {
        byte[] npy = NpyBytes(NDArray.Zeros(DType.UInt8, 1));
        var e = LoadFails(Zip(deflate: false, ("ok.npy", npy), (member, npy)));
        Assert.Contains("unsafe member name", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void NonNpyMember()
    {
        var e = LoadFails(Zip(deflate: true, ("x.npy", NpyBytes(NDArray.Zeros(DType.UInt8, 1))), ("readme.txt", "hi"u8.ToArray())));
        Assert.Contains("bad.npz/readme.txt: expected only NAME.npy members", e.Message);
    }

    [Fact]
    public void MemberThatIsNotNpyData()
    {
        var e = LoadFails(Zip(deflate: true, ("x.npy", "hello, world"u8.ToArray())));
        Assert.Contains("bad.npz/x.npy: not a .npy file", e.Message);
    }

    [Fact]
    public void DuplicateMember()
    {
        byte[] npy = NpyBytes(NDArray.Zeros(DType.UInt8, 1));
        var e = LoadFails(Zip(deflate: false, ("x.npy", npy), ("x.npy", npy)));
        Assert.Contains("duplicate", e.Message);
    }

    [Fact]
    public void DeclaredSizeBeyondDeflateRatioIsRejectedBeforeReading()
    {
        byte[] zip = Zip(deflate: true, ("x.npy", NpyBytes(NDArray.Zeros(DType.UInt8, 10))));
        // Patch the uncompressed size in the central directory (offset 24 of the "PK\x01\x02" record).
        int cd = IndexOf(zip, [0x50, 0x4B, 0x01, 0x02]);
        BitConverter.GetBytes(0x7FFF_0000u).CopyTo(zip, cd + 24);
        var e = LoadFails(zip);
        Assert.Contains("zip bomb", e.Message);
    }

    [Fact]
    public void BitFlipInStoredMember_IsACrcMismatch()
    {
        byte[] zip = Zip(deflate: false, ("x.npy", NpyBytes(NDArray.Zeros(DType.UInt8, 100))));
        zip[30 + 5 + 128 + 50] ^= 1; // local header, member name, npy header, then data byte 50
        var e = LoadFails(zip);
        Assert.Contains("bad.npz/x.npy: CRC-32 mismatch", e.Message);
    }

    [Fact]
    public void EmptyArchiveIsEmptyDictionary()
    {
        File.WriteAllBytes(PathOf("e.npz"), Zip(deflate: false));
        Assert.Empty(Npz.Load(PathOf("e.npz")));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
