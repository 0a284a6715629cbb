using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Optimizers;
using KerasGpu.Utils;

namespace KerasGpu.Tests.Callbacks;

public sealed class CSVLoggerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("csvlogger").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Model(out float[,] x, out int[] y)
    {
        Keras.Utils.SetRandomSeed(6);
        var rng = new Random(4);
        x = new float[30, 3];
        y = new int[30];
        for (int i = 0; i < 30; i++)
        {
            for (int j = 0; j < 3; j++) x[i, j] = (float)rng.NextDouble();
            y[i] = x[i, 0] > x[i, 1] ? 1 : 0;
        }
        var model = new Sequential();
        model.Add(Keras.Input(shape: [3]));
        model.Add(new Dense(2));
        model.Compile(loss: "sparse_categorical_crossentropy", optimizer: new SGD(), metrics: ["accuracy"]);
        return model;
    }

    [Fact]
    public void WritesSortedKeys_PythonReprValues_CrLfLines_AndAppends()
    {
        string path = Path.Combine(_dir, "log.csv");
        using var model = Model(out var x, out var y);
        var history = model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, validationSplit: 0.2, callbacks: [new CSVLogger(path)]);
        string Row(int epoch) => string.Join(",", epoch.ToString(), PyFormat.Repr(history["accuracy"][epoch]),
            PyFormat.Repr(history["loss"][epoch]), PyFormat.Repr(history["val_accuracy"][epoch]), PyFormat.Repr(history["val_loss"][epoch]));
        Assert.Equal($"epoch,accuracy,loss,val_accuracy,val_loss\r\n{Row(0)}\r\n{Row(1)}\r\n", File.ReadAllText(path));

        // append=True continues the file without a second header; append=False starts it over.
        var more = model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, validationSplit: 0.2, callbacks: [new CSVLogger(path, append: true)]);
        var lines = File.ReadAllText(path).Split("\r\n");
        Assert.Equal(5, lines.Length); // header, 3 rows, and the empty string after the last \r\n
        Assert.Equal("0," + PyFormat.Repr(more["accuracy"][0]), lines[3][..lines[3].IndexOf(',', 2)]);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, validationSplit: 0.2, callbacks: [new CSVLogger(path)]);
        Assert.Equal(3, File.ReadAllText(path).Split("\r\n").Length);
    }

    [Fact]
    public void WithoutValidation_ValColumnsAreNA_AndTheSeparatorIsUsed()
    {
        string path = Path.Combine(_dir, "nova.csv");
        using var model = Model(out var x, out var y);
        var history = model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, callbacks: [new CSVLogger(path, separator: ";")]);
        Assert.Equal($"epoch;accuracy;loss;val_accuracy;val_loss\r\n0;{PyFormat.Repr(history["accuracy"][0])};{PyFormat.Repr(history["loss"][0])};NA;NA\r\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void AppendToAnEmptyFile_WritesTheHeader()
    {
        string path = Path.Combine(_dir, "empty.csv");
        File.WriteAllText(path, "");
        using var model = Model(out var x, out var y);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, callbacks: [new CSVLogger(path, append: true)]);
        Assert.StartsWith("epoch,accuracy,loss,val_accuracy,val_loss\r\n0,", File.ReadAllText(path));
    }

    [Fact]
    public void EachRowIsFlushedWhenItsEpochEnds()
    {
        string path = Path.Combine(_dir, "flush.csv");
        using var model = Model(out var x, out var y);
        var sizes = new List<string>();
        // Read the file (shared) while training is still running, after the logger has written epoch 0.
        var probe = new LambdaCallback(onEpochBegin: (e, _) =>
        {
            if (e == 1)
            {
                using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                sizes.Add(new StreamReader(s).ReadToEnd());
            }
        });
        model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, callbacks: [new CSVLogger(path), probe]);
        Assert.Single(sizes);
        Assert.Equal(2, sizes[0].Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
