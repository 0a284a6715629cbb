using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;
using KerasGpu.Backends.Vulkan;
using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Backends;

/// <summary>
/// The Vulkan backend under the whole library, on the best device (lavapipe in CI) with the validation layer on: a
/// small MNIST fit matches the cpu backend's accuracy, and a fit/evaluate/predict cycle leaves no VkBuffer or
/// VkDeviceMemory behind. Models run on the backend through <see cref="Keras.Config.UseBackend"/>, which scopes the
/// current backend to this test's async flow, so the process-wide backend of other tests is untouched. One class, so
/// its tests run one after the other (the Vulkan handle counters are process-wide).
/// </summary>
[Collection("GlobalState")] // SetRandomSeed is process-wide: run alone so both backends start from the same weights
public class VulkanEndToEndTests
{
    private static (double Loss, double Accuracy, NDArray FirstLogits) Train(IBackend backend, List<long>? submissionsPerFit = null)
    {
        using var scope = Keras.Config.UseBackend(backend);
        Keras.Utils.SetRandomSeed(1234);
        var ((xTrain, yTrain), (xTest, yTest)) = Datasets.Mnist.LoadFixture();
        var rows = Enumerable.Range(0, 2000).ToArray();
        xTrain = xTrain.Take(rows).Reshape(-1, 784).AsType<float>() / 255f;
        yTrain = yTrain.Take(rows);
        xTest = xTest.Reshape(-1, 784).AsType<float>() / 255f;
        var model = new Sequential(name: "mnist_model");
        model.Add(Keras.Input(shape: [784]));
        model.Add(new Dense(64, activation: "relu"));
        model.Add(new Dense(10));
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new RMSprop(), metrics: ["accuracy"]);
        var vulkan = backend as VulkanBackend;
        long before = vulkan?.SubmissionCount ?? 0;
        model.Fit(xTrain, yTrain, batchSize: 64, epochs: 2, verbose: 0);
        submissionsPerFit?.Add((vulkan?.SubmissionCount ?? 0) - before);
        // Warm: another epoch's steps are served by the memory pool, without vkAllocateMemory.
        long allocations = vulkan?.MemoryAllocationCount ?? 0;
        model.Fit(xTrain, yTrain, batchSize: 64, epochs: 1, verbose: 0);
        Assert.Equal(allocations, vulkan?.MemoryAllocationCount ?? 0);
        var scores = model.Evaluate(xTest, yTest, verbose: 0);
        var logits = model.Predict(xTest.Take([0, 1, 2]), verbose: 0);
        model.Dispose();
        Assert.Equal(0, backend.LiveBufferCount);
        return (scores[0], scores[1], logits);
    }

    [Fact]
    public void SmallMnistFit_OnVulkanWithValidation_MatchesTheCpuBackendsAccuracy_AndLeavesNoVulkanObjects()
    {
        int buffersBefore = VulkanBackend.LiveVkBufferCount, memoriesBefore = VulkanBackend.LiveVkMemoryCount;
        double cpuAccuracy;
        using (var cpu = new CpuBackend()) cpuAccuracy = Train(cpu).Accuracy;

        var vulkan = new VulkanBackend(new VulkanBackendOptions { Validation = true });
        try
        {
            var submissions = new List<long>();
            var (loss, accuracy, logits) = Train(vulkan, submissions);
            // 2 epochs of 32 steps read nothing back between steps: kernels are recorded and submitted when a batch of 256
            // commands fills or the epoch's metrics are read (6 submissions here), far fewer than one per step.
            Assert.True(submissions[0] <= 16, $"{submissions[0]} submissions for 64 training steps.");
            Assert.True(double.IsFinite(loss));
            Assert.True(Math.Abs(accuracy - cpuAccuracy) <= 0.01,
                $"Vulkan test accuracy {accuracy:P2} vs cpu {cpuAccuracy:P2} on {vulkan.DeviceName}: more than 1 point apart.");
            Assert.Equal([3, 10], logits.Shape.ToArray());
            Assert.Empty(vulkan.ValidationMessages);
            // Pooled blocks are the only Vulkan buffers left once every tensor is gone; trimming frees them.
            vulkan.TrimPool();
        }
        finally { vulkan.Dispose(); }
        Assert.Equal(buffersBefore, VulkanBackend.LiveVkBufferCount);
        Assert.Equal(memoriesBefore, VulkanBackend.LiveVkMemoryCount);
    }

    [Fact]
    public void Registry_FindsTheVulkanAssemblyBesideTheApplication()
    {
        Assert.Contains("vulkan", BackendRegistry.Names);
        using var backend = BackendRegistry.Create("vulkan");
        Assert.IsType<VulkanBackend>(backend);
        Assert.StartsWith("vulkan:", backend.Name);
        Assert.Contains("subgroup size", backend.DeviceName);
        var error = Assert.Throws<ArgumentException>(() => BackendRegistry.Create("vulkan:99"));
        Assert.Contains("vulkan:0", error.Message);
    }
}
