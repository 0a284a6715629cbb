using System.Net;
using System.Security.Cryptography;

namespace KerasGpu;

/// <summary>Keras' <c>get_file</c> download step: fetch to a temporary file, verify the sha256, then rename into place.</summary>
internal static class Download
{
    /// <summary>How long to wait for a TCP/TLS connection: an offline machine fails fast.</summary>
    internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long one read may stall before the download is abandoned.</summary>
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    private static readonly Lazy<HttpClient> Client = new(() => new HttpClient(new SocketsHttpHandler
    {
        ConnectTimeout = ConnectTimeout,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromMinutes(2), // until the response headers arrive
    });

    /// <summary>Opens an HTTP(S) GET of <paramref name="url"/> for reading; the body is streamed.</summary>
    /// <exception cref="HttpRequestException">No connection, or a non-success status.</exception>
    internal static Stream Open(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var response = Client.Value.Send(request, HttpCompletionOption.ResponseHeadersRead);
        try
        {
            response.EnsureSuccessStatusCode();
            return new IdleTimeoutStream(response.Content.ReadAsStream(), IdleTimeout);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Downloads <paramref name="origin"/> to <paramref name="file"/>: prints Keras' "Downloading data from" line,
    /// writes a temporary file in the same folder, checks its sha256 and renames it over <paramref name="file"/>.
    /// The temporary file is deleted on any failure.
    /// </summary>
    /// <exception cref="InvalidDataException">The downloaded bytes do not have the expected sha256.</exception>
    internal static void ToFile(string origin, string file, string expectedSha256, Func<string, Stream> open)
    {
        Console.WriteLine($"Downloading data from {origin}");
        string dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(file)}.{Guid.NewGuid():N}.part");
        try
        {
            string actual;
            long bytes = 0;
            using (var source = open(origin))
            using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    target.Write(buffer, 0, n);
                    bytes += n;
                }
                target.Flush(flushToDisk: true);
                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException(
                    "Incomplete or corrupted file detected. The sha256 file hash does not match the provided value of " +
                    $"{expectedSha256}: the {bytes} bytes downloaded from {origin} have sha256 {actual}. The partial file was deleted.");
            File.Move(temp, file, overwrite: true);
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A read-only stream whose reads fail with an <see cref="IOException"/> when the source stalls longer than the idle timeout.</summary>
    private sealed class IdleTimeoutStream(Stream inner, TimeSpan idle) : Utils.ReadOnlyStream(inner)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            using var cts = new CancellationTokenSource(idle);
            try
            {
                return Inner.ReadAsync(buffer.AsMemory(offset, count), cts.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException e) when (cts.IsCancellationRequested)
            {
                throw new IOException($"the download stalled: no data for {idle.TotalSeconds:0} seconds.", e);
            }
        }
    }
}
