using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;
using KerasGpu.Backends.Ilgpu;
using KerasGpu.Backends.Vulkan;
using KerasGpu.Constraints;
using KerasGpu.Layers;
using KerasGpu.Metrics;
using KerasGpu.Optimizers;
using KerasGpu.Regularizers;
using BinaryCrossentropyLoss = KerasGpu.Losses.BinaryCrossentropy;

namespace KerasGpu.Tests.Backends;

/// <summary>
/// The composed building blocks (activations, losses, metrics, optimizers, regularizers, constraints, Dropout, merge
/// layers) run on every backend through the general kernels. One two-input, two-output model trains from the same
/// seed on cpu, ILGPU's CPU accelerator and Vulkan (lavapipe, validation on); their loss and metric histories agree to
/// float32 rounding drift, since every block is the same composition of the same kernels.
/// </summary>
[Collection("GlobalState")] // SetRandomSeed is process-wide
public class BuildingBlocksOnEveryBackendTests
{
    private const int Samples = 64;

    private static (NDArray[] X, NDArray[] Y) Data()
    {
        var rng = new Random(11);
        var a = new float[Samples * 6];
        var b = new float[Samples * 3];
        var cls = new int[Samples];
        var flag = new float[Samples];
        for (int i = 0; i < Samples; i++)
        {
            for (int j = 0; j < 6; j++) a[i * 6 + j] = (float)(rng.NextDouble() * 2 - 1);
            for (int j = 0; j < 3; j++) b[i * 3 + j] = (float)(rng.NextDouble() * 2 - 1);
            cls[i] = a[i * 6] + b[i * 3] > 0 ? (a[i * 6 + 1] > 0 ? 2 : 1) : 0;
            flag[i] = a[i * 6 + 2] * b[i * 3 + 1] > 0 ? 1f : 0f;
        }
        return ([NDArray.FromArray(a, Samples, 6), NDArray.FromArray(b, Samples, 3)],
                [NDArray.FromArray(cls, Samples), NDArray.FromArray(flag, Samples, 1)]);
    }

    private static Dictionary<string, List<double>> Train(IBackend backend)
    {
        using var scope = Keras.Config.UseBackend(backend);
        Keras.Utils.SetRandomSeed(5);
        var a = Keras.Input(shape: [6], name: "a");
        var b = Keras.Input(shape: [3], name: "b");
        var ha = new Dense(12, activation: "gelu", kernelRegularizer: new L2(1e-3), kernelConstraint: new MaxNorm(1.5)).Apply(a);
        var hb = new LeakyReLU().Apply(new Dense(12, activation: "selu").Apply(b));
        var merged = new Concatenate().Apply(ha, hb);
        var dropped = new Dropout(0.25, seed: 3).Apply(merged);
        var trunk = new Subtract().Apply(new Dense(8, activation: "mish").Apply(dropped), new Dense(8, activation: "softsign").Apply(dropped));
        var cls = new Dense(3, activation: "softmax", name: "class").Apply(trunk);
        var flag = new Dense(1, activation: "sigmoid", name: "flag").Apply(trunk);
        using var model = new Model([a, b], [cls, flag]);
        model.Compile(
            optimizer: new Nadam(learningRate: 0.01f, clipnorm: 1f),
            loss: new() { ["class"] = "sparse_categorical_crossentropy", ["flag"] = new BinaryCrossentropyLoss(labelSmoothing: 0.1f) },
            lossWeights: new() { ["class"] = 1.0, ["flag"] = 0.5 },
            metrics: new() { ["class"] = ["accuracy"], ["flag"] = [new AUC(), new Precision()] });
        var (x, y) = Data();
        var history = model.Fit(x, y, batchSize: 16, epochs: 3, verbose: 0, shuffle: false);
        return history.Keys.ToDictionary(k => k, k => history[k].ToList());
    }

    private static void AssertSameHistory(Dictionary<string, List<double>> expected, Dictionary<string, List<double>> actual, string backend)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, values) in expected)
            for (int e = 0; e < values.Count; e++)
                Assert.True(Math.Abs(values[e] - actual[key][e]) <= 2e-3 * Math.Max(1, Math.Abs(values[e])),
                    $"{backend}: {key} at epoch {e} is {actual[key][e]}, cpu gives {values[e]}.");
    }

    [Fact]
    public void ComposedBlocks_TrainAlike_OnCpuIlgpuAndVulkan()
    {
        Dictionary<string, List<double>> cpu;
        using (var backend = new CpuBackend()) cpu = Train(backend);
        Assert.True(cpu["loss"][^1] < cpu["loss"][0], $"loss went from {cpu["loss"][0]} to {cpu["loss"][^1]}");

        using (var ilgpu = BackendRegistry.Create("ilgpu:cpu")) AssertSameHistory(cpu, Train(ilgpu), "ilgpu:cpu");

        using var vulkan = new VulkanBackend(new VulkanBackendOptions { Validation = true });
        AssertSameHistory(cpu, Train(vulkan), "vulkan");
        Assert.Empty(vulkan.ValidationMessages);
    }
}
