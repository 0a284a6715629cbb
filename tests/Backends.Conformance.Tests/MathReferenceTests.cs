namespace KerasGpu.Conformance;

/// <summary>
/// The float64 references of the unary kernels against tabulated values (Abramowitz &amp; Stegun table 7.1 and
/// higher-precision tables, to 16 digits), so a kernel is never compared with a wrong reference.
/// </summary>
public sealed class MathReferenceTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1e-10, 1.1283791670955126e-10)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(1.5, 0.9661051464753108)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.5, 0.999593047982555)]
    [InlineData(2.9999, 0.9999778955735178)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(-0.5, -0.5204998778130465)]
    [InlineData(-3.0, -0.9999779095030014)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(double.NegativeInfinity, -1.0)]
    public void Erf_MatchesTable(double x, double expected) =>
        Check.Close($"erf({x})", [MathRef.Erf(x)], [expected], new Tolerance(0, 2e-15));

    [Theory]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(3.5, 7.430983723414128e-07)]
    [InlineData(4.0, 1.541725790028002e-08)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(6.0, 2.1519736712498916e-17)]
    [InlineData(9.0, 4.13703174651381e-37)]
    public void Erfc_MatchesTable(double x, double expected) =>
        Check.Close($"erfc({x})", [MathRef.Erfc(x)], [expected], new Tolerance(0, 1e-14));

    [Fact]
    public void Erf_IsNaNForNaN() => Assert.True(double.IsNaN(MathRef.Erf(double.NaN)));

    [Theory]
    [InlineData(1e-8, 1.0000000050000001e-08, 9.999999950000001e-09)]
    [InlineData(1e-3, 0.0010005001667083417, 0.0009995003330835331)]
    [InlineData(-0.5, -0.3934693402873666, -0.6931471805599453)]
    [InlineData(10.0, 22025.465794806718, 2.3978952727983707)]
    public void Expm1AndLog1p_MatchTable(double x, double expm1, double log1p)
    {
        Check.Close($"expm1({x})", [MathRef.Expm1(x)], [expm1], new Tolerance(0, 1e-12));
        Check.Close($"log1p({x})", [MathRef.Log1p(x)], [log1p], new Tolerance(0, 1e-12));
    }
}
