using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace KerasGpu.Utils;

/// <summary>
/// Displays a progress bar, reproducing Keras 3's <c>keras.utils.Progbar</c> (keras/src/utils/progbar.py) character
/// for character, e.g. <c>750/750 ━━━━━━━━━━━━━━━━━━━━ 1s 863us/step - accuracy: 0.8425 - loss: 0.5733</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Display modes.</b> With <c>verbose = 1</c> and a dynamic display (an interactive console), the line is
/// redrawn in place (<c>\b</c>…<c>\r</c>, padded with spaces over a longer previous line) at most every
/// <see cref="Interval"/> seconds and at finalize, with Keras' ANSI styling: bold step counter and time, a green
/// done part and grey rest of the bar. When the display is not dynamic (output redirected to a file or pipe, or any
/// writer other than the console), only the final line of each bar is written, without ANSI codes, so a log gets one
/// line per epoch. (Keras itself redraws with <c>\r</c> even when piped on POSIX; printing only the final line is
/// this project's choice for logs.) <c>verbose = 2</c> writes one line at finalize,
/// <c>313/313 - 0s - 341us/step - accuracy: 0.9613 - loss: 0.1288</c>; <c>verbose = 0</c> writes nothing.
/// The <c>Epoch i/N</c> header is not part of the bar; the progress logger prints it.
/// </para>
/// <para>
/// <b>Values.</b> Metrics named in <c>statefulMetrics</c> are shown as given; all others are averaged over the
/// steps of the bar, each value weighted by the steps since the previous <see cref="Update"/> (Keras' rule).
/// With neither list given every metric is averaged, as in Keras. Keras' <c>ProgbarLogger</c> (what <c>fit</c>,
/// <c>evaluate</c> and <c>predict</c> use) passes <c>stateless_metrics=set()</c>, i.e. every value is shown as
/// given because the metric objects already hold running averages: use <c>statelessMetrics: []</c> for that.
/// </para>
/// <para>
/// <b>Reading values only when needed.</b> Call <see cref="Update"/> every step (it is cheap) but pass values only
/// when <see cref="WantsRefresh"/> says the call will draw: reading metric values back from the device forces a
/// synchronisation, so a trainer should read them at most every <see cref="Interval"/> seconds and at finalize.
/// This is exact for stateful values (shown as given); for averaged values it changes the average, since skipped
/// steps contribute no value.
/// </para>
/// Numbers are formatted culture-invariantly with Python's rounding (see <c>PyFormat</c>). Not thread-safe.
/// </remarks>
public sealed class Progbar
{
    private const string Bold = "\x1b[1m";
    private const string Reset = "\x1b[0m";
    private const string Green = "\x1b[32m";
    private const string Grey = "\x1b[37m";
    private const char BarChar = '━';

    private readonly HashSet<string>? _statefulMetrics;
    private readonly HashSet<string>? _statelessMetrics;
    private readonly TextWriter _output;
    private readonly Func<double> _clock;
    private readonly bool _asciiFallback;
    private readonly Dictionary<string, (double Sum, double Count)> _values = new(StringComparer.Ordinal);
    private readonly List<string> _valuesOrder = [];
    private readonly double _start;
    private int _seenSoFar;
    private double _lastUpdate = double.NegativeInfinity;
    private double? _timeAfterFirstStep;
    private int _prevTotalWidth;

    /// <summary>Creates a progress bar.</summary>
    /// <param name="target">Total number of steps expected, or <see langword="null"/> if unknown
    /// (drawn as <c>%7d/Unknown</c>).</param>
    /// <param name="width">Bar width in characters.</param>
    /// <param name="verbose">0 (silent), 1 (bar) or 2 (one line at finalize).</param>
    /// <param name="interval">Minimum number of seconds between two redraws (verbose 1, dynamic display).</param>
    /// <param name="statefulMetrics">Names of values shown as given rather than averaged. Give at most one of
    /// this and <paramref name="statelessMetrics"/>.</param>
    /// <param name="unitName">Unit for the per-unit time, e.g. <c>step</c> gives <c>863us/step</c>.</param>
    /// <param name="output">Where to write; defaults to <see cref="Console.Out"/>.</param>
    /// <param name="dynamicDisplay">Whether to redraw in place with ANSI styling. Defaults to
    /// <see langword="true"/> when writing to the console and it is not redirected, else <see langword="false"/>.</param>
    /// <param name="clock">Monotonic time source in seconds (a seam for tests); defaults to a
    /// <see cref="Stopwatch"/> reading.</param>
    /// <param name="statelessMetrics">Names of values to average; every other value is shown as given
    /// (Keras' <c>stateless_metrics</c>; an empty list shows all values as given).</param>
    /// <exception cref="ArgumentException">Both <paramref name="statefulMetrics"/> and
    /// <paramref name="statelessMetrics"/> were given.</exception>
    public Progbar(
        int? target,
        int width = 20,
        int verbose = 1,
        double interval = 0.05,
        IEnumerable<string>? statefulMetrics = null,
        string unitName = "step",
        TextWriter? output = null,
        bool? dynamicDisplay = null,
        Func<double>? clock = null,
        IEnumerable<string>? statelessMetrics = null)
    {
        if (statefulMetrics is not null && statelessMetrics is not null)
        {
            throw new ArgumentException(
                "Only one of `stateful_metrics` or `stateless_metrics` can be provided. `stateful_metrics` is used "
                + "to make metrics stateless by default (with an exclusion list), while `stateless_metrics` is used "
                + "to make metrics stateful by default (with an exclusion list).",
                nameof(statelessMetrics));
        }

        ArgumentNullException.ThrowIfNull(unitName);
        Target = target;
        Width = width;
        Verbose = verbose;
        Interval = interval;
        UnitName = unitName;
        if (statelessMetrics is not null)
        {
            _statelessMetrics = new HashSet<string>(statelessMetrics, StringComparer.Ordinal);
        }
        else
        {
            _statefulMetrics = new HashSet<string>(statefulMetrics ?? [], StringComparer.Ordinal);
        }

        bool toConsole = output is null || ReferenceEquals(output, Console.Out);
        _output = output ?? Console.Out;
        DynamicDisplay = dynamicDisplay ?? (toConsole && !Console.IsOutputRedirected);
        _clock = clock ?? (() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
        _asciiFallback = !CanEncodeBar(_output);
        _start = _clock();
    }

    /// <summary>Total number of steps, or <see langword="null"/> if unknown. Settable, as Keras' progress logger
    /// sets it at the end of a first epoch of unknown length.</summary>
    public int? Target { get; set; }

    /// <summary>Bar width in characters.</summary>
    public int Width { get; }

    /// <summary>Verbosity: 0 (silent), 1 (bar) or 2 (one line at finalize).</summary>
    public int Verbose { get; }

    /// <summary>Minimum number of seconds between two redraws.</summary>
    public double Interval { get; }

    /// <summary>Unit shown in the per-unit time, e.g. <c>step</c>.</summary>
    public string UnitName { get; }

    /// <summary>Whether the bar is redrawn in place with ANSI styling (otherwise only final lines are written).</summary>
    public bool DynamicDisplay { get; }

    /// <summary>
    /// Whether an <see cref="Update"/> call made now with the same arguments would write to the output. A trainer
    /// asks this before reading metric values from the device, and passes values only when it returns
    /// <see langword="true"/>. Once it returns <see langword="true"/>, the next <see cref="Update"/> for
    /// <paramref name="current"/> does draw (time only moves forward), however long reading the values takes.
    /// </summary>
    /// <param name="current">The step index the next update will report.</param>
    /// <param name="finalize">Whether that update is the last one; <see langword="null"/> means
    /// <c>current &gt;= Target</c> (false when the target is unknown), as in <see cref="Update"/>.</param>
    /// <returns>For verbose 1: at finalize, or (dynamic display only) when at least <see cref="Interval"/> seconds
    /// have passed since the last redraw. For verbose 2: at finalize with a known positive target. Otherwise false.</returns>
    public bool WantsRefresh(int current, bool? finalize = null)
    {
        bool fin = ResolveFinalize(current, finalize);
        return Verbose switch
        {
            1 => fin || (DynamicDisplay && _clock() - _lastUpdate >= Interval),
            2 => fin && Target is > 0,
            _ => false,
        };
    }

    /// <summary>Updates the progress bar (Keras' <c>Progbar.update</c>).</summary>
    /// <param name="current">Index of the current step (1-based count of steps done).</param>
    /// <param name="values">Pairs of (name, value for the last step). Stateful names are shown as given; other
    /// values are averaged over the bar's steps. Names keep the order in which they first appear.</param>
    /// <param name="finalize">Whether this is the last update for the bar; <see langword="null"/> means
    /// <c>current &gt;= Target</c> (never when the target is unknown).</param>
    public void Update(int current, IReadOnlyList<KeyValuePair<string, double>>? values = null, bool? finalize = null)
    {
        bool fin = ResolveFinalize(current, finalize);

        if (values is not null)
        {
            foreach ((string k, double v) in values)
            {
                if (!_valuesOrder.Contains(k))
                {
                    _valuesOrder.Add(k);
                }

                bool stateless = _statefulMetrics is not null ? !_statefulMetrics.Contains(k) : _statelessMetrics!.Contains(k);
                if (stateless && !fin)
                {
                    // Weight the value by the steps it covers (at least 1).
                    int valueBase = Math.Max(current - _seenSoFar, 1);
                    _values[k] = _values.TryGetValue(k, out var acc)
                        ? (acc.Sum + (v * valueBase), acc.Count + valueBase)
                        : (v * valueBase, valueBase);
                }
                else
                {
                    _values[k] = (v, 1);
                }
            }
        }

        _seenSoFar = current;

        double now = _clock();
        double timePerUnit = EstimateStepDuration(current, now);

        if (Verbose == 1)
        {
            if (now - _lastUpdate < Interval && !fin)
            {
                return;
            }

            if (DynamicDisplay)
            {
                (string styled, int totalWidth) = BuildLine(current, now, timePerUnit, fin, styled: true);
                var message = new StringBuilder();
                message.Append('\b', _prevTotalWidth).Append('\r').Append(styled);
                if (_prevTotalWidth > totalWidth)
                {
                    message.Append(' ', _prevTotalWidth - totalWidth);
                }

                if (fin)
                {
                    message.Append('\n');
                }

                Write(message.ToString());
                _prevTotalWidth = totalWidth;
            }
            else if (fin)
            {
                (string plain, int totalWidth) = BuildLine(current, now, timePerUnit, fin, styled: false);
                Write(plain + "\n");
                _prevTotalWidth = totalWidth;
            }
        }
        else if (Verbose == 2)
        {
            if (fin && Target is int target && target > 0)
            {
                var info = new StringBuilder();
                info.Append(StepCount(current, target)).Append(" - ")
                    .Append(PyFormat.Fixed(now - _start, 0)).Append('s')
                    .Append(" -").Append(FormatTime(timePerUnit, UnitName));
                foreach (string k in _valuesOrder)
                {
                    (double sum, double count) = _values[k];
                    double avg = sum / Math.Max(1, count);

                    // Keras' verbose=2 test has no abs(): negative values print in e-notation.
                    info.Append(" - ").Append(k).Append(": ")
                        .Append(avg > 1e-3 ? PyFormat.Fixed(avg, 4) : PyFormat.Exponent(avg, 4));
                }

                info.Append('\n');
                Write(info.ToString());
            }
        }

        _lastUpdate = now;
    }

    /// <summary>Advances the bar by <paramref name="n"/> steps (Keras' <c>Progbar.add</c>).</summary>
    /// <param name="n">Number of steps to add to the steps seen so far.</param>
    /// <param name="values">As for <see cref="Update"/>.</param>
    public void Add(int n, IReadOnlyList<KeyValuePair<string, double>>? values = null) =>
        Update(_seenSoFar + n, values);

    /// <summary>Keras' <c>_format_time</c>: <c> 2s/step</c>, <c> 35ms/step</c> or <c> 863us/step</c>.</summary>
    internal static string FormatTime(double timePerUnit, string unitName)
    {
        if (timePerUnit >= 1 || timePerUnit == 0)
        {
            return " " + PyFormat.Fixed(timePerUnit, 0) + "s/" + unitName;
        }

        if (timePerUnit >= 1e-3)
        {
            return " " + PyFormat.Fixed(timePerUnit * 1000.0, 0) + "ms/" + unitName;
        }

        return " " + PyFormat.Fixed(timePerUnit * 1000000.0, 0) + "us/" + unitName;
    }

    /// <summary>Keras' ETA text: <c>%ds</c>, <c>%d:%02d</c> or <c>%d:%02d:%02d</c>.</summary>
    internal static string FormatEta(double eta)
    {
        if (eta > 3600)
        {
            return PyFormat.Truncated(FloorDiv(eta, 3600)) + ":"
                + PyFormat.Truncated2(FloorDiv(PyMod(eta, 3600), 60)) + ":"
                + PyFormat.Truncated2(PyMod(eta, 60));
        }

        if (eta > 60)
        {
            return PyFormat.Truncated(FloorDiv(eta, 60)) + ":" + PyFormat.Truncated2(PyMod(eta, 60));
        }

        return PyFormat.Truncated(eta) + "s";
    }

    private bool ResolveFinalize(int current, bool? finalize) =>
        finalize ?? (Target is int target && current >= target);

    /// <summary>The verbose-1 line (without the redraw prefix) and its visible width.</summary>
    private (string Text, int VisibleWidth) BuildLine(int current, double now, double timePerUnit, bool finalize, bool styled)
    {
        var text = new StringBuilder();
        int visible = 0;

        void Emit(string s, string? style = null)
        {
            if (styled && style is not null)
            {
                text.Append(style).Append(s).Append(Reset);
            }
            else
            {
                text.Append(s);
            }

            visible += s.Length;
        }

        bool known = Target is int t && t > 0;
        if (known)
        {
            int target = Target!.Value;
            Emit(StepCount(current, target), Bold);
            Emit(" ");
            double prog = (double)current / target;
            int progWidth = (int)(Width * prog);
            if (progWidth > 0)
            {
                Emit(new string(BarChar, progWidth), Green);
            }

            Emit(new string(BarChar, Math.Max(0, Width - progWidth)), Grey);
        }
        else
        {
            Emit(current.ToString(CultureInfo.InvariantCulture).PadLeft(7) + "/Unknown");
        }

        Emit(" ");
        if (known && !finalize)
        {
            Emit(FormatEta(timePerUnit * (Target!.Value - current)), Bold);
        }
        else
        {
            Emit(PyFormat.Fixed(now - _start, 0) + "s", Bold);
        }

        Emit(FormatTime(timePerUnit, UnitName));
        foreach (string k in _valuesOrder)
        {
            (double sum, double count) = _values[k];
            double avg = sum / Math.Max(1, count);
            Emit(" - " + k + ": " + (Math.Abs(avg) > 1e-3 ? PyFormat.Fixed(avg, 4) : PyFormat.Exponent(avg, 4)));
        }

        return (text.ToString(), visible);
    }

    private static string StepCount(int current, int target)
    {
        int digits = target.ToString(CultureInfo.InvariantCulture).Length;
        return current.ToString(CultureInfo.InvariantCulture).PadLeft(digits) + "/"
            + target.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Keras' <c>_estimate_step_duration</c>: the first step (compilation) is left out once known.</summary>
    private double EstimateStepDuration(int current, double now)
    {
        if (current == 0)
        {
            return 0;
        }

        double timePerUnit = _timeAfterFirstStep is double afterFirst && current > 1
            ? (now - afterFirst) / (current - 1)
            : (now - _start) / current;

        if (current == 1)
        {
            _timeAfterFirstStep = now;
        }

        return timePerUnit;
    }

    private void Write(string message)
    {
        if (_asciiFallback)
        {
            message = message.Replace(BarChar, '=');
        }

        _output.Write(message);
        _output.Flush();
    }

    private static bool CanEncodeBar(TextWriter writer)
    {
        try
        {
            Encoding encoding = writer.Encoding;
            string bar = BarChar.ToString();
            return encoding.GetString(encoding.GetBytes(bar)) == bar;
        }
        catch (Exception e) when (e is EncoderFallbackException or DecoderFallbackException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Python's float floor division.</summary>
    private static double FloorDiv(double a, double b)
    {
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0))
        {
            div -= 1.0;
        }

        if (div == 0)
        {
            return Math.CopySign(0.0, a / b);
        }

        double floor = Math.Floor(div);
        if (div - floor > 0.5)
        {
            floor += 1.0;
        }

        return floor;
    }

    /// <summary>Python's float modulo (result has the sign of the divisor).</summary>
    private static double PyMod(double a, double b)
    {
        double mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0))
        {
            mod += b;
        }

        return mod;
    }
}
