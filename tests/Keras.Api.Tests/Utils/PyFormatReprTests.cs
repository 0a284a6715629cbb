using KerasGpu.Utils;

namespace KerasGpu.Tests.Utils;

/// <summary>Python's <c>repr(float)</c>; expected strings are CPython 3's output for the same doubles.</summary>
public class PyFormatReprTests
{
    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1.0000000474974514e-05, "1.0000000474974514e-05")]
    [InlineData(0.00010000000474974513, "0.00010000000474974513")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(12345678901234567.0, "1.2345678901234568e+16")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Repr_MatchesPython(double value, string python) => Assert.Equal(python, PyFormat.Repr(value));

    [Fact]
    public void Repr_OfFloat32Widened_MatchesPythonOfNumpyFloat32()
    {
        // float(np.float32(0.001)) and float(np.float32(0.1)) * 0.5, as Keras' callbacks print them.
        Assert.Equal("0.0010000000474974513", PyFormat.Repr(0.001f));
        Assert.Equal("0.05000000074505806", PyFormat.Repr(0.1f * 0.5));
    }
}
