using System.Net.Http;
using System.Security.Cryptography;
using KerasGpu;

namespace Keras.Tests.Datasets;

/// <summary>Tests that change process-wide state (KERAS_HOME, Console.Out, the MNIST seams) run alone.</summary>
[CollectionDefinition("KerasHome", DisableParallelization = true)]
public sealed class KerasHomeCollection;

public class MnistFixtureTests
{
    [Fact]
    public void Fixture_HasKerasLayoutAndAllClasses()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = KerasGpu.Datasets.Mnist.LoadFixture();
        Assert.Equal([8000, 28, 28], xTrain.Shape);
        Assert.Equal([8000], yTrain.Shape);
        Assert.Equal([2000, 28, 28], xTest.Shape);
        Assert.Equal([2000], yTest.Shape);
        foreach (var a in new[] { xTrain, yTrain, xTest, yTest }) Assert.Equal(DType.UInt8, a.DType);
        foreach (var y in new[] { yTrain, yTest })
        {
            var counts = new int[10];
            foreach (byte label in y.AsSpan<byte>()) counts[label]++; // IndexOutOfRange if a label >= 10
            Assert.All(counts, c => Assert.True(c > 100, $"class counts {string.Join(",", counts)}"));
        }
        Assert.Equal([822, 902, 813, 827, 778, 699, 801, 818, 762, 778], Count(yTrain));

        // Real digits: mostly background, some ink at full intensity, and the inked area of a 1
        // is narrower than that of a 0.
        var pixels = xTrain.AsSpan<byte>();
        Assert.Equal(255, pixels.ToArray().Max());
        double inkFraction = pixels.ToArray().Count(p => p > 127) / (double)pixels.Length;
        Assert.InRange(inkFraction, 0.05, 0.3);
        Assert.True(MeanWidth(xTrain, yTrain, 1) < MeanWidth(xTrain, yTrain, 0));
    }

    private static int[] Count(NDArray y)
    {
        var counts = new int[10];
        foreach (byte label in y.AsSpan<byte>()) counts[label]++;
        return counts;
    }

    private static double MeanWidth(NDArray x, NDArray y, int digit)
    {
        double total = 0;
        int n = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (y.Item<byte>(i) != digit) continue;
            var img = x[i].AsSpan<byte>();
            int min = 28, max = -1;
            for (int p = 0; p < 784; p++)
            {
                if (img[p] <= 127) continue;
                min = Math.Min(min, p % 28);
                max = Math.Max(max, p % 28);
            }
            total += max - min;
            n++;
        }
        return total / n;
    }

    [Fact]
    public void Split_RejectsNonMnistArrays()
    {
        var good = new Dictionary<string, NDArray>
        {
            ["x_train"] = NDArray.Zeros(DType.UInt8, 2, 28, 28),
            ["y_train"] = NDArray.Zeros(DType.UInt8, 2),
            ["x_test"] = NDArray.Zeros(DType.UInt8, 1, 28, 28),
            ["y_test"] = NDArray.Zeros(DType.UInt8, 1),
        };
        KerasGpu.Datasets.Mnist.Split(good, "m.npz");

        var missing = new Dictionary<string, NDArray>(good);
        missing.Remove("y_test");
        Assert.Contains("missing array 'y_test'", Assert.Throws<InvalidDataException>(() => KerasGpu.Datasets.Mnist.Split(missing, "m.npz")).Message);

        var wrongShape = new Dictionary<string, NDArray>(good) { ["x_train"] = NDArray.Zeros(DType.UInt8, 2, 784) };
        Assert.Contains("m.npz/x_train: expected uint8 of shape (N, 28, 28), found uint8 of shape (2, 784)",
            Assert.Throws<InvalidDataException>(() => KerasGpu.Datasets.Mnist.Split(wrongShape, "m.npz")).Message);

        var wrongLength = new Dictionary<string, NDArray>(good) { ["y_train"] = NDArray.Zeros(DType.UInt8, 3) };
        Assert.Contains("expected uint8 of shape (2,), found uint8 of shape (3,)",
            Assert.Throws<InvalidDataException>(() => KerasGpu.Datasets.Mnist.Split(wrongLength, "m.npz")).Message);

        var badLabel = new Dictionary<string, NDArray>(good) { ["y_test"] = NDArray.FromArray(new byte[] { 10 }) };
        Assert.Contains("label 10 at index 0 is outside [0, 10)",
            Assert.Throws<InvalidDataException>(() => KerasGpu.Datasets.Mnist.Split(badLabel, "m.npz")).Message);
    }
}

[Collection("KerasHome")]
public sealed class MnistLoadDataTests : IDisposable
{
    private const string Unreachable = "http://127.0.0.1:9/mnist.npz";

    private readonly string _home = Path.Combine(Path.GetTempPath(), "kerasgpu-home-" + Guid.NewGuid().ToString("N"));
    private readonly string? _savedHome = Environment.GetEnvironmentVariable("KERAS_HOME");
    private readonly TextWriter _savedOut = Console.Out;
    private readonly StringWriter _console = new();
    private int _downloads;

    public MnistLoadDataTests()
    {
        Environment.SetEnvironmentVariable("KERAS_HOME", _home);
        Console.SetOut(_console);
        KerasGpu.Datasets.Mnist.Origin = Unreachable;
        // Never the real network: a refused connection, as an offline machine gives.
        KerasGpu.Datasets.Mnist.OpenDownload = url =>
        {
            _downloads++;
            throw new HttpRequestException($"Connection refused ({new Uri(url).Authority})");
        };
    }

    public void Dispose()
    {
        KerasGpu.Datasets.Mnist.Origin = KerasGpu.Datasets.Mnist.DefaultOrigin;
        KerasGpu.Datasets.Mnist.ExpectedSha256 = KerasGpu.Datasets.Mnist.FileHash;
        KerasGpu.Datasets.Mnist.OpenDownload = Download.Open;
        Console.SetOut(_savedOut);
        Environment.SetEnvironmentVariable("KERAS_HOME", _savedHome);
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    private string CacheDir => Path.Combine(_home, "datasets");
    private string CachedFile => Path.Combine(CacheDir, "mnist.npz");

    [Fact]
    public void KerasHome_FollowsTheEnvironmentVariable()
    {
        Assert.Equal(Path.GetFullPath(_home), KerasHome.Directory);
        Assert.Equal(CacheDir, KerasHome.DatasetsDirectory());
        Assert.True(Directory.Exists(CacheDir));
    }

    [Fact]
    public void Offline_FallsBackToTheFixtureAndSaysSo()
    {
        var ((xTrain, yTrain), (xTest, yTest)) = KerasGpu.Datasets.Mnist.LoadData();
        Assert.Equal([8000, 28, 28], xTrain.Shape);
        Assert.Equal([2000], yTest.Shape);
        Assert.Equal(1, _downloads);
        string output = _console.ToString();
        Assert.Contains($"Downloading data from {Unreachable}", output);
        Assert.Contains($"Could not download MNIST from {Unreachable} (Connection refused (127.0.0.1:9)); using the bundled fixture of 10,000 real MNIST digits (8,000 train / 2,000 test).", output);
        Assert.Empty(Directory.GetFiles(CacheDir)); // nothing partial left behind
    }

    [Fact]
    public void Offline_WithTheRealHttpDownloaderOnLoopback()
    {
        // The default downloader against a closed loopback port: refused at once, no traffic leaves the machine.
        KerasGpu.Datasets.Mnist.OpenDownload = Download.Open;
        var ((xTrain, _), _) = KerasGpu.Datasets.Mnist.LoadData();
        Assert.Equal(8000, xTrain.Length);
        Assert.Contains("Could not download MNIST from http://127.0.0.1:9/mnist.npz (", _console.ToString());
        Assert.Empty(Directory.GetFiles(CacheDir));
    }

    [Fact]
    public void TruncatedCachedFile_IsNotParsed_RedownloadIsTried_ThenFixtureWithNotice()
    {
        Directory.CreateDirectory(CacheDir);
        byte[] truncated = new byte[1000];
        using (var fixture = typeof(NDArray).Assembly.GetManifestResourceStream(KerasGpu.Datasets.Mnist.FixtureResourceName)!)
            fixture.ReadExactly(truncated);
        File.WriteAllBytes(CachedFile, truncated);

        var ((xTrain, _), _) = KerasGpu.Datasets.Mnist.LoadData();
        Assert.Equal(8000, xTrain.Length);
        Assert.Equal(1, _downloads);
        string output = _console.ToString();
        Assert.Contains("A local file was found, but it seems to be incomplete or outdated because the sha256 file hash does not match " +
                        $"the original value of {KerasGpu.Datasets.Mnist.FileHash} so we will re-download the data.", output);
        Assert.Contains("using the bundled fixture", output);
        Assert.Contains($"The cached file was left untouched: the cached {CachedFile} has sha256 {Sha256(truncated)}", output);
        Assert.Equal(truncated, File.ReadAllBytes(CachedFile));
    }

    [Fact]
    public void CorruptFileWhoseHashIsTrusted_IsAClearErrorNeverPartialArrays()
    {
        // Only reachable if the expected hash itself names a broken file: the parser still refuses it.
        Directory.CreateDirectory(CacheDir);
        byte[] truncated = new byte[5000];
        using (var fixture = typeof(NDArray).Assembly.GetManifestResourceStream(KerasGpu.Datasets.Mnist.FixtureResourceName)!)
            fixture.ReadExactly(truncated);
        File.WriteAllBytes(CachedFile, truncated);
        KerasGpu.Datasets.Mnist.ExpectedSha256 = Sha256(truncated);
        var e = Assert.Throws<InvalidDataException>(() => KerasGpu.Datasets.Mnist.LoadData());
        Assert.StartsWith("mnist.npz: ", e.Message);
        Assert.Equal(0, _downloads);
    }

    [Fact]
    public void RelativePathInASubfolder_IsCreated()
    {
        KerasGpu.Datasets.Mnist.OpenDownload = _ => new MemoryStream([1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => KerasGpu.Datasets.Mnist.LoadData(Path.Combine("sub", "m.npz")));
        Assert.Empty(Directory.GetFiles(Path.Combine(CacheDir, "sub")));
    }

    [Fact]
    public void HashMismatchOnDownload_DeletesThePartialFileAndThrows()
    {
        byte[] served = "<html>captive portal</html>"u8.ToArray();
        KerasGpu.Datasets.Mnist.OpenDownload = _ => { _downloads++; return new MemoryStream(served); };
        var e = Assert.Throws<InvalidDataException>(() => KerasGpu.Datasets.Mnist.LoadData());
        Assert.Contains($"does not match the provided value of {KerasGpu.Datasets.Mnist.FileHash}", e.Message);
        Assert.Contains($"have sha256 {Sha256(served)}", e.Message);
        Assert.Empty(Directory.GetFiles(CacheDir));
    }

    [Fact]
    public void StreamFailingMidDownload_DeletesThePartialFileAndFallsBack()
    {
        KerasGpu.Datasets.Mnist.OpenDownload = _ => new FailingStream(100_000);
        var ((xTrain, _), _) = KerasGpu.Datasets.Mnist.LoadData();
        Assert.Equal(8000, xTrain.Length);
        Assert.Contains("connection reset", _console.ToString());
        Assert.Empty(Directory.GetFiles(CacheDir));
    }

    [Fact]
    public void VerifiedDownload_IsCachedAndReusedWithoutTheNetwork()
    {
        // A small stand-in for mnist.npz, with the seam's expected hash set to its own.
        string source = Path.Combine(Path.GetTempPath(), "kerasgpu-fake-mnist-" + Guid.NewGuid().ToString("N") + ".npz");
        var y = NDArray.FromArray(new byte[] { 3, 1, 4 });
        Npz.Save(source, new Dictionary<string, NDArray>
        {
            ["x_train"] = NDArray.Zeros(DType.UInt8, 3, 28, 28),
            ["y_train"] = y,
            ["x_test"] = NDArray.Zeros(DType.UInt8, 1, 28, 28),
            ["y_test"] = NDArray.FromArray(new byte[] { 9 }),
        }, compressed: true);
        byte[] bytes = File.ReadAllBytes(source);
        File.Delete(source);
        KerasGpu.Datasets.Mnist.ExpectedSha256 = Sha256(bytes);
        KerasGpu.Datasets.Mnist.OpenDownload = _ => { _downloads++; return new MemoryStream(bytes); };

        var ((xTrain, yTrain), (xTest, yTest)) = KerasGpu.Datasets.Mnist.LoadData();
        Assert.Equal([3, 28, 28], xTrain.Shape);
        Assert.Equal([3, 1, 4], yTrain.ToArray<byte>());
        Assert.Equal([9], yTest.ToArray<byte>());
        Assert.Equal(bytes, File.ReadAllBytes(CachedFile));
        Assert.Single(Directory.GetFiles(CacheDir));
        Assert.DoesNotContain("fixture", _console.ToString());

        var (train2, _) = KerasGpu.Datasets.Mnist.LoadData();
        Assert.Equal(3, train2.X.Length);
        Assert.Equal(1, _downloads); // the second load used the verified cache
    }

    [Fact]
    public void AbsolutePath_IsUsedAsIs()
    {
        string other = Path.Combine(_home, "elsewhere", "m.npz");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.WriteAllText(other, "not mnist");
        var ((xTrain, _), _) = KerasGpu.Datasets.Mnist.LoadData(other);
        Assert.Equal(8000, xTrain.Length);
        Assert.Contains($"the cached {other} has sha256", _console.ToString());
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A download that yields <c>failAfter</c> bytes, then fails like a reset connection.</summary>
    private sealed class FailingStream(int failAfter) : KerasGpu.Utils.ReadOnlyStream(Stream.Null)
    {
        private int _read;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter) throw new IOException("connection reset by peer");
            int n = Math.Min(count, failAfter - _read);
            Array.Fill(buffer, (byte)7, offset, n);
            _read += n;
            return n;
        }
    }
}
