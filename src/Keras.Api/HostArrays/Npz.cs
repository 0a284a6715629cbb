using System.IO.Compression;

namespace KerasGpu;

/// <summary>
/// Reads and writes NumPy's <c>.npz</c> archives (what <c>np.savez</c> and <c>np.savez_compressed</c>
/// write, and what Keras' dataset files such as <c>mnist.npz</c> are): a zip of <c>NAME.npy</c> members,
/// stored or deflated.
/// </summary>
/// <remarks>
/// Reading is strict: a file that is not a zip, a truncated zip, a corrupt deflate stream, a member that
/// is not <c>.npy</c>, a member name that is a path (<c>../x.npy</c>, <c>/etc/x.npy</c>, <c>C:\x.npy</c>),
/// a duplicate member, a declared size that deflate cannot produce from the compressed size (a zip
/// bomb), or a CRC-32 that does not match the member's data (ZipArchive itself does not check it) are all <see cref="InvalidDataException"/>s naming the file and the member; each member is then
/// read by <see cref="Npy"/>'s strict reader. Nothing is returned unless every member is valid.
/// </remarks>
public static class Npz
{
    /// <summary>Deflate's maximum expansion is 1032:1; anything declaring more is not a genuine deflate stream.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads every array in a <c>.npz</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The arrays by name (the member names without <c>.npy</c>), in archive order.</returns>
    /// <exception cref="InvalidDataException">The file or one of its members is malformed.</exception>
    public static IReadOnlyDictionary<string, NDArray> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(stream, Path.GetFileName(path));
    }

    /// <summary>Reads every array in a <c>.npz</c> archive held in <paramref name="stream"/>.</summary>
    /// <param name="stream">The archive; left open.</param>
    /// <param name="name">The name to use in error messages.</param>
    /// <returns>The arrays by name (the member names without <c>.npy</c>), in archive order.</returns>
    /// <exception cref="InvalidDataException">The archive or one of its members is malformed.</exception>
    public static IReadOnlyDictionary<string, NDArray> Load(Stream stream, string name = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"{name}: not a valid .npz (zip) file: {e.Message}", e);
        }

        using (zip)
        {
            var result = new Dictionary<string, NDArray>(StringComparer.Ordinal);
            IReadOnlyCollection<ZipArchiveEntry> entries;
            try
            {
                entries = zip.Entries;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new InvalidDataException($"{name}: corrupt zip central directory: {e.Message}", e);
            }

            foreach (var entry in entries)
            {
                string member = entry.FullName;
                string where = $"{name}/{Printable(member)}";
                if (!member.EndsWith(".npy", StringComparison.Ordinal))
                    throw new InvalidDataException($"{where}: expected only NAME.npy members in a .npz file, found '{Printable(member)}'.");
                string key = member[..^4];
                string? problem = KeyProblem(key);
                if (problem is not null)
                    throw new InvalidDataException($"{where}: unsafe member name '{Printable(member)}': {problem}.");
                if (result.ContainsKey(key))
                    throw new InvalidDataException($"{where}: duplicate member '{member}'.");
                if (entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
                    throw new InvalidDataException(
                        $"{where}: declared size {entry.Length} bytes cannot come from {entry.CompressedLength} compressed bytes " +
                        $"(deflate expands at most {MaxDeflateRatio}:1); the archive is corrupt or a zip bomb.");
                try
                {
                    using var memberStream = new Crc32Stream(entry.Open());
                    var array = Npy.Read(memberStream, entry.Length, where);
                    if (memberStream.Crc != entry.Crc32)
                        throw new InvalidDataException(
                            $"{where}: CRC-32 mismatch: the archive records {entry.Crc32:x8}, the data has {memberStream.Crc:x8}; the file is corrupt.");
                    result.Add(key, array);
                }
                catch (InvalidDataException e) when (!e.Message.StartsWith(where, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{where}: corrupt compressed data: {e.Message}", e);
                }
                catch (IOException e)
                {
                    throw new InvalidDataException($"{where}: could not read the member: {e.Message}", e);
                }
            }
            return result;
        }
    }

    /// <summary>
    /// Writes arrays to a <c>.npz</c> file, as <c>np.savez</c> (stored) or <c>np.savez_compressed</c> (deflated)
    /// would. The file is written under a temporary name in the same folder and then renamed over
    /// <paramref name="path"/>, so a reader never sees a half-written file.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="arrays">The arrays by name; each name becomes the member <c>NAME.npy</c> and may not contain path separators.</param>
    /// <param name="compressed">Deflate the members (<c>savez_compressed</c>) or store them (<c>savez</c>).</param>
    /// <exception cref="ArgumentException">A name is empty, a path, or contains a NUL or colon.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, NDArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var (key, array) in arrays)
        {
            string? problem = KeyProblem(key);
            if (problem is not null)
                throw new ArgumentException($"Array name '{Printable(key)}' cannot be an .npz member name: {problem}.", nameof(arrays));
            if (array is null)
                throw new ArgumentException($"Array '{key}' is null.", nameof(arrays));
        }
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (key, array) in arrays)
            {
                var entry = zip.CreateEntry(key + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var entryStream = entry.Open();
                Npy.Write(entryStream, array);
            }
        });
    }

    /// <summary>Why <paramref name="key"/> cannot be a flat member name, or null if it can.</summary>
    private static string? KeyProblem(string key)
    {
        if (key.Length == 0) return "the name is empty";
        if (key.Contains('/') || key.Contains('\\')) return "it contains a path separator (members must be flat names)";
        if (key.Contains('\0')) return "it contains a NUL character";
        if (key.Contains(':')) return "it contains a colon (a drive or stream name)";
        if (key is "." or "..") return "it names a directory";
        return null;
    }

    /// <summary>A read-only pass-through stream computing the zip CRC-32 of what it reads (ZipArchive does not check it).</summary>
    private sealed class Crc32Stream(Stream inner) : Utils.ReadOnlyStream(inner)
    {
        private readonly System.IO.Hashing.Crc32 _crc = new();

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Inner.Read(buffer);
            _crc.Append(buffer[..n]);
            return n;
        }
    }

    private static string Printable(string s) => s.Replace("\0", "\\0", StringComparison.Ordinal);
}
