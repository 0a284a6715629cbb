using KerasGpu.Callbacks;
using KerasGpu.Optimizers;
using KerasGpu.Tests.Training;

namespace KerasGpu.Tests.Callbacks;

/// <summary>A small compiled classifier and its data for the learning-rate callback tests.</summary>
internal static class LearningRateCallbackTestUtil
{
    public static Sequential Compiled(Optimizer optimizer, bool accuracy = false)
    {
        var model = TrainingTestUtil.Mlp(4, 6, 3);
        model.Compile(optimizer: optimizer, loss: new KerasGpu.Losses.SparseCategoricalCrossentropy(fromLogits: true), metrics: accuracy ? ["accuracy"] : null);
        return model;
    }

    public static (NDArray X, NDArray Y) Data(int rows = 48)
    {
        var x = TrainingTestUtil.Features(rows, 4, seed: 3);
        var y = TrainingTestUtil.Labels(x, 3, seed: 4);
        return (NDArray.From2D(x), NDArray.FromArray(y, y.Length));
    }

    public static Logs LogsOf(params (string Key, double Value)[] values) => new(values.Select(v => KeyValuePair.Create(v.Key, v.Value)));
}

/// <summary>Records the optimizer's learning rate at each training batch.</summary>
internal sealed class LearningRateProbe : Callback
{
    public List<(int Epoch, float LearningRate)> Seen { get; } = [];
    private int _epoch;

    public override void OnEpochBegin(int epoch, Logs logs) => _epoch = epoch;

    public override void OnTrainBatchBegin(int batch, Logs logs) => Seen.Add((_epoch, Model!.Optimizer!.LearningRate));
}
