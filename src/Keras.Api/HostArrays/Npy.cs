using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace KerasGpu;

/// <summary>
/// A strict reader and writer of NumPy's <c>.npy</c> format (versions 1.0, 2.0 and 3.0), the members of
/// a <c>.npz</c> file. Only what <see cref="NDArray"/> can hold is accepted: little-endian
/// <c>uint8</c>, <c>int32</c>, <c>int64</c>, <c>float32</c> and <c>float64</c> in C order.
/// </summary>
/// <remarks>
/// Everything read is validated before anything is allocated: the header's length and syntax, the dtype,
/// the shape (non-negative, element count computed with checked arithmetic, at most
/// <see cref="Array.MaxLength"/>), and the data length, which must be exactly
/// <c>product(shape) * itemsize</c> (shorter means truncated, longer means trailing bytes). Object arrays
/// (pickles) are never read. Every failure is an <see cref="InvalidDataException"/> naming the source and
/// what was expected and found.
/// </remarks>
public static class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The largest header accepted, as NumPy's own reader limits it (<c>max_header_size</c>).</summary>
    internal const int MaxHeaderLength = 10_000;

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a valid .npy file this library can hold.</exception>
    public static NDArray Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, stream.Length, Path.GetFileName(path));
    }

    /// <summary>Reads one array in .npy format from <paramref name="stream"/>.</summary>
    /// <param name="stream">The source, positioned at the magic string. When it can seek, its remaining length must be exactly the array's; otherwise it must end right after the data.</param>
    /// <param name="name">The name to use in error messages (e.g. <c>mnist.npz/x_train.npy</c>).</param>
    /// <exception cref="InvalidDataException">The data is not a valid .npy array this library can hold.</exception>
    public static NDArray Read(Stream stream, string name = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        long length = stream.CanSeek ? stream.Length - stream.Position : -1;
        return Read(stream, length, name);
    }

    /// <summary>Reads one array whose total length (preamble, header and data) is declared as <paramref name="declaredLength"/>, or -1 if unknown.</summary>
    internal static NDArray Read(Stream stream, long declaredLength, string name)
    {
        Span<byte> preamble = stackalloc byte[12];
        int got = ReadAtMost(stream, preamble[..10]);
        if (got < 10 || !preamble[..6].SequenceEqual(Magic))
            throw new InvalidDataException(
                $"{name}: not a .npy file: expected the magic string \\x93NUMPY and a version, found {Describe(preamble[..got])}.");

        byte major = preamble[6], minor = preamble[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new InvalidDataException($"{name}: unsupported .npy format version {major}.{minor}; expected 1.0, 2.0 or 3.0.");

        int prefix;
        long headerLength;
        if (major == 1)
        {
            prefix = 10;
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..10]);
        }
        else
        {
            prefix = 12;
            if (ReadAtMost(stream, preamble[10..12]) < 2)
                throw new InvalidDataException($"{name}: truncated .npy preamble: expected 12 bytes for version {major}.0.");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..12]);
        }
        if (headerLength > MaxHeaderLength)
            throw new InvalidDataException($"{name}: .npy header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes.");
        if (declaredLength >= 0 && prefix + headerLength > declaredLength)
            throw new InvalidDataException(
                $"{name}: truncated .npy header: expected {prefix + headerLength} bytes of preamble and header, found {declaredLength}.");

        var headerBytes = new byte[headerLength];
        int headerGot = ReadAtMost(stream, headerBytes);
        if (headerGot < headerLength)
            throw new InvalidDataException($"{name}: truncated .npy header: expected {headerLength} bytes, found {headerGot}.");

        string header;
        try
        {
            header = major == 3
                ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes)
                : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{name}: .npy header is not valid UTF-8.", e);
        }

        var (dtype, shape) = ParseHeader(header, name);
        long count;
        try
        {
            count = NDArray.CheckedSize(shape, "shape");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name}: invalid shape in .npy header: {e.Message}", e);
        }
        long dataBytes = count * dtype.SizeOf();
        string what = $"{dataBytes} bytes of {dtype.KerasName()} data for shape {NDArray.FormatShape(shape)}";
        if (declaredLength >= 0 && declaredLength - prefix - headerLength != dataBytes)
            throw new InvalidDataException(
                $"{name}: expected {what}, found {declaredLength - prefix - headerLength}" +
                (declaredLength - prefix - headerLength < dataBytes ? " (truncated)." : " (trailing bytes)."));

        var array = NDArray.Zeros(dtype, shape);
        long done = 0;
        while (done < dataBytes)
        {
            int chunk = (int)Math.Min(dataBytes - done, 1 << 20);
            int n = ReadAtMost(stream, array.RawBytes(done, chunk));
            done += n;
            if (n < chunk)
                throw new InvalidDataException($"{name}: expected {what}, found {done} (truncated).");
        }
        if (stream.ReadByte() >= 0)
            throw new InvalidDataException($"{name}: expected {what}, found more (trailing bytes).");
        return array;
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="stream"/> in .npy format 1.0, as <c>numpy.save</c> does (header padded to 64 bytes).</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="array">The array.</param>
    public static void Write(Stream stream, NDArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        string header = $"{{'descr': '{Descr(array.DType)}', 'fortran_order': False, 'shape': {NDArray.FormatShape(array.ShapeSpan)}, }}";
        int padded = (10 + header.Length + 1 + 63) / 64 * 64 - 10;
        header = header.PadRight(padded - 1) + "\n";
        Span<byte> preamble = stackalloc byte[10];
        Magic.CopyTo(preamble);
        preamble[6] = 1;
        preamble[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], checked((ushort)header.Length));
        stream.Write(preamble);
        stream.Write(Encoding.Latin1.GetBytes(header));
        for (long done = 0; done < array.ByteCount;)
        {
            int chunk = (int)Math.Min(array.ByteCount - done, 1 << 20);
            stream.Write(array.RawBytes(done, chunk));
            done += chunk;
        }
    }

    /// <summary>Writes <paramref name="array"/> to a .npy file (through a temporary file in the same folder, then renamed).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="array">The array.</param>
    public static void Save(string path, NDArray array)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, stream => Write(stream, array));
    }

    private static string Descr(DType dtype) => dtype switch
    {
        DType.UInt8 => "|u1",
        DType.Int32 => "<i4",
        DType.Int64 => "<i8",
        DType.Float32 => "<f4",
        DType.Float64 => "<f8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    private static DType ParseDescr(string descr, string name) => descr switch
    {
        "|u1" or "<u1" => DType.UInt8,
        "<i4" => DType.Int32,
        "<i8" => DType.Int64,
        "<f4" => DType.Float32,
        "<f8" => DType.Float64,
        _ when descr.StartsWith('>') =>
            throw new InvalidDataException($"{name}: big-endian dtype '{descr}' is not supported; expected little-endian ('<')."),
        _ when descr.Contains('O') =>
            throw new InvalidDataException($"{name}: object arrays ('{descr}') are not supported: they need pickle, which is never loaded."),
        _ => throw new InvalidDataException(
            $"{name}: unsupported dtype '{descr}'; expected one of '|u1', '<i4', '<i8', '<f4', '<f8'."),
    };

    // ------------------------------------------------------------------ header

    private static (DType DType, int[] Shape) ParseHeader(string header, string name)
    {
        var p = new HeaderParser(header, name);
        var dict = p.ParseDict();
        p.ExpectEnd();
        if (dict.Count != 3 || !dict.ContainsKey("descr") || !dict.ContainsKey("fortran_order") || !dict.ContainsKey("shape"))
            throw new InvalidDataException(
                $"{name}: .npy header must have exactly the keys 'descr', 'fortran_order' and 'shape', found {string.Join(", ", dict.Keys.Select(k => $"'{k}'"))}.");
        if (dict["descr"] is not string descr)
            throw new InvalidDataException($"{name}: 'descr' must be a dtype string such as '<f4'; structured dtypes are not supported.");
        if (dict["fortran_order"] is not bool fortran)
            throw new InvalidDataException($"{name}: 'fortran_order' must be True or False.");
        if (dict["shape"] is not long[] dims)
            throw new InvalidDataException($"{name}: 'shape' must be a tuple of integers.");
        var dtype = ParseDescr(descr, name);
        if (fortran)
            throw new InvalidDataException($"{name}: Fortran-ordered (column-major) arrays are not supported; expected fortran_order False.");
        if (dims.Length > 32)
            throw new InvalidDataException($"{name}: shape has {dims.Length} dimensions; at most 32 are supported.");
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > int.MaxValue)
                throw new InvalidDataException(
                    $"{name}: invalid shape ({string.Join(", ", dims)}): dimension {i} is {dims[i]}, expected 0 to {int.MaxValue}.");
            shape[i] = (int)dims[i];
        }
        return (dtype, shape);
    }

    /// <summary>Parses the Python literal NumPy writes: a dict of str keys to str, bool or tuple-of-int values.</summary>
    private ref struct HeaderParser(string text, string name)
    {
        private int _pos;

        public Dictionary<string, object> ParseDict()
        {
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { _pos++; return result; }
                string key = ParseString();
                Expect(':');
                object value = ParseValue();
                if (!result.TryAdd(key, value)) throw Error($"duplicate key '{key}'");
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect('}');
                return result;
            }
        }

        public void ExpectEnd()
        {
            while (_pos < text.Length && text[_pos] == ' ') _pos++;
            if (_pos != text.Length - 1 || text[_pos] != '\n')
                throw Error("expected the dict to be followed only by spaces and a final newline");
        }

        private object ParseValue()
        {
            SkipSpace();
            char c = Peek();
            if (c is '\'' or '"') return ParseString();
            if (c == '(') return ParseTuple();
            if (c == '[') throw Error("structured dtypes (a list of fields) are not supported");
            if (Match("True")) return true;
            if (Match("False")) return false;
            throw Error($"unexpected value starting with '{c}'");
        }

        private long[] ParseTuple()
        {
            Expect('(');
            var items = new List<long>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')') { _pos++; break; }
                items.Add(ParseInt());
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect(')');
                break;
            }
            return [.. items];
        }

        private long ParseInt()
        {
            int start = _pos;
            if (Peek() == '-') _pos++;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            if (!long.TryParse(text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                throw Error($"expected an integer at position {start}, found '{text.Substring(start, Math.Min(20, text.Length - start))}'");
            return v;
        }

        private string ParseString()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Error($"expected a quoted string at position {_pos}, found '{quote}'");
            int end = text.IndexOf(quote, _pos + 1);
            if (end < 0) throw Error("unterminated string");
            string s = text.Substring(_pos + 1, end - _pos - 1);
            if (s.Contains('\\')) throw Error("escape sequences are not supported in header strings");
            _pos = end + 1;
            return s;
        }

        private bool Match(string word)
        {
            if (string.CompareOrdinal(text, _pos, word, 0, word.Length) != 0) return false;
            _pos += word.Length;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Error($"expected '{c}' at position {_pos}, found {(_pos < text.Length ? $"'{text[_pos]}'" : "the end")}");
            _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t') _pos++;
        }

        private readonly InvalidDataException Error(string what) =>
            new($"{name}: malformed .npy header ({what}): {Abbreviate(text)}");
    }

    private static string Abbreviate(string header)
    {
        string t = header.TrimEnd();
        return t.Length <= 120 ? t : string.Concat(t.AsSpan(0, 120), "...");
    }

    private static string Describe(ReadOnlySpan<byte> bytes) => bytes.Length == 0
        ? "an empty stream"
        : $"{bytes.Length} bytes {Convert.ToHexString(bytes)}";

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}

/// <summary>Writes a file through a temporary file in the same folder, then renames it over the target.</summary>
internal static class AtomicFile
{
    internal static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
