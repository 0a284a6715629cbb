using KerasGpu;

namespace Keras.Tests.HostArrays;

public class NDArrayTests
{
    private static NDArray Iota(int n, params int[] shape)
    {
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = i;
        return NDArray.FromArray(data, shape);
    }

    [Fact]
    public void FromArray_DefaultsToRankOneAndWrapsWithoutCopy()
    {
        var data = new float[] { 1, 2, 3 };
        var a = NDArray.FromArray(data);
        Assert.Equal([3], a.Shape);
        Assert.Equal(DType.Float32, a.DType);
        Assert.Equal(1, a.Rank);
        Assert.Equal(3, a.Size);
        Assert.Equal(3, a.Length);
        data[1] = 42;
        Assert.Equal(42f, a.Item<float>(1));
    }

    [Fact]
    public void FromArray_EveryDType()
    {
        Assert.Equal(DType.UInt8, NDArray.FromArray(new byte[4], 2, 2).DType);
        Assert.Equal(DType.Int32, NDArray.FromArray(new int[4], 2, 2).DType);
        Assert.Equal(DType.Int64, NDArray.FromArray(new long[4], 2, 2).DType);
        Assert.Equal(DType.Float64, NDArray.FromArray(new double[4], 2, 2).DType);
        Assert.Equal(DType.Float32, NDArray.FromArray(new float[4], 2, -1).DType);
    }

    [Fact]
    public void FromArray_WrongShapeIsNumpyStyleError()
    {
        var e = Assert.Throws<ArgumentException>(() => NDArray.FromArray(new float[6], 4, 2));
        Assert.Contains("cannot reshape array of size 6 into shape (4, 2)", e.Message);
    }

    [Fact]
    public void Shape_ReturnsCopy()
    {
        var a = Iota(6, 2, 3);
        a.Shape[0] = 99;
        Assert.Equal([2, 3], a.Shape);
    }

    [Fact]
    public void Reshape_InfersMinusOneAndSharesMemory()
    {
        var a = NDArray.Zeros(DType.UInt8, 60, 28, 28);
        var b = a.Reshape(-1, 784);
        Assert.Equal([60, 784], b.Shape);
        b.AsWritableSpan<byte>()[785] = 7;
        Assert.Equal((byte)7, a.Item<byte>(1, 0, 1));
        Assert.Equal([47040], a.Reshape(-1).Shape);
    }

    [Fact]
    public void Reshape_BadSizesGiveNumpyWording()
    {
        var a = NDArray.Zeros(DType.UInt8, 600, 28, 28);
        var e = Assert.Throws<ArgumentException>(() => a.Reshape(600, 785));
        Assert.Contains("cannot reshape array of size 470400 into shape (600, 785)", e.Message);
        e = Assert.Throws<ArgumentException>(() => a.Reshape(-1, 785));
        Assert.Contains("cannot reshape array of size 470400 into shape (-1, 785)", e.Message);
        e = Assert.Throws<ArgumentException>(() => a.Reshape(-1, -1));
        Assert.Contains("only specify one unknown dimension", e.Message);
        e = Assert.Throws<ArgumentException>(() => a.Reshape(-2, -235200));
        Assert.Contains("negative dimensions", e.Message);
        // A product far beyond int range must not wrap around to a match.
        Assert.Throws<ArgumentException>(() => a.Reshape(65536, 65536, 65536, 0, 1));
        Assert.Throws<ArgumentException>(() => a.Reshape(int.MaxValue, int.MaxValue, int.MaxValue));
    }

    [Fact]
    public void Reshape_ZeroSize()
    {
        var a = NDArray.Zeros(DType.Float32, 0, 5);
        Assert.Equal(0, a.Size);
        Assert.Equal([5, 0], a.Reshape(5, 0).Shape);
        Assert.Throws<ArgumentException>(() => a.Reshape(0, -1));
    }

    [Fact]
    public void Zeros_RejectsNegativeAndOverflowingShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => NDArray.Zeros(DType.Float32, 3, -1));
        Assert.Contains("negative dimensions are not allowed: shape (3, -1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => NDArray.Zeros(DType.Float32, 65536, 65536, 65536));
        Assert.Contains("(65536, 65536, 65536)", e.Message);
        Assert.Contains("281474976710656", e.Message);
        e = Assert.Throws<ArgumentException>(() => NDArray.Zeros(DType.UInt8, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue));
        Assert.IsType<OverflowException>(e.InnerException);
    }

    [Fact]
    public void Scalar_RankZero()
    {
        var s = NDArray.Zeros(DType.Float64);
        Assert.Equal(0, s.Rank);
        Assert.Equal(1, s.Size);
        Assert.Equal(0.0, s.Item<double>());
        Assert.Throws<InvalidOperationException>(() => s.Length);
        Assert.Equal("NDArray(shape=(), dtype=float64)", s.ToString());
    }

    [Fact]
    public void AsType_ConvertsLikeNumpy()
    {
        var u8 = NDArray.FromArray(new byte[] { 0, 1, 128, 255 });
        var f = u8.AsType<float>();
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([0f, 1f, 128f, 255f], f.ToArray<float>());
        Assert.Equal([0L, 1L, 128L, 255L], u8.AsType(DType.Int64).ToArray<long>());

        // int -> uint8 wraps; float -> int truncates toward zero and saturates; NaN -> 0.
        Assert.Equal([44, 255, 0], NDArray.FromArray(new[] { 300, -1, 256 }).AsType<byte>().ToArray<byte>());
        Assert.Equal([1, -1, int.MaxValue, int.MinValue, 0],
            NDArray.FromArray(new[] { 1.9f, -1.9f, 1e20f, -1e20f, float.NaN }).AsType<int>().ToArray<int>());
        Assert.Equal([0.5], NDArray.FromArray(new[] { 0.5f }).AsType<double>().ToArray<double>());

        // Same dtype is still a copy.
        var copy = f.AsType<float>();
        copy.AsWritableSpan<float>()[0] = 9;
        Assert.Equal(0f, f.Item<float>(0));
    }

    [Fact]
    public void AsType_OfAView_ConvertsOnlyTheView()
    {
        var a = Iota(12, 4, 3);
        Assert.Equal([6.0, 7.0, 8.0], a[2].AsType<double>().ToArray<double>());
    }

    [Fact]
    public void ScalarArithmetic_Values()
    {
        var u8 = NDArray.FromArray(new byte[] { 0, 51, 255 });
        var scaled = u8 / 255f;
        Assert.Equal(DType.Float32, scaled.DType);
        Assert.Equal([0f, 0.2f, 1f], scaled.ToArray<float>());
        Assert.Equal([0, 51, 255], u8.ToArray<byte>()); // the source is untouched

        var f = NDArray.FromArray(new[] { 1f, 2f, 3f });
        Assert.Equal([2f, 4f, 6f], (f * 2f).ToArray<float>());
        Assert.Equal([2f, 4f, 6f], (2f * f).ToArray<float>());
        Assert.Equal([1.5f, 2.5f, 3.5f], (f + 0.5f).ToArray<float>());
        Assert.Equal([1.5f, 2.5f, 3.5f], (0.5f + f).ToArray<float>());
        Assert.Equal([0f, 1f, 2f], (f - 1f).ToArray<float>());
        Assert.Equal([1f, 2f, 3f], f.ToArray<float>());

        var d = NDArray.FromArray(new[] { 1.0, 3.0 });
        var dd = d / 3f;
        Assert.Equal(DType.Float64, dd.DType);
        Assert.Equal(1.0 / 3.0, dd.Item<double>(0), 1e-6);

        var i32 = NDArray.FromArray(new[] { 10, 20 });
        Assert.Equal(DType.Float32, (i32 - 5f).DType);
        Assert.Equal([5f, 15f], (i32 - 5f).ToArray<float>());
    }

    [Fact]
    public void TheMnistIdiom()
    {
        NDArray x = NDArray.Zeros(DType.UInt8, 10, 28, 28);
        x.AsWritableSpan<byte>()[784 + 5] = 255;
        x = x.Reshape(-1, 784).AsType<float>() / 255f;
        Assert.Equal([10, 784], x.Shape);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal(1f, x.Item<float>(1, 5));
        Assert.Equal("NDArray(shape=(10, 784), dtype=float32)", x.ToString());
    }

    [Fact]
    public void RowView_SharesMemoryAndDropsRank()
    {
        var a = Iota(24, 2, 3, 4);
        var row = a[1];
        Assert.Equal([3, 4], row.Shape);
        Assert.Equal(12f, row.Item<float>(0, 0));
        row.AsWritableSpan<float>()[0] = -1;
        Assert.Equal(-1f, a.Item<float>(1, 0, 0));
        var element = a[1][2][3];
        Assert.Equal(0, element.Rank);
        Assert.Equal(23f, element.Item<float>());
        Assert.Equal(23f, a[^1][^1][^1].Item<float>());
    }

    [Fact]
    public void RowIndex_OutOfRange()
    {
        var a = Iota(6, 3, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => a[3]);
        Assert.Contains("index 3 is out of bounds for axis 0 with size 3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => a[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a[^4]);
    }

    [Fact]
    public void RangeSlicing_IsAViewAndSupportsHat()
    {
        var a = Iota(20, 10, 2);
        var head = a[..3];
        Assert.Equal([3, 2], head.Shape);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], head.ToArray<float>());
        var tail = a[^2..];
        Assert.Equal([16f, 17f, 18f, 19f], tail.ToArray<float>());
        var mid = a[4..6];
        mid.AsWritableSpan<float>()[0] = 100;
        Assert.Equal(100f, a.Item<float>(4, 0));
        Assert.Equal([0, 2], a[5..5].Shape);
        Assert.Equal([2f, 3f], a[1..][0].ToArray<float>());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => a[5..11]);
        Assert.Contains("size 10", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => a[6..5]);
    }

    [Fact]
    public void Take_CopiesChosenRows()
    {
        var a = Iota(8, 4, 2);
        var t = a.Take([3, 0, 3]);
        Assert.Equal([3, 2], t.Shape);
        Assert.Equal([6f, 7f, 0f, 1f, 6f, 7f], t.ToArray<float>());
        t.AsWritableSpan<float>()[0] = -5;
        Assert.Equal(6f, a.Item<float>(3, 0));
        Assert.Equal([0, 2], a.Take([]).Shape);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => a.Take([1, 4]));
        Assert.Contains("index 4 (position 1) is out of bounds for axis 0 with size 4", e.Message);
        var labels = NDArray.FromArray(new byte[] { 5, 6, 7 });
        Assert.Equal([7, 5], labels.Take([2, 0]).ToArray<byte>());
    }

    [Fact]
    public void Spans_AreZeroCopyAndTypeChecked()
    {
        var a = NDArray.FromArray(new[] { 1, 2, 3 });
        a.AsWritableSpan<int>()[2] = 30;
        Assert.Equal(30, a.AsSpan<int>()[2]);
        var e = Assert.Throws<InvalidOperationException>(() => a.AsSpan<float>().Length);
        Assert.Contains("float32", e.Message);
        Assert.Contains("int32", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => a.ToArray<byte>());
        Assert.Contains("uint8", e.Message);
        Assert.Contains("int32", e.Message);
        Assert.Throws<InvalidOperationException>(() => a.Item<long>(0));
        Assert.Throws<InvalidOperationException>(() => a.AsSpan<short>().Length);
    }

    [Fact]
    public void Item_ValidatesIndices()
    {
        var a = Iota(6, 2, 3);
        Assert.Equal(5f, a.Item<float>(1, 2));
        Assert.Throws<ArgumentException>(() => a.Item<float>(1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => a.Item<float>(0, 3));
        Assert.Contains("axis 1 with size 3", e.Message);
    }

    [Fact]
    public void TwoD_RoundTrip()
    {
        var m = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var a = NDArray.From2D(m);
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal(6f, a.Item<float>(1, 2));
        m[0, 0] = 100; // From2D copies
        Assert.Equal(1f, a.Item<float>(0, 0));
        var back = a.To2D();
        Assert.Equal(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }, back);
        Assert.Equal(new float[,] { { 4, 5, 6 } }, a[1..].To2D());
        Assert.Throws<InvalidOperationException>(() => a.Reshape(6).To2D());
        Assert.Throws<InvalidOperationException>(() => a.AsType<double>().To2D());
    }

    private static string Describe(NDArray a) => a.ToString();

    [Fact]
    public void ImplicitConversions()
    {
        Assert.Equal("NDArray(shape=(3,), dtype=float32)", Describe(new float[] { 1, 2, 3 }));
        Assert.Equal("NDArray(shape=(2, 2), dtype=float32)", Describe(new float[,] { { 1, 2 }, { 3, 4 } }));
        Assert.Equal("NDArray(shape=(2,), dtype=int32)", Describe(new[] { 1, 2 }));
        Assert.Equal("NDArray(shape=(1,), dtype=uint8)", Describe(new byte[] { 1 }));
        Assert.Equal("NDArray(shape=(1,), dtype=float64)", Describe(new[] { 1.0 }));
        Assert.Equal("NDArray(shape=(1,), dtype=int64)", Describe(new[] { 1L }));
        float[]? none = null;
        NDArray? n = none;
        Assert.Null(n);
    }

    [Fact]
    public void ToString_LikeNumpy()
    {
        Assert.Equal("NDArray(shape=(60000, 784), dtype=float32)", NDArray.Zeros(DType.Float32, 60000, 784).ToString());
        Assert.Equal("NDArray(shape=(5,), dtype=uint8)", NDArray.Zeros(DType.UInt8, 5).ToString());
    }

    [Fact]
    public void InternalBufferAndOffset()
    {
        var a = Iota(6, 3, 2);
        var v = a[2];
        Assert.Same(a.Buffer, v.Buffer);
        Assert.Equal(4, v.Offset);
    }
}
