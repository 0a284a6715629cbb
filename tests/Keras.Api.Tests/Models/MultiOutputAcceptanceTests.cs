using KerasGpu.Layers;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Models;

/// <summary>
/// The acceptance model: inputs a:(8,) and b:(4,), a Dense per input merged by Concatenate, a shared trunk, and two
/// heads, "class" (softmax, sparse categorical cross-entropy + accuracy) and "value" (linear, MSE + MAE), with loss
/// weights. Losses are checked against float64 formulas computed from the model's own predictions.
/// </summary>
public class MultiOutputAcceptanceTests
{
    private const int Samples = 96;

    private static (NDArray A, NDArray B, NDArray Class, NDArray Value) Data(int seed)
    {
        var rng = new Random(seed);
        var a = new float[Samples * 8];
        var b = new float[Samples * 4];
        var cls = new int[Samples];
        var value = new float[Samples];
        for (int i = 0; i < Samples; i++)
        {
            for (int j = 0; j < 8; j++) a[i * 8 + j] = (float)(rng.NextDouble() * 2 - 1);
            for (int j = 0; j < 4; j++) b[i * 4 + j] = (float)(rng.NextDouble() * 2 - 1);
            double s0 = a[i * 8] + b[i * 4], s1 = a[i * 8 + 1] + b[i * 4 + 1], s2 = a[i * 8 + 2] + b[i * 4 + 2];
            cls[i] = s0 >= s1 && s0 >= s2 ? 0 : s1 >= s2 ? 1 : 2;
            value[i] = (float)(0.5 * a[i * 8 + 3] - b[i * 4 + 3]);
        }
        return (NDArray.FromArray(a, Samples, 8), NDArray.FromArray(b, Samples, 4), NDArray.FromArray(cls, Samples), NDArray.FromArray(value, Samples, 1));
    }

    private static Model Build()
    {
        var a = Keras.Input(shape: [8], name: "a");
        var b = Keras.Input(shape: [4], name: "b");
        var ha = new Dense(16, activation: "relu", name: "dense_a").Apply(a);
        var hb = new Dense(16, activation: "relu", name: "dense_b").Apply(b);
        var merged = new Concatenate(name: "merge").Apply(ha, hb);
        var trunk = new Dense(16, activation: "relu", name: "shared").Apply(merged);
        var cls = new Dense(3, activation: "softmax", name: "class").Apply(trunk);
        var value = new Dense(1, name: "value").Apply(trunk);
        return new Model([a, b], [cls, value], name: "two_heads");
    }

    /// <summary>Keras' sparse categorical cross-entropy (from_logits=False) and MSE in float64.</summary>
    private static (double Class, double Value) ReferenceLosses(NDArray[] predictions, NDArray labels, NDArray values)
    {
        var p = predictions[0].ToArray<float>();
        var v = predictions[1].ToArray<float>();
        var y = labels.ToArray<int>();
        var t = values.ToArray<float>();
        double ce = 0, mse = 0;
        for (int i = 0; i < Samples; i++)
        {
            double sum = p[i * 3] + p[i * 3 + 1] + (double)p[i * 3 + 2];
            double q = Math.Clamp(p[i * 3 + y[i]] / sum, 1e-7, 1 - 1e-7);
            ce -= Math.Log(q);
            mse += (t[i] - (double)v[i]) * (t[i] - (double)v[i]);
        }
        return (ce / Samples, mse / Samples);
    }

    [Fact]
    public void TwoInputsTwoOutputs_TrainsEvaluatesPerOutputAndSummarizes()
    {
        Keras.Utils.SetRandomSeed(7);
        var model = Build();
        const string expectedSummary = """
Model: "two_heads"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ a (InputLayer)                │ (None, 8)                 │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ b (InputLayer)                │ (None, 4)                 │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_a (Dense)               │ (None, 16)                │             144 │ a[0][0]                    │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_b (Dense)               │ (None, 16)                │              80 │ b[0][0]                    │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ merge (Concatenate)           │ (None, 32)                │               0 │ dense_a[0][0],             │
│                               │                           │                 │ dense_b[0][0]              │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ shared (Dense)                │ (None, 16)                │             528 │ merge[0][0]                │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ class (Dense)                 │ (None, 3)                 │              51 │ shared[0][0]               │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ value (Dense)                 │ (None, 1)                 │              17 │ shared[0][0]               │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 820 (3.20 KB)
 Trainable params: 820 (3.20 KB)
 Non-trainable params: 0 (0.00 B)

""";
        Assert.Equal(expectedSummary.Replace("\r\n", "\n"), model.SummaryText());

        model.Compile(
            optimizer: new Adam(learningRate: 0.01f),
            loss: new() { ["class"] = "sparse_categorical_crossentropy", ["value"] = "mse" },
            lossWeights: new() { ["class"] = 1.0, ["value"] = 0.5 },
            metrics: new() { ["class"] = ["accuracy"], ["value"] = ["mae"] });
        Assert.Equal(["loss", "class_loss", "value_loss", "class_accuracy", "value_mae"], model.MetricsNames);

        var (a, b, cls, value) = Data(3);
        NDArray[] x = [a, b];
        NDArray[] y = [cls, value];
        var before = model.Evaluate(x, y, returnDict: true, verbose: 0);
        var (ce, mse) = ReferenceLosses(model.Predict(x, verbose: 0), cls, value);
        Assert.Equal(["class_accuracy", "class_loss", "loss", "value_loss", "value_mae"], before.Keys);
        Assert.Equal(ce, before["class_loss"], 1e-4);
        Assert.Equal(mse, before["value_loss"], 1e-4);
        Assert.Equal(ce + 0.5 * mse, before["loss"], 1e-4);

        var history = model.Fit(x, y, batchSize: 16, epochs: 25, verbose: 0);
        Assert.Equal(["class_accuracy", "class_loss", "loss", "value_loss", "value_mae"], history.Keys);
        Assert.True(history["loss"][^1] < 0.5 * history["loss"][0], $"loss went from {history["loss"][0]} to {history["loss"][^1]}");

        var after = model.Evaluate(x, y, returnDict: true, verbose: 0);
        (ce, mse) = ReferenceLosses(model.Predict(x, verbose: 0), cls, value);
        Assert.Equal(ce, after["class_loss"], 1e-4);
        Assert.Equal(mse, after["value_loss"], 1e-4);
        Assert.Equal(ce + 0.5 * mse, after["loss"], 1e-4);
        Assert.True(after["class_accuracy"] > 0.8, $"class accuracy {after["class_accuracy"]}");
        var list = model.Evaluate(x, y, verbose: 0);
        Assert.Equal([after["loss"], after["class_loss"], after["value_loss"], after["class_accuracy"], after["value_mae"]], list);

        // After training the optimizer is built: Adam's two slots per weight plus its iteration count and learning rate.
        Assert.EndsWith("""
 Total params: 2,462 (9.62 KB)
 Trainable params: 820 (3.20 KB)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 1,642 (6.42 KB)

""".Replace("\r\n", "\n"), model.SummaryText());
    }
}
