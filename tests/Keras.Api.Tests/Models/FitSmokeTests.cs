using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Models;

public class FitSmokeTests
{
    [Fact]
    public void Fit_SeparableClusters_LearnsThem()
    {
        Keras.Utils.SetRandomSeed(1);
        var rng = new Random(3);
        int n = 2000, d = 20, classes = 4;
        var x = new float[n, d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < d; j++) x[i, j] = (float)(rng.NextDouble() - 0.5 + (j % classes == y[i] ? 1.5 : 0));
        }
        var model = new Sequential();
        model.Add(Keras.Input(shape: [d]));
        model.Add(new Dense(16, activation: "relu"));
        model.Add(new Dense(classes));
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new RMSprop(), metrics: ["accuracy"]);
        var history = model.Fit(x, y, batchSize: 32, epochs: 3, validationSplit: 0.2, verbose: 1);
        Assert.True(history["accuracy"][^1] > 0.9, history.ToString());
        Assert.True(history["val_accuracy"][^1] > 0.9, history.ToString());
        var scores = model.Evaluate(x, y, verbose: 2);
        Assert.Equal(2, scores.Length);
        var logits = model.Predict(x);
        Assert.Equal(new[] { n, classes }, logits.Shape);
        model.Summary();
    }
}
