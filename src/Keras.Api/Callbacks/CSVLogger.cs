using System.Globalization;
using System.Text;
using KerasGpu.Utils;

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
        WriteRow(file, [epoch.ToString(CultureInfo.InvariantCulture), .. _keys.Select(k => logs.TryGetValue(k, out double v) ? PyFormat.Repr(v) : "NA")]);
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
}
