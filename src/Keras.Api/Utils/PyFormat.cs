using System.Globalization;
using System.Numerics;
using System.Text;

namespace KerasGpu.Utils;

/// <summary>
/// Number formatting that reproduces Python's <c>format()</c> mini-language for the few specs Keras'
/// console output uses (<c>.Nf</c>, <c>.Ne</c>, <c>,</c> and <c>%d</c>), digit for digit.
/// </summary>
/// <remarks>
/// Python rounds the exact binary value of a double half-to-even (so <c>f"{0.125:.2f}"</c> is
/// <c>0.12</c> and <c>f"{2.5:.0f}"</c> is <c>2</c>), whereas .NET's <c>"F2"</c> rounds ties away from zero.
/// The exact rational value of the double is used here, so every result matches CPython.
/// Output is culture-invariant.
/// </remarks>
internal static class PyFormat
{
    /// <summary>Python's spelling of NaN and the infinities (<c>nan</c>, <c>inf</c>, <c>-inf</c>), or null for a finite value.</summary>
    private static string? NonFinite(double value) =>
        double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? (value < 0 ? "-inf" : "inf") : null;

    /// <summary>Python <c>f"{value:.{precision}f}"</c>.</summary>
    public static string Fixed(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        if (NonFinite(value) is { } special)
        {
            return special;
        }

        bool negative = double.IsNegative(value);

        (BigInteger num, BigInteger den) = ExactRational(Math.Abs(value));
        num *= BigInteger.Pow(10, precision);
        BigInteger q = RoundHalfEven(num, den);

        string digits = q.ToString(CultureInfo.InvariantCulture);
        if (digits.Length <= precision)
        {
            digits = new string('0', precision + 1 - digits.Length) + digits;
        }

        var sb = new StringBuilder(digits.Length + 2);
        if (negative)
        {
            sb.Append('-');
        }

        int intLen = digits.Length - precision;
        sb.Append(digits, 0, intLen);
        if (precision > 0)
        {
            sb.Append('.').Append(digits, intLen, precision);
        }

        return sb.ToString();
    }

    /// <summary>Python <c>f"{value:.{precision}e}"</c> (exponent with a sign and at least two digits).</summary>
    public static string Exponent(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        if (NonFinite(value) is { } special)
        {
            return special;
        }

        bool negative = double.IsNegative(value);

        double abs = Math.Abs(value);
        string mantissa;
        int exp;
        if (abs == 0)
        {
            mantissa = new string('0', precision + 1);
            exp = 0;
        }
        else
        {
            (BigInteger num0, BigInteger den0) = ExactRational(abs);
            BigInteger low = BigInteger.Pow(10, precision);
            BigInteger high = low * 10;
            exp = (int)Math.Floor(Math.Log10(abs));
            BigInteger q;
            while (true)
            {
                // q = round(abs / 10^(exp - precision)), which must have precision + 1 digits.
                BigInteger num = num0;
                BigInteger den = den0;
                int shift = precision - exp;
                if (shift >= 0)
                {
                    num *= BigInteger.Pow(10, shift);
                }
                else
                {
                    den *= BigInteger.Pow(10, -shift);
                }

                q = RoundHalfEven(num, den);
                if (q >= high)
                {
                    exp++;
                }
                else if (q < low)
                {
                    exp--;
                }
                else
                {
                    break;
                }
            }

            mantissa = q.ToString(CultureInfo.InvariantCulture);
        }

        var sb = new StringBuilder(precision + 8);
        if (negative)
        {
            sb.Append('-');
        }

        sb.Append(mantissa[0]);
        if (precision > 0)
        {
            sb.Append('.').Append(mantissa, 1, precision);
        }

        sb.Append('e').Append(exp < 0 ? '-' : '+');
        sb.Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Python <c>f"{value:,}"</c> for an integer: thousands separated by commas.</summary>
    public static string Thousands(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Python <c>"%d" % value</c> for a float: truncation toward zero.</summary>
    public static string Truncated(double value) =>
        double.IsFinite(value)
            ? new BigInteger(Math.Truncate(value)).ToString(CultureInfo.InvariantCulture)
            : throw new OverflowException("cannot convert float infinity or NaN to integer");

    /// <summary>Python <c>"%02d" % value</c> for a float.</summary>
    public static string Truncated2(double value) => Truncated(value).PadLeft(2, '0');

    /// <summary>
    /// Python's <c>repr</c> of the decimal a user typed as a float32 (<c>0.3f</c> → <c>0.3</c>, not the widened
    /// <c>0.30000001192092896</c>), so argument errors read like Keras' for the same literal.
    /// </summary>
    public static string ReprOfLiteral(float value) => float.IsFinite(value)
        ? Repr(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
        : Repr((double)value);

    /// <summary>
    /// Python <c>repr(value)</c> (and <c>str</c>, <c>f"{value}"</c>) for a float: the shortest digits that round-trip,
    /// positional when the decimal exponent is in [−4, 16), otherwise <c>d.ddde−XX</c>; integers keep <c>.0</c>.
    /// </summary>
    public static string Repr(double value)
    {
        if (NonFinite(value) is { } special) return special;
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // .NET's "R" gives the same shortest round-trip digits as Python; only the layout differs.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E');
        int exp10 = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? r : r[..e];
        int dot = mantissa.IndexOf('.');
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        int point = (dot < 0 ? mantissa.Length : dot) + exp10; // digits[..point] is the integer part
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..].TrimEnd('0');
        point -= lead;
        if (digits.Length == 0) digits = "0";
        var sb = new StringBuilder(value < 0 ? "-" : "");
        int sciExp = point - 1;
        if (sciExp < -4 || sciExp >= 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(sciExp < 0 ? '-' : '+').Append(Math.Abs(sciExp).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (point <= 0) sb.Append("0.").Append('0', -point).Append(digits);
        else if (point >= digits.Length) sb.Append(digits).Append('0', point - digits.Length).Append(".0");
        else sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        return sb.ToString();
    }

    private static (BigInteger Num, BigInteger Den) ExactRational(double abs)
    {
        long bits = BitConverter.DoubleToInt64Bits(abs);
        int rawExp = (int)((bits >> 52) & 0x7FF);
        long frac = bits & 0xF_FFFF_FFFF_FFFFL;
        long mant;
        int exp2;
        if (rawExp == 0)
        {
            mant = frac;
            exp2 = -1074;
        }
        else
        {
            mant = frac | (1L << 52);
            exp2 = rawExp - 1075;
        }

        return exp2 >= 0
            ? (new BigInteger(mant) << exp2, BigInteger.One)
            : (new BigInteger(mant), BigInteger.One << -exp2);
    }

    private static BigInteger RoundHalfEven(BigInteger num, BigInteger den)
    {
        BigInteger q = BigInteger.DivRem(num, den, out BigInteger r);
        BigInteger twice = r * 2;
        int cmp = twice.CompareTo(den);
        if (cmp > 0 || (cmp == 0 && !q.IsEven))
        {
            q += 1;
        }

        return q;
    }
}
