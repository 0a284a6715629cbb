using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Callbacks;

public class TerminateOnNaNTests
{
    /// <summary>A regression whose SGD step is absurdly large, so the loss overflows to inf, then NaN, within a few batches.</summary>
    private static (Sequential Model, float[,] X, float[,] Y) Diverging()
    {
        Keras.Utils.SetRandomSeed(5);
        var rng = new Random(1);
        var x = new float[64, 4];
        var y = new float[64, 1];
        for (int i = 0; i < 64; i++)
        {
            for (int j = 0; j < 4; j++) x[i, j] = (float)(rng.NextDouble() * 10);
            y[i, 0] = (float)(rng.NextDouble() * 100);
        }
        var model = new Sequential();
        model.Add(Keras.Input(shape: [4]));
        model.Add(new Dense(8));
        model.Add(new Dense(1));
        model.Compile(loss: "mse", optimizer: new SGD(learningRate: 1e6f));
        return (model, x, y);
    }

    [Fact]
    public void NaNLoss_StopsTrainingAtThatBatch_AndSaysSo()
    {
        var (model, x, y) = Diverging();
        using var _ = model;
        var output = new StringWriter();
        var seen = new List<(int Epoch, int Batch, double Loss)>();
        int epoch = -1;
        var record = new LambdaCallback(onEpochBegin: (e, _) => epoch = e, onTrainBatchEnd: (b, logs) => seen.Add((epoch, b, logs["loss"])));
        bool trainEnded = false;
        var end = new LambdaCallback(onTrainEnd: _ => trainEnded = true);
        var history = model.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false, callbacks: [record, new TerminateOnNaN(output: output), end]);

        int bad = seen.FindIndex(s => !double.IsFinite(s.Loss));
        Assert.True(bad >= 0, "the loss never became NaN/inf; the test setup is not diverging");
        Assert.Equal(bad + 1, seen.Count); // no batch ran after the first bad one
        Assert.Equal(seen[bad].Epoch + 1, history["loss"].Count);
        Assert.Equal($"Batch {seen[bad].Batch}: Invalid loss, terminating training{Environment.NewLine}", output.ToString());
        Assert.True(trainEnded);
    }

    [Fact]
    public void RaiseError_Throws_WithKerasMessage()
    {
        var (model, x, y) = Diverging();
        using var _ = model;
        var e = Assert.Throws<InvalidOperationException>(() =>
            model.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false, callbacks: [new TerminateOnNaN(raiseError: true)]));
        Assert.Matches(@"^NaN or Inf loss encountered at batch \d+\. Loss value: (nan|inf|-inf)\. Terminating training immediately\.$", e.Message);
    }

    [Fact]
    public void FiniteLoss_TrainsEveryEpoch()
    {
        var (model, x, y) = Diverging();
        using var _ = model;
        model.Compile(loss: "mse", optimizer: new SGD(learningRate: 1e-4f));
        var history = model.Fit(x, y, batchSize: 8, epochs: 3, verbose: 0, callbacks: [new TerminateOnNaN()]);
        Assert.Equal(3, history["loss"].Count);
    }
}
