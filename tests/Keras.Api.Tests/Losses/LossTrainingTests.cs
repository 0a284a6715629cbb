using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Losses;

/// <summary>
/// Each loss through Compile/Fit/Evaluate on the default CPU backend: training lowers it, and Evaluate reports the
/// float64 formula applied to Predict's outputs.
/// </summary>
[Collection("GlobalState")] // the runs seed Keras' process-wide random state
public class LossTrainingTests
{
    public static TheoryData<string, string, string> Setups() => new()
    {
        // loss name, output activation, target kind
        { "binary_crossentropy", "sigmoid", "binary" },
        { "binary_focal_crossentropy", "sigmoid", "binary" },
        { "mse", "linear", "regression" },
        { "mae", "linear", "regression" },
        { "huber", "linear", "regression" },
        { "log_cosh", "linear", "regression" },
        { "mape", "linear", "positive" },
        { "msle", "linear", "positive" },
        { "poisson", "sigmoid", "probability" },
        { "hinge", "tanh", "binary" },
        { "squared_hinge", "tanh", "binary" },
        { "categorical_hinge", "linear", "onehot" },
        { "categorical_crossentropy", "softmax", "onehot" },
        { "categorical_focal_crossentropy", "softmax", "onehot" },
        { "kld", "softmax", "onehot" },
        { "cosine_similarity", "linear", "regression" },
    };

    [Theory]
    [MemberData(nameof(Setups))]
    public void Fit_LowersTheLoss_AndEvaluateMatchesTheFormulaOnPredictions(string lossName, string activation, string targets)
    {
        Keras.Utils.SetRandomSeed(3);
        const int n = 96, d = 5;
        int outputs = targets is "binary" ? 1 : 3;
        var rng = new Random(17);
        var x = new float[n, d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i, j] = (float)(rng.NextDouble() * 2 - 1);
        var y = new float[n, outputs];
        for (int i = 0; i < n; i++)
        {
            double s = x[i, 0] - 0.5 * x[i, 1] + 0.25 * x[i, 2];
            for (int k = 0; k < outputs; k++)
                y[i, k] = targets switch
                {
                    "binary" => s > 0 ? 1f : 0f,
                    "regression" => (float)(s * (k + 1) - 0.3 * k),
                    "positive" => (float)(1.5 + Math.Tanh(s + k)),
                    "probability" => (float)(0.5 + 0.4 * Math.Tanh(s - k)),
                    _ => (k == (s > 0.3 ? 0 : s > -0.3 ? 1 : 2)) ? 1f : 0f,
                };
        }
        var yArray = outputs == 1 ? NDArray.FromArray([.. Enumerable.Range(0, n).Select(i => y[i, 0])], n) : (NDArray)y; // (n,) against (n, 1)

        using var model = new Sequential();
        model.Add(Keras.Input(shape: [d]));
        model.Add(new Dense(16, activation: "tanh"));
        model.Add(activation == "linear" ? new Dense(outputs) : new Dense(outputs, activation: activation));
        var loss = Loss.Get(lossName);
        model.Compile(loss: loss, optimizer: new Adam(learningRate: 0.01f));
        double before = model.Evaluate(x, yArray, verbose: 0)[0];
        var history = model.Fit(x, yArray, batchSize: 16, epochs: 15, verbose: 0);
        double after = model.Evaluate(x, yArray, verbose: 0)[0];
        Assert.True(after < before, $"{lossName}: {before} -> {after}; history {history}");

        var predictions = model.Predict(x, verbose: 0).ToArray<float>();
        var reference = LossReference.Cases.First(c => Matches(c.Name, lossName));
        double expected = Enumerable.Range(0, n).Average(i => reference.Row(
            [.. Enumerable.Range(0, outputs).Select(k => (double)y[i, k])],
            [.. Enumerable.Range(0, outputs).Select(k => (double)predictions[i * outputs + k])]));
        Assert.True(Math.Abs(after - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"{lossName}: evaluate {after:R}, formula {expected:R}");
    }

    private static bool Matches(string caseName, string lossName) => lossName switch
    {
        "mse" => caseName == "mean_squared_error",
        "mae" => caseName == "mean_absolute_error",
        "mape" => caseName == "mean_absolute_percentage_error",
        "msle" => caseName == "mean_squared_logarithmic_error",
        "kld" => caseName == "kl_divergence",
        "hinge" => caseName == "hinge_01_labels",
        _ => caseName == lossName,
    };

    [Fact]
    public void Fit_WithIgnoreClass_AcceptsTheIgnoredLabel_AndOthersStillOutOfRangeAreRejected()
    {
        Keras.Utils.SetRandomSeed(4);
        var rng = new Random(2);
        var x = new float[40, 3];
        for (int i = 0; i < 40; i++) for (int j = 0; j < 3; j++) x[i, j] = (float)rng.NextDouble();
        int[] y = [.. Enumerable.Range(0, 40).Select(i => i % 5 == 0 ? 255 : i % 3)];
        using var model = new Sequential();
        model.Add(Keras.Input(shape: [3]));
        model.Add(new Dense(3));
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: 255), optimizer: new SGD());
        var history = model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        Assert.True(double.IsFinite(history["loss"][^1]));

        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new SGD());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0));
        Assert.Contains("Received a label value of 255", e.Message);
    }
}
