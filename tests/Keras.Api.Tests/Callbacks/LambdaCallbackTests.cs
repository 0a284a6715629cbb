using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Callbacks;

public class LambdaCallbackTests
{
    [Fact]
    public void EveryHook_CallsItsDelegate_InKerasOrder()
    {
        Keras.Utils.SetRandomSeed(3);
        var x = new float[10, 2];
        var y = new float[10, 1];
        using var model = new Sequential();
        model.Add(Keras.Input(shape: [2]));
        model.Add(new Dense(1));
        model.Compile(loss: "mse", optimizer: new SGD());
        var calls = new List<string>();
        var callback = new LambdaCallback(
            onEpochBegin: (e, _) => calls.Add($"epoch_begin {e}"),
            onEpochEnd: (e, logs) => calls.Add($"epoch_end {e} {string.Join(",", logs.Keys)}"),
            onTrainBegin: _ => calls.Add("train_begin"),
            onTrainEnd: _ => calls.Add("train_end"),
            onTrainBatchBegin: (b, _) => calls.Add($"train_batch_begin {b}"),
            onTrainBatchEnd: (b, _) => calls.Add($"train_batch_end {b}"),
            onTestBegin: _ => calls.Add("test_begin"),
            onTestEnd: _ => calls.Add("test_end"),
            onTestBatchBegin: (b, _) => calls.Add($"test_batch_begin {b}"),
            onTestBatchEnd: (b, _) => calls.Add($"test_batch_end {b}"),
            onPredictBegin: _ => calls.Add("predict_begin"),
            onPredictEnd: _ => calls.Add("predict_end"),
            onPredictBatchBegin: (b, _) => calls.Add($"predict_batch_begin {b}"),
            onPredictBatchEnd: (b, _) => calls.Add($"predict_batch_end {b}"));

        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0, validationData: (x, y), callbacks: [callback]);
        Assert.Equal(
        [
            "train_begin", "epoch_begin 0",
            "train_batch_begin 0", "train_batch_end 0", "train_batch_begin 1", "train_batch_end 1", "train_batch_begin 2", "train_batch_end 2",
            "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1", "test_batch_begin 2", "test_batch_end 2", "test_end",
            "epoch_end 0 loss,val_loss", "train_end",
        ], calls);

        calls.Clear();
        model.Evaluate(x, y, batchSize: 5, verbose: 0, callbacks: [callback]);
        Assert.Equal(["test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1", "test_end"], calls);

        calls.Clear();
        model.Predict(x, batchSize: 10, verbose: 0, callbacks: [callback]);
        Assert.Equal(["predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_end"], calls);
    }

    [Fact]
    public void UnsetHooks_DoNothing()
    {
        var callback = new LambdaCallback();
        callback.OnTrainBegin(Logs.Empty);
        callback.OnEpochEnd(0, Logs.Empty);
        callback.OnPredictBatchEnd(0, Logs.Empty);
        int count = 0;
        var only = new LambdaCallback(onTrainEnd: _ => count++);
        only.OnTrainBegin(Logs.Empty);
        only.OnTrainEnd(Logs.Empty);
        Assert.Equal(1, count);
    }
}
