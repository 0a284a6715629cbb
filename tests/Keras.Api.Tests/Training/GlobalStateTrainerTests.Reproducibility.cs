using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Training;

public partial class GlobalStateTrainerTests
{
    /// <summary>
    /// Keras' promise for <c>set_random_seed</c>: with the same seed, a whole run — unseeded initializers (normal and
    /// uniform draws), unseeded Dropout masks, shuffling — repeats bit for bit on one backend; another seed differs.
    /// </summary>
    [Fact]
    public void SetRandomSeed_MakesARunWithDropoutAndRandomInitializersRepeat()
    {
        var x = Features(96, Features, seed: 11);
        var y = Labels(x, Classes, seed: 12);
        (History History, float[][] Final) Run(int seed)
        {
            Keras.Utils.SetRandomSeed(seed);
            using var model = new Sequential();
            model.Add(Keras.Input(shape: [Features]));
            model.Add(new Dense(24, activation: "gelu", kernelInitializer: "he_normal"));
            model.Add(new Dropout(0.3));
            model.Add(new Dense(16, activation: "selu", kernelInitializer: "lecun_uniform"));
            model.Add(new Dropout(0.2));
            model.Add(new Dense(Classes));
            model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new Nadam(), metrics: ["accuracy"]);
            var history = model.Fit(x, y, batchSize: 16, epochs: 3, shuffle: true, validationSplit: 0.25, verbose: 0);
            return (history, Snapshot(model));
        }
        var a = Run(2024);
        var b = Run(2024);
        foreach (var key in a.History.Keys) Assert.Equal(a.History[key], b.History[key]);
        for (int i = 0; i < a.Final.Length; i++) Assert.Equal(a.Final[i], b.Final[i]);
        var c = Run(2025);
        Assert.NotEqual(a.History["loss"], c.History["loss"]);
    }
}
