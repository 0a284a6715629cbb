using System.IO.Compression;
using System.Text;
using KerasGpu;

namespace Keras.Tests.HostArrays;

public sealed class NpyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kerasgpu-npy-" + Guid.NewGuid().ToString("N"));

    public NpyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<DType> AllDTypes => [DType.UInt8, DType.Int32, DType.Int64, DType.Float32, DType.Float64];

    private static NDArray Sample(DType dtype, params int[] shape)
    {
        var a = NDArray.Zeros(DType.Float64, shape);
        var s = a.AsWritableSpan<double>();
        for (int i = 0; i < s.Length; i++) s[i] = (i * 37 % 251) - (dtype == DType.UInt8 ? 0 : 100) + (dtype is DType.Float32 or DType.Float64 ? 0.25 : 0);
        return a.AsType(dtype);
    }

    private static void AssertSame(NDArray expected, NDArray actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.AsType<double>().ToArray<double>(), actual.AsType<double>().ToArray<double>());
    }

    /// <summary>An .npy file with a hand-written header (padded like numpy) and payload.</summary>
    private static byte[] Npy(string dict, byte[] data, byte major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0]);
        if (major == 1) ms.Write(BitConverter.GetBytes((ushort)header.Length));
        else ms.Write(BitConverter.GetBytes((uint)header.Length));
        ms.Write(Encoding.Latin1.GetBytes(header));
        ms.Write(data);
        return ms.ToArray();
    }

    private static InvalidDataException ReadFails(byte[] bytes)
    {
        var e = Assert.Throws<InvalidDataException>(() => KerasGpu.Npy.Read(new MemoryStream(bytes), "t.npy"));
        Assert.StartsWith("t.npy: ", e.Message);
        return e;
    }

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void RoundTrip_EveryDType(DType dtype)
    {
        foreach (var shape in new[] { new[] { 3, 4 }, new[] { 5 }, new[] { 2, 0, 3 }, Array.Empty<int>() })
        {
            var a = Sample(dtype, shape);
            var ms = new MemoryStream();
            KerasGpu.Npy.Write(ms, a);
            Assert.Equal(0, (ms.Length - a.Size * dtype.SizeOf()) % 64); // header padded like numpy
            ms.Position = 0;
            AssertSame(a, KerasGpu.Npy.Read(ms));
        }
    }

    [Fact]
    public void Write_MatchesNumpyHeaderExactly()
    {
        var ms = new MemoryStream();
        KerasGpu.Npy.Write(ms, NDArray.Zeros(DType.UInt8, 60000, 28, 28));
        byte[] bytes = ms.ToArray();
        Assert.Equal(128 + 47040000, bytes.Length);
        string header = Encoding.Latin1.GetString(bytes, 10, 118);
        Assert.Equal("{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }", header.TrimEnd());
        Assert.EndsWith("\n", header);
    }

    [Fact]
    public void Read_WritesOfAViewAreTheViewOnly()
    {
        var a = Sample(DType.Int32, 4, 3);
        var ms = new MemoryStream();
        KerasGpu.Npy.Write(ms, a[1..3]);
        ms.Position = 0;
        AssertSame(a[1..3], KerasGpu.Npy.Read(ms));
    }

    [Fact]
    public void Read_AcceptsVersions2And3AndDoubleQuotesAndLittleEndianU1()
    {
        byte[] data = [1, 2, 3, 4];
        foreach (byte v in new byte[] { 2, 3 })
        {
            var a = KerasGpu.Npy.Read(new MemoryStream(Npy("{'descr': '<u1', 'fortran_order': False, 'shape': (2, 2), }", data, v)));
            Assert.Equal([2, 2], a.Shape);
            Assert.Equal(data, a.ToArray<byte>());
        }
        var b = KerasGpu.Npy.Read(new MemoryStream(Npy("{\"descr\":\"<i4\",\"fortran_order\":False,\"shape\":(1,)}", data)));
        Assert.Equal([0x04030201], b.ToArray<int>());
    }

    [Fact]
    public void Load_And_Save_Files()
    {
        string path = Path.Combine(_dir, "a.npy");
        var a = Sample(DType.Float32, 7, 3);
        KerasGpu.Npy.Save(path, a);
        AssertSame(a, KerasGpu.Npy.Load(path));
        Assert.Single(Directory.GetFiles(_dir)); // no temp file left
    }

    [Fact]
    public void BadMagic()
    {
        var e = ReadFails(Encoding.ASCII.GetBytes("PK\x03\x04 this is a zip, not npy"));
        Assert.Contains("expected the magic string", e.Message);
        Assert.Contains("504B0304", e.Message);
        e = ReadFails([]);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void BadVersion()
    {
        var bytes = Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", [1]);
        bytes[6] = 4;
        Assert.Contains("version 4.0", ReadFails(bytes).Message);
    }

    [Theory]
    [InlineData("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), ")]
    [InlineData("{'descr': '|u1', 'fortran_order': False, 'shape': [1], }")]
    [InlineData("{'descr': '|u1', 'fortran_order': 0, 'shape': (1,), }")]
    [InlineData("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), 'extra': 1}")]
    [InlineData("{'descr': '|u1', 'shape': (1,), }")]
    [InlineData("{'descr': '|u1', 'descr': '|u1', 'fortran_order': False, 'shape': (1,)}")]
    [InlineData("{'descr': '|u1', 'fortran_order': False, 'shape': (1L,), }")]
    [InlineData("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), } junk")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }")]
    [InlineData("__import__('os').system('x')")]
    public void MalformedHeader(string dict)
    {
        var e = ReadFails(Npy(dict, [0]));
        Assert.Contains("header", e.Message);
    }

    [Fact]
    public void HeaderWithoutNewline()
    {
        byte[] bytes = Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", [0]);
        bytes[Array.LastIndexOf(bytes, (byte)'\n')] = (byte)' ';
        Assert.Contains("newline", ReadFails(bytes).Message);
    }

    [Fact]
    public void HugeHeaderLengthIsRejectedBeforeAllocating()
    {
        byte[] bytes = Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", [0], major: 2);
        BitConverter.GetBytes(uint.MaxValue).CopyTo(bytes, 8);
        Assert.Contains("exceeds the limit", ReadFails(bytes).Message);
    }

    [Fact]
    public void FortranOrder()
    {
        var e = ReadFails(Npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", new byte[4]));
        Assert.Contains("Fortran", e.Message);
    }

    [Fact]
    public void BigEndian()
    {
        var e = ReadFails(Npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        Assert.Contains("big-endian dtype '>f4'", e.Message);
    }

    [Theory]
    [InlineData("|O", "object arrays")]
    [InlineData("<f2", "unsupported dtype '<f2'")]
    [InlineData("<U10", "unsupported dtype '<U10'")]
    [InlineData("|b1", "unsupported dtype '|b1'")]
    [InlineData("<c8", "unsupported dtype '<c8'")]
    public void UnknownDType(string descr, string expected)
    {
        var e = ReadFails(Npy($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}", new byte[8]));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("(-1, 5)", "dimension 0 is -1")]
    [InlineData("(3000000000,)", "dimension 0 is 3000000000")]
    [InlineData("(65536, 65536, 65536)", "281474976710656")]
    [InlineData("(99999999999999999999,)", "integer")]
    public void BadShapes(string shape, string expected)
    {
        var e = ReadFails(Npy($"{{'descr': '|u1', 'fortran_order': False, 'shape': {shape}, }}", [0]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TruncatedData_SeekableAndNot()
    {
        byte[] bytes = Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }", new byte[1000]);
        var e = ReadFails(bytes);
        Assert.Contains("expected 47040000 bytes of uint8 data for shape (60000, 28, 28), found 1000", e.Message);

        e = Assert.Throws<InvalidDataException>(() => KerasGpu.Npy.Read(new NonSeekable(bytes), "t.npy"));
        Assert.Contains("expected 47040000 bytes of uint8 data for shape (60000, 28, 28), found 1000 (truncated)", e.Message);
    }

    [Fact]
    public void TrailingBytes_SeekableAndNot()
    {
        byte[] bytes = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[9]);
        var e = ReadFails(bytes);
        Assert.Contains("expected 8 bytes of float32 data for shape (2,), found 9 (trailing bytes)", e.Message);
        e = Assert.Throws<InvalidDataException>(() => KerasGpu.Npy.Read(new NonSeekable(bytes), "t.npy"));
        Assert.Contains("trailing bytes", e.Message);
    }

    [Fact]
    public void TruncatedHeader()
    {
        byte[] bytes = Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", [0]);
        var e = ReadFails(bytes[..40]);
        Assert.Contains("truncated .npy header", e.Message);
    }

    /// <summary>A stream that hides its length, as a network or decompression stream would.</summary>
    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
