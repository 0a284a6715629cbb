using System.Text;
using System.Text.RegularExpressions;

namespace KerasGpu.Utils;

/// <summary>One layer row of <c>model.summary()</c>.</summary>
/// <param name="Name">Layer name, e.g. <c>dense_10</c>.</param>
/// <param name="ClassName">Layer class name, e.g. <c>Dense</c>; shown in parentheses after the name.</param>
/// <param name="OutputShape">Formatted output shape, e.g. <c>(None, 784)</c>, or <c>?</c> when unknown.</param>
/// <param name="ParamCount">Parameter count, or <see langword="null"/> for an unbuilt layer (printed <c>0 (unbuilt)</c>).</param>
/// <param name="ConnectedTo">
/// Inbound tensors as Keras prints them, e.g. <c>conv2d_11[0][0]</c>; only used by non-sequential tables.
/// Null or empty prints <c>-</c>.
/// </param>
/// <param name="Trainable">
/// For the <c>Trainable</c> column: <see langword="true"/> prints <c>Y</c>, <see langword="false"/> prints <c>N</c>,
/// <see langword="null"/> (a layer without weights) prints <c>-</c>.
/// </param>
internal sealed record SummaryRow(
    string Name,
    string ClassName,
    string OutputShape,
    long? ParamCount,
    IReadOnlyList<string>? ConnectedTo = null,
    bool? Trainable = null);

/// <summary>
/// Renders Keras 3's <c>model.summary()</c> text (keras/src/utils/summary_utils.py), as the <c>rich</c> library
/// draws it without colour (the <c>print_fn</c> path): heavy-head box table, a rule between rows, word wrapping
/// and ellipsis cropping of long cells, and the parameter-count footer.
/// </summary>
internal static partial class SummaryTable
{
    private enum Justify
    {
        Left,
        Right,
        Center,
    }

    /// <summary>
    /// Keras' default table width: 88 for sequential-like models, 108 with the <c>Connected to</c> column,
    /// plus 12 with the <c>Trainable</c> column; Keras clamps it to the terminal width minus 4.
    /// </summary>
    /// <param name="sequentialLike">Whether the model is drawn without the <c>Connected to</c> column.</param>
    /// <param name="showTrainable">Whether the <c>Trainable</c> column is shown.</param>
    /// <param name="terminalColumns">Terminal width to clamp to (Keras uses <c>shutil.get_terminal_size()</c>,
    /// which falls back to 80 when there is no terminal), or <see langword="null"/> for no clamping.</param>
    public static int DefaultLineLength(bool sequentialLike, bool showTrainable, int? terminalColumns = null)
    {
        int length = (sequentialLike ? 88 : 108) + (showTrainable ? 12 : 0);
        return terminalColumns is int cols ? Math.Min(length, cols - 4) : length;
    }

    /// <summary>Python's <c>readable_memory_size</c>: 1024-based B/KB/MB/GB/TB/PB with two decimals.</summary>
    public static string ReadableMemorySize(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        foreach (string unit in units)
        {
            if (bytes / 1024 < 1)
            {
                return PyFormat.Fixed(bytes, 2) + " " + unit;
            }

            bytes /= 1024;
        }

        return PyFormat.Fixed(bytes, 2) + " " + units[^1];
    }

    /// <summary>
    /// Renders the whole summary exactly as Keras 3 prints it with a <c>print_fn</c> (no ANSI colours).
    /// </summary>
    /// <param name="modelName">Model name, printed as <c>Model: "name"</c>.</param>
    /// <param name="rows">Layer rows, in display order.</param>
    /// <param name="sequentialLike">
    /// <see langword="true"/> for Sequential, subclassed and chain-shaped functional models (3 columns, default width 88);
    /// <see langword="false"/> adds the <c>Connected to</c> column (default width 108).
    /// </param>
    /// <param name="totalParams">Model parameter count (trainable + non-trainable, without optimizer variables).</param>
    /// <param name="trainableParams">Trainable parameter count.</param>
    /// <param name="nonTrainableParams">Non-trainable parameter count.</param>
    /// <param name="optimizerParams">
    /// Optimizer variable count once the optimizer is built; adds the <c>Optimizer params</c> line and, as in Keras,
    /// is included in the printed total. <see langword="null"/> omits the line.
    /// </param>
    /// <param name="lineLength">Table width in characters; <see langword="null"/> uses
    /// <see cref="DefaultLineLength"/> without terminal clamping.</param>
    /// <param name="showTrainable">Adds the centred <c>Trainable</c> column (Y/N/-).</param>
    /// <param name="trainableBytes">Memory of trainable weights; defaults to 4 bytes (float32) per parameter.</param>
    /// <param name="nonTrainableBytes">Memory of non-trainable weights; defaults to 4 bytes per parameter.</param>
    /// <param name="optimizerBytes">Memory of optimizer variables; defaults to 4 bytes per variable element.</param>
    /// <returns>The text, lines separated by <c>\n</c>, ending with <c>\n</c> (what rich's capture returns).</returns>
    /// <exception cref="ArgumentException">A column would be narrower than 4 characters (Keras'
    /// "Insufficient console width to print summary.").</exception>
    public static string Render(
        string modelName,
        IReadOnlyList<SummaryRow> rows,
        bool sequentialLike,
        long totalParams,
        long trainableParams,
        long nonTrainableParams,
        long? optimizerParams = null,
        int? lineLength = null,
        bool showTrainable = false,
        long? trainableBytes = null,
        long? nonTrainableBytes = null,
        long? optimizerBytes = null)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(rows);

        List<double> positions;
        List<string> header;
        List<Justify> justify;
        if (sequentialLike)
        {
            positions = [0.45, 0.80, 1.0];
            header = ["Layer (type)", "Output Shape", "Param #"];
            justify = [Justify.Left, Justify.Left, Justify.Right];
        }
        else
        {
            positions = [0.3, 0.56, 0.74, 1.0];
            header = ["Layer (type)", "Output Shape", "Param #", "Connected to"];
            justify = [Justify.Left, Justify.Left, Justify.Right, Justify.Left];
        }

        if (showTrainable)
        {
            positions = [.. positions.Select(p => p * 0.90), 1.0];
            header.Add("Trainable");
            justify.Add(Justify.Center);
        }

        int length = lineLength ?? DefaultLineLength(sequentialLike, showTrainable);
        int[] widths = ColumnWidths(positions, length);

        var table = new List<string[]> { header.ToArray() };
        foreach (SummaryRow row in rows)
        {
            var cells = new List<string>
            {
                $"{row.Name} ({row.ClassName})",
                row.OutputShape,
                row.ParamCount is long count ? PyFormat.Thousands(count) : "0 (unbuilt)",
            };
            if (!sequentialLike)
            {
                cells.Add(row.ConnectedTo is { Count: > 0 } inbound ? string.Join(", ", inbound) : "-");
            }

            if (showTrainable)
            {
                cells.Add(row.Trainable switch { true => "Y", false => "N", null => "-" });
            }

            table.Add(cells.ToArray());
        }

        var sb = new StringBuilder();
        sb.Append("Model: \"").Append(modelName).Append("\"\n");
        AppendTable(sb, table, widths, justify);

        long tBytes = trainableBytes ?? trainableParams * 4;
        long ntBytes = nonTrainableBytes ?? nonTrainableParams * 4;
        long oBytes = optimizerParams is long op ? optimizerBytes ?? op * 4 : 0;
        long total = totalParams + (optimizerParams ?? 0);
        AppendFooter(sb, "Total params", total, tBytes + ntBytes + oBytes);
        AppendFooter(sb, "Trainable params", trainableParams, tBytes);
        AppendFooter(sb, "Non-trainable params", nonTrainableParams, ntBytes);
        if (optimizerParams is long opt)
        {
            AppendFooter(sb, "Optimizer params", opt, oBytes);
        }

        return sb.ToString();
    }

    private static void AppendFooter(StringBuilder sb, string label, long count, long bytes) =>
        sb.Append(' ').Append(label).Append(": ").Append(PyFormat.Thousands(count))
          .Append(" (").Append(ReadableMemorySize(bytes)).Append(")\n");

    /// <summary>
    /// Column widths including the 1-space padding on each side, as rich's <c>Table</c> computes them for Keras'
    /// fixed-width columns: <c>int(pos * line_length)</c> steps plus padding, then the excess over
    /// <c>line_length - borders</c> taken off evenly with rich's <c>ratio_reduce</c> (Python's banker's rounding).
    /// </summary>
    private static int[] ColumnWidths(IReadOnlyList<double> positions, int lineLength)
    {
        int n = positions.Count;
        var widths = new int[n];
        int current = 0;
        for (int i = 0; i < n; i++)
        {
            int w = (int)(positions[i] * lineLength) - current;
            if (w < 4)
            {
                throw new ArgumentException("Insufficient console width to print summary.", nameof(lineLength));
            }

            widths[i] = w;
            current += w;
        }

        // rich: the table's own width minus the n + 1 vertical borders is what the columns may use.
        int maxWidth = lineLength - (n + 1);
        for (int i = 0; i < n; i++)
        {
            widths[i] = Math.Max(0, Math.Min(widths[i] + 2, maxWidth));
        }

        int tableWidth = widths.Sum();
        if (tableWidth > maxWidth)
        {
            // No column is wrappable (all have a fixed width), so rich goes straight to its last resort.
            int totalRemaining = tableWidth - maxWidth;
            int totalRatio = widths.Count(w => w != 0);
            for (int i = 0; i < n; i++)
            {
                if (widths[i] == 0 || totalRatio <= 0)
                {
                    continue;
                }

                int distributed = Math.Min(widths[i], (int)Math.Round((double)totalRemaining / totalRatio, MidpointRounding.ToEven));
                widths[i] -= distributed;
                totalRemaining -= distributed;
                totalRatio--;
            }
        }

        return widths;
    }

    private static void AppendTable(StringBuilder sb, List<string[]> table, int[] widths, List<Justify> justify)
    {
        AppendRule(sb, widths, '┏', '━', '┳', '┓');
        for (int r = 0; r < table.Count; r++)
        {
            bool header = r == 0;
            var cells = new List<string>[widths.Length];
            int height = 1;
            for (int c = 0; c < widths.Length; c++)
            {
                cells[c] = RenderCell(table[r][c], widths[c], justify[c]);
                height = Math.Max(height, cells[c].Count);
            }

            char edge = header ? '┃' : '│';
            for (int line = 0; line < height; line++)
            {
                sb.Append(edge);
                for (int c = 0; c < widths.Length; c++)
                {
                    // Header cells are bottom-aligned, body cells top-aligned; gaps are blank.
                    int offset = header ? height - cells[c].Count : 0;
                    int index = line - offset;
                    sb.Append(index >= 0 && index < cells[c].Count ? cells[c][index] : new string(' ', widths[c]));
                    sb.Append(edge);
                }

                sb.Append('\n');
            }

            if (header)
            {
                AppendRule(sb, widths, '┡', '━', '╇', '┩');
            }
            else if (r < table.Count - 1)
            {
                AppendRule(sb, widths, '├', '─', '┼', '┤');
            }
        }

        AppendRule(sb, widths, '└', '─', '┴', '┘');
    }

    private static void AppendRule(StringBuilder sb, int[] widths, char left, char horizontal, char cross, char right)
    {
        sb.Append(left);
        for (int c = 0; c < widths.Length; c++)
        {
            if (c > 0)
            {
                sb.Append(cross);
            }

            sb.Append(horizontal, widths[c]);
        }

        sb.Append(right).Append('\n');
    }

    /// <summary>Renders one cell to lines of exactly <paramref name="width"/> characters (padding included).</summary>
    private static List<string> RenderCell(string text, int width, Justify justify)
    {
        int inner = Math.Max(0, width - 2);
        var result = new List<string>();
        foreach (string line in WrapText(text, inner, justify))
        {
            result.Add(width >= 2 ? " " + line + " " : line.PadRight(width)[..width]);
        }

        return result;
    }

    /// <summary>
    /// rich's <c>Text.wrap</c> with <c>overflow="ellipsis"</c>: break at word boundaries, a word longer than the
    /// width goes on its own line and is cropped to <c>width - 1</c> characters plus <c>…</c>; each line is then
    /// justified and padded to <paramref name="width"/>.
    /// </summary>
    private static List<string> WrapText(string text, int width, Justify justify)
    {
        var lines = new List<string>();
        foreach (string paragraph in text.Split('\n'))
        {
            var pieces = new List<string>();
            int previous = 0;
            foreach (int offset in DivideLine(paragraph, width))
            {
                pieces.Add(paragraph[previous..offset]);
                previous = offset;
            }

            pieces.Add(paragraph[previous..]);

            foreach (string raw in pieces)
            {
                string piece = RStripEnd(raw, width);
                string justified;
                switch (justify)
                {
                    case Justify.Left:
                        justified = Truncate(piece, width).PadRight(width);
                        break;
                    case Justify.Right:
                        {
                            string t = Truncate(piece.TrimEnd(), width);
                            justified = t.PadLeft(width);
                            break;
                        }

                    default:
                        {
                            string t = Truncate(piece.TrimEnd(), width);
                            justified = (new string(' ', (width - t.Length) / 2) + t).PadRight(width);
                            break;
                        }
                }

                lines.Add(justified);
            }
        }

        return lines;
    }

    /// <summary>rich's <c>divide_line</c> with <c>fold=False</c>: the offsets where new lines start.</summary>
    private static List<int> DivideLine(string text, int width)
    {
        var divides = new List<int>();
        int linePosition = 0;
        foreach (Match word in WordRegex().Matches(text))
        {
            int start = word.Index;
            int wordLength = word.Value.TrimEnd().Length;
            if (linePosition + wordLength > width)
            {
                if (wordLength > width)
                {
                    if (start != 0)
                    {
                        divides.Add(start);
                    }

                    linePosition = word.Length;
                }
                else if (linePosition != 0 && start != 0)
                {
                    divides.Add(start);
                    linePosition = word.Length;
                }
            }
            else
            {
                linePosition += word.Length;
            }
        }

        return divides;
    }

    /// <summary>rich's <c>Text.rstrip_end</c>: drop trailing whitespace that lies beyond <paramref name="size"/>.</summary>
    private static string RStripEnd(string text, int size)
    {
        if (text.Length <= size)
        {
            return text;
        }

        int excess = text.Length - size;
        int whitespace = text.Length - text.TrimEnd().Length;
        return text[..(text.Length - Math.Min(whitespace, excess))];
    }

    /// <summary>rich's <c>Text.truncate</c> with <c>overflow="ellipsis"</c>.</summary>
    private static string Truncate(string text, int width) =>
        text.Length > width ? (width > 0 ? text[..(width - 1)] + "…" : string.Empty) : text;

    [GeneratedRegex(@"\G\s*\S+\s*")]
    private static partial Regex WordRegex();
}
