using KerasGpu.Utils;

namespace Keras.Tests.Utils;

/// <summary>Expected values are CPython 3.11's <c>format(value, spec)</c>.</summary>
public class PyFormatTests
{
    [Theory]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(2.5, 0, "2")]
    [InlineData(0.5, 0, "0")]
    [InlineData(1.5, 0, "2")]
    [InlineData(-0.00001, 4, "-0.0000")]
    [InlineData(-0.0, 4, "-0.0000")]
    [InlineData(123456.78905, 4, "123456.7891")]
    [InlineData(0.0001, 4, "0.0001")]
    [InlineData(0.00099995, 4, "0.0010")]
    [InlineData(0.0, 4, "0.0000")]
    [InlineData(5e-324, 4, "0.0000")]
    [InlineData(12345.6789, 4, "12345.6789")]
    [InlineData(double.NaN, 4, "nan")]
    [InlineData(double.PositiveInfinity, 4, "inf")]
    [InlineData(double.NegativeInfinity, 0, "-inf")]
    public void Fixed_MatchesPython(double value, int precision, string expected) =>
        Assert.Equal(expected, PyFormat.Fixed(value, precision));

    [Theory]
    [InlineData(0.125, 2, "1.25e-01")]
    [InlineData(2.5, 0, "2e+00")]
    [InlineData(-0.00001, 4, "-1.0000e-05")]
    [InlineData(-0.0, 4, "-0.0000e+00")]
    [InlineData(123456.78905, 4, "1.2346e+05")]
    [InlineData(0.0001, 4, "1.0000e-04")]
    [InlineData(0.00099995, 4, "9.9995e-04")]
    [InlineData(9.99995e-05, 4, "9.9999e-05")]
    [InlineData(-2e-4, 4, "-2.0000e-04")]
    [InlineData(0.0, 4, "0.0000e+00")]
    [InlineData(5e-324, 4, "4.9407e-324")]
    [InlineData(1.7976931348623157e308, 4, "1.7977e+308")]
    [InlineData(9.99996, 4, "1.0000e+01")]
    [InlineData(double.NaN, 4, "nan")]
    public void Exponent_MatchesPython(double value, int precision, string expected) =>
        Assert.Equal(expected, PyFormat.Exponent(value, precision));

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(650L, "650")]
    [InlineData(55050L, "55,050")]
    [InlineData(14714688L, "14,714,688")]
    [InlineData(-1234L, "-1,234")]
    public void Thousands_MatchesPython(long value, string expected) =>
        Assert.Equal(expected, PyFormat.Thousands(value));
}
