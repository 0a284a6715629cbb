using System.Globalization;
using System.Text;

namespace KerasGpu.Callbacks;

/// <summary>
/// Streams each epoch's logs to a CSV file (Keras' <c>keras.callbacks.CSVLogger</c>), as Keras writes it: a header
/// <c>epoch,&lt;sorted keys&gt;</c> (plus <c>val_</c> columns even before validation values exist), one row per epoch with
/// values spelled as Python's <c>repr</c> and <c>NA</c> for missing ones, lines ended by <c>\r\n</c> (the csv module's
/// excel dialect). The file is flushed after every row, so a crash loses at most the epoch in progress.
/// </summary>
public sealed class CSVLogger : Callback, IDisposable
{
    private StreamWriter? _file;
    private List<string>? _keys;
    private bool _appendHeader = true;

    /// <summary>Creates the logger.</summary>
    /// <param name="filename">The CSV file, e.g. <c>"run/log.csv"</c>.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="append">Append to an existing file (to continue a run) instead of overwriting it.</param>
    /// <exception cref="ArgumentException">Empty file name or separator.</exception>
    public CSVLogger(string filename, string separator = ",", bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(filename);
        ArgumentException.ThrowIfNullOrEmpty(separator);
        Filename = filename;
        Separator = separator;
        Append = append;
    }

    /// <summary>The CSV file's path.</summary>
    public string Filename { get; }

    /// <summary>The field separator.</summary>
    public string Separator { get; }

    /// <summary>Whether rows are appended to an existing file.</summary>
    public bool Append { get; }

    /// <inheritdoc />
    public override void OnTrainBegin(Logs logs)
    {
        if (Append && File.Exists(Filename))
        {
            // A header is written only when the existing file is empty.
            using var reader = new StreamReader(Filename);
            _appendHeader = string.IsNullOrEmpty(reader.ReadLine());
        }
        else _appendHeader = true;
        _file?.Dispose();
        _file = new StreamWriter(new FileStream(Filename, Append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        _keys = null;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, Logs logs)
    {
        var file = _file ?? throw new InvalidOperationException("CSVLogger: OnEpochEnd before OnTrainBegin; the logger runs inside Fit().");
        if (_keys is null)
        {
            _keys = [.. logs.Keys.Order(StringComparer.Ordinal)];
            if (_keys.Count > 0 && !_keys.Any(k => k.StartsWith("val_", StringComparison.Ordinal)))
                _keys.AddRange([.. _keys.Select(k => "val_" + k)]);
            if (_appendHeader) WriteRow(file, ["epoch", .. _keys]);
        }
        WriteRow(file, [epoch.ToString(CultureInfo.InvariantCulture), .. _keys.Select(k => logs.TryGetValue(k, out double v) ? PythonRepr(v) : "NA")]);
        file.Flush();
    }

    /// <inheritdoc />
    public override void OnTrainEnd(Logs logs) => Dispose();

    /// <summary>Closes the file (also done at the end of training).</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private void WriteRow(StreamWriter file, IEnumerable<string> fields)
    {
        file.Write(string.Join(Separator, fields.Select(Quote)));
        file.Write("\r\n");
    }

    /// <summary>The csv module's minimal quoting: fields holding the separator, a quote or a line break are quoted.</summary>
    private string Quote(string field) =>
        field.Contains(Separator, StringComparison.Ordinal) || field.IndexOfAny(['"', '\r', '\n']) >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest digits that round-trip, positional when the decimal exponent is in
    /// <c>[-4, 16)</c> (always with a fractional part, <c>1.0</c>), scientific otherwise (<c>1e-05</c>, <c>1.5e+16</c>).
    /// </summary>
    internal static string PythonRepr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (value == 0) return sign + "0.0";
        // Shortest round-trip digits and the position of the decimal point after the first digit.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0, e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            r = r[..e];
        }
        int dot = r.IndexOf('.');
        string digits = dot >= 0 ? r.Remove(dot, 1) : r;
        int point = (dot >= 0 ? dot : r.Length) + exponent; // value = 0.digits × 10^point
        int lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0').TrimEnd('0');
        point -= lead;
        if (digits.Length == 0) return sign + "0.0";
        if (point < -3 || point > 16)
        {
            string mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            int exp = point - 1;
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        if (point <= 0) return sign + "0." + new string('0', -point) + digits;
        if (point >= digits.Length) return sign + digits + new string('0', point - digits.Length) + ".0";
        return sign + digits[..point] + "." + digits[point..];
    }
}
