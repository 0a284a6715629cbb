using KerasGpu;

namespace Keras.Tests.HostArrays;

/// <summary>Reads files that real NumPy wrote (see <see cref="NumpyCorpus"/>).</summary>
public class NumpyInteropTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsSavezAndSavezCompressed(bool compressed)
    {
        var arrays = Npz.Load(new MemoryStream(compressed ? NumpyCorpus.SavezCompressed : NumpyCorpus.Savez), "numpy.npz");
        Assert.Equal(["u1", "i4", "i8", "f4", "f8", "scalar", "empty", "cube"], arrays.Keys);

        Assert.Equal("NDArray(shape=(2, 3), dtype=uint8)", arrays["u1"].ToString());
        Assert.Equal([0, 1, 2, 253, 254, 255], arrays["u1"].ToArray<byte>());
        Assert.Equal([int.MinValue, -1, 0, 1, 2, int.MaxValue], arrays["i4"].ToArray<int>());
        Assert.Equal([long.MinValue, -1, 0, 1, 2, long.MaxValue], arrays["i8"].ToArray<long>());
        Assert.Equal([0.5f, -1.25f, 3.0e38f, 1e-38f, -0.0f, 7.0f], arrays["f4"].ToArray<float>());
        Assert.Equal([0.1, -2.5, 1e308, double.Epsilon, 3.0, -7.0], arrays["f8"].ToArray<double>());
        Assert.Equal(0, arrays["scalar"].Rank);
        Assert.Equal(2.5, arrays["scalar"].Item<double>());
        Assert.Equal("NDArray(shape=(0, 4), dtype=int64)", arrays["empty"].ToString());
        Assert.Equal(23f, arrays["cube"].Item<float>(1, 2, 3));
    }

    [Fact]
    public void ReadsEveryNpyVersion()
    {
        foreach (var bytes in new[] { NumpyCorpus.CubeV1, NumpyCorpus.CubeV2, NumpyCorpus.CubeV3 })
        {
            var cube = Npy.Read(new MemoryStream(bytes), "cube.npy");
            Assert.Equal([2, 3, 4], cube.Shape);
            Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), cube.ToArray<float>());
        }
    }

    [Fact]
    public void WritesWhatNumpyWrites()
    {
        var cube = Npy.Read(new MemoryStream(NumpyCorpus.CubeV1), "cube.npy");
        var ms = new MemoryStream();
        Npy.Write(ms, cube);
        Assert.Equal(NumpyCorpus.CubeV1, ms.ToArray());
    }

    [Theory]
    [InlineData(nameof(NumpyCorpus.Fortran), "Fortran-ordered")]
    [InlineData(nameof(NumpyCorpus.BigEndian), "big-endian dtype '>f4'")]
    [InlineData(nameof(NumpyCorpus.Object), "object arrays ('|O')")]
    [InlineData(nameof(NumpyCorpus.Bool), "unsupported dtype '|b1'")]
    [InlineData(nameof(NumpyCorpus.Float16), "unsupported dtype '<f2'")]
    public void RejectsWhatItCannotHold(string corpusName, string expected)
    {
        var bytes = (byte[])typeof(NumpyCorpus).GetProperty(corpusName)!.GetValue(null)!;
        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(bytes), "x.npy"));
        Assert.Contains(expected, e.Message);
    }
}
