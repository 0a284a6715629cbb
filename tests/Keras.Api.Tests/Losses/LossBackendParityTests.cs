using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Backends.Ilgpu;
using KerasGpu.Backends.Vulkan;
using KerasGpu.Tests.Backends;

namespace KerasGpu.Tests.Losses;

/// <summary>One Vulkan backend (best device, validation on) for the loss parity tests.</summary>
public sealed class VulkanLossFixture : IDisposable
{
    public VulkanBackend Backend { get; } = new(new VulkanBackendOptions { Validation = true });

    public void Dispose() => Backend.Dispose();
}

/// <summary>
/// Every loss on the Vulkan backend against the managed cpu backend. In the GlobalState collection: Vulkan's handle
/// counters are process-wide, so this must not overlap the Vulkan leak checks.
/// </summary>
[Collection("GlobalState")]
public sealed class VulkanLossParityTests(VulkanLossFixture fixture) : LossTestContext, IClassFixture<VulkanLossFixture>
{
    [Theory]
    [MemberData(nameof(LossBackendParityTests.Names), MemberType = typeof(LossBackendParityTests))]
    public void VulkanMatchesCpu(string name) => LossBackendParityTests.AssertParity(Backend, fixture.Backend, name);
}

/// <summary>
/// Every loss, composed from ops, gives the same value and gradient on the ILGPU backend (its CPU accelerator) as on
/// the managed cpu backend, which the float64 tests pin to Keras' formulas.
/// </summary>
public sealed class LossBackendParityTests(IlgpuCpuFixture fixture) : LossTestContext, IClassFixture<IlgpuCpuFixture>
{
    private readonly IlgpuBackend _ilgpu = fixture.Backend;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in LossReference.Cases) data.Add(c.Name);
        // Losses whose per-sample value is not a function of one row: pairs within the batch, sequences over time.
        data.Add("circle");
        data.Add("ctc");
        return data;
    }

    /// <summary>The case for a name: a float64-tested row loss, or Circle / CTC with inputs of their own shapes.</summary>
    private static (LossCase Case, int[] TrueShape, int[] PredShape) Setup(string name) => name switch
    {
        "circle" => (new("circle", red => new KerasGpu.Losses.Circle(gamma: 8f, reduction: red), (_, _) => 0,
            (r, n, c) => ([0, 1, 0, 1, 2], [.. Enumerable.Range(0, n * c).Select(_ => r.NextDouble() - 0.5)]), Sparse: true), [5], [5, 4]),
        "ctc" => (new("ctc", red => new KerasGpu.Losses.CTC(red), (_, _) => 0,
            (r, n, c) => ([1, 2, 0, 3, 3, 0, 2, 0, 0, 1, 0, 0, 3, 1, 2], [.. Enumerable.Range(0, 5 * 6 * 4).Select(_ => r.NextDouble() * 2 - 1)]), Sparse: true), [5, 3], [5, 6, 4]),
        _ => (LossReference.Cases.Single(k => k.Name == name), [], []),
    };

    private static Tensor Upload(IBackend backend, double[] values, int[] shape, DType dtype)
    {
        var t = Tensor.Empty(backend, shape, dtype);
        if (dtype == DType.Int32) backend.Upload<int>([.. values.Select(v => (int)v)], t.Buffer);
        else backend.Upload<float>([.. values.Select(v => (float)v)], t.Buffer);
        return t;
    }

    private static (double[] Loss, double[] Gradient) Run(IBackend backend, LossCase c, double[] yTrue, int[] trueShape, double[] yPred,
        int[] predShape, double[] weights)
    {
        using var scope = new TensorScope();
        var prediction = Upload(backend, yPred, predShape, DType.Float32);
        using var tape = new GradientTape();
        tape.Watch(prediction);
        var loss = c.Make("sum_over_batch_size").Call(Upload(backend, yTrue, trueShape, c.Sparse ? DType.Int32 : DType.Float32),
            prediction, Upload(backend, weights, [predShape[0]], DType.Float32));
        var gradient = tape.Gradient(loss, [prediction])[0]!;
        return (Download(loss), Download(gradient));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void IlgpuMatchesCpu(string name) => AssertParity(Backend, _ilgpu, name);

    internal static void AssertParity(IBackend reference, IBackend device, string name)
    {
        var (c, trueShape, predShape) = Setup(name);
        const int rows = 5, cols = 4;
        if (predShape.Length == 0) (trueShape, predShape) = (c.Sparse ? [rows] : [rows, cols], [rows, cols]);
        var rng = new Random(name.Length);
        var (yTrue, yPred) = c.Inputs(rng, rows, cols);
        double[] weights = [.. Enumerable.Range(0, rows).Select(_ => 0.5 + rng.NextDouble())];
        var cpu = Run(reference, c, yTrue, trueShape, yPred, predShape, weights);
        var other = Run(device, c, yTrue, trueShape, yPred, predShape, weights);
        AssertClose(cpu.Loss, other.Loss, 1e-5, 1e-6, $"{name} loss on {device.Name}");
        AssertClose(cpu.Gradient, other.Gradient, 1e-4, 1e-6 * (1 + cpu.Gradient.Max(Math.Abs)), $"{name} gradient on {device.Name}");
        Assert.Equal(0, device.LiveBufferCount);
    }
}
