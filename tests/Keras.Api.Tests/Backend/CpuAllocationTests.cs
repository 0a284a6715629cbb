using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;

namespace KerasGpu.Tests.Backend;

/// <summary>Allocation measurements read process-wide counters, so they run alone, after the parallel tests.</summary>
[CollectionDefinition("CpuAllocation", DisableParallelization = true)]
public class CpuAllocationCollection;

/// <summary>
/// After warm-up, every CPU kernel a training step uses allocates nothing on the managed heap: not on the launching
/// thread (struct loop bodies, backend-owned scratch) and not on the worker threads (a persistent pool), on one thread
/// and on two with shapes big enough to go parallel.
/// </summary>
[Collection("CpuAllocation")]
public class CpuAllocationTests
{
    /// <summary>Streaming kernels split from 2^18 work units per thread; 2^18 elements go parallel for every one of them.</summary>
    private const int Elements = 1 << 18;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in Launches.Keys)
            foreach (int threads in new[] { 1, 2 })
                data.Add(name, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kernel_AfterWarmUp_AllocatesNothing(string kernel, int threads)
    {
        using var backend = new CpuBackend(threads);
        Action launch = Launches[kernel](backend);
        for (int i = 0; i < 40; i++) launch();

        // The counters also see what the runtime itself does meanwhile (tiering the JIT up, on-stack replacement, the
        // test host's threads for the process-wide one); a kernel that allocates does so on every launch, so one clean
        // window out of five proves it does not.
        long thisThread = 0, process = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long threadBefore = GC.GetAllocatedBytesForCurrentThread(), processBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 20; i++) launch();
            thisThread = GC.GetAllocatedBytesForCurrentThread() - threadBefore;
            process = GC.GetTotalAllocatedBytes(precise: true) - processBefore;
            if (thisThread == 0 && process == 0) break;
            Thread.Sleep(200);
        }
        Assert.Equal(0, thisThread);
        Assert.Equal(0, process); // the workers' allocations too
    }

    private static IDeviceBuffer Floats(CpuBackend backend, int length, float value)
    {
        var buffer = backend.Allocate(DType.Float32, length);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = value + 0.001f * (i % 97);
        backend.Upload<float>(values, buffer);
        return buffer;
    }

    private static IDeviceBuffer Labels(CpuBackend backend, int rows, int classes)
    {
        var buffer = backend.Allocate(DType.Int32, rows);
        backend.Upload<int>(Enumerable.Range(0, rows).Select(r => r % classes).ToArray(), buffer);
        return buffer;
    }

    /// <summary>Each entry allocates its buffers once and returns the launch to measure.</summary>
    private static readonly Dictionary<string, Func<CpuBackend, Action>> Launches = new()
    {
        ["MatMul packed NN + bias + relu"] = b =>
        {
            IDeviceBuffer x = Floats(b, 256 * 256, 0.5f), w = Floats(b, 256 * 256, 0.25f), y = Floats(b, 256 * 256, 0f), bias = Floats(b, 256, 0.1f);
            return () => b.MatMul(x, w, y, new MatMulShape(256, 256, 256), bias, ActivationKind.Relu);
        },
        ["MatMul packed NT"] = b =>
        {
            IDeviceBuffer x = Floats(b, 256 * 300, 0.5f), w = Floats(b, 260 * 300, 0.25f), y = Floats(b, 256 * 260, 0f);
            return () => b.MatMul(x, w, y, new MatMulShape(256, 260, 300, TransposeB: true));
        },
        ["MatMul packed small TN (64 wide)"] = b =>
        {
            IDeviceBuffer x = Floats(b, 784 * 64, 0.5f), w = Floats(b, 784 * 64, 0.25f), y = Floats(b, 784 * 64, 0f);
            return () => b.MatMul(x, w, y, new MatMulShape(784, 64, 64, TransposeA: true));
        },
        ["MatMul packed TN accumulate"] = b =>
        {
            IDeviceBuffer x = Floats(b, 300 * 256, 0.5f), w = Floats(b, 300 * 256, 0.25f), y = Floats(b, 256 * 256, 0f);
            return () => b.MatMul(x, w, y, new MatMulShape(256, 256, 300, TransposeA: true), accumulate: true);
        },
        ["MatMul direct + bias + tanh"] = b =>
        {
            IDeviceBuffer x = Floats(b, 128 * 512, 0.5f), w = Floats(b, 512 * 200, 0.25f), y = Floats(b, 128 * 200, 0f), bias = Floats(b, 200, 0.1f);
            return () => b.MatMul(x, w, y, new MatMulShape(128, 200, 512), bias, ActivationKind.Tanh);
        },
        ["MatMul direct NT padded"] = b =>
        {
            IDeviceBuffer x = Floats(b, 2048 * 512, 0.5f), w = Floats(b, 10 * 512, 0.25f), y = Floats(b, 2048 * 10, 0f);
            return () => b.MatMul(x, w, y, new MatMulShape(2048, 10, 512, TransposeB: true), accumulate: true);
        },
        ["ActivationForward"] = b =>
        {
            IDeviceBuffer x = Floats(b, Elements, -0.1f), y = Floats(b, Elements, 0f);
            return () => b.ActivationForward(ActivationKind.Sigmoid, x, y, Elements);
        },
        ["ActivationBackward"] = b =>
        {
            IDeviceBuffer y = Floats(b, Elements, 0.3f), dy = Floats(b, Elements, 0.1f), dx = Floats(b, Elements, 0f);
            return () => b.ActivationBackward(ActivationKind.Relu, y, dy, dx, Elements);
        },
        ["Binary broadcast"] = b =>
        {
            IDeviceBuffer x = Floats(b, Elements, 1f), row = Floats(b, 512, 2f), y = Floats(b, Elements, 0f);
            int[] shape = [Elements / 512, 512], rowShape = [512];
            return () => b.Binary(BinaryOp.Multiply, x, shape, row, rowShape, y, shape);
        },
        ["Unary"] = b =>
        {
            IDeviceBuffer x = Floats(b, Elements, 0.2f), y = Floats(b, Elements, 0f);
            return () => b.Unary(UnaryOp.Exp, x, y, Elements);
        },
        ["ScaleAdd"] = b =>
        {
            IDeviceBuffer x = Floats(b, Elements, 0.2f), z = Floats(b, Elements, 0.3f), y = Floats(b, Elements, 0f);
            return () => b.ScaleAdd(x, 0.5f, z, 2f, y, Elements);
        },
        ["Reduce accumulate"] = b =>
        {
            IDeviceBuffer x = Floats(b, Elements, 0.2f), y = Floats(b, 512, 0f);
            return () => b.Reduce(ReduceOp.Sum, x, 1, Elements / 512, 512, y, accumulate: true);
        },
        ["Softmax and SoftmaxBackward"] = b =>
        {
            IDeviceBuffer x = Floats(b, 512 * 10, 0.2f), y = Floats(b, 512 * 10, 0f), dy = Floats(b, 512 * 10, 0.1f), dx = Floats(b, 512 * 10, 0f);
            return () => { b.Softmax(x, y, 512, 10); b.SoftmaxBackward(y, dy, dx, 512, 10); };
        },
        ["SoftmaxCrossEntropy and backward"] = b =>
        {
            IDeviceBuffer z = Floats(b, 512 * 10, 0.2f), t = Labels(b, 512, 10), p = Floats(b, 512 * 10, 0f), loss = Floats(b, 512, 0f),
                g = Floats(b, 512, 1f / 512), dz = Floats(b, 512 * 10, 0f);
            return () =>
            {
                b.SoftmaxCrossEntropy(z, t, TargetKind.SparseIndex, 512, 10, p, loss);
                b.SoftmaxCrossEntropyBackward(p, t, TargetKind.SparseIndex, g, dz, 512, 10);
            };
        },
        ["CrossEntropy and backward"] = b =>
        {
            IDeviceBuffer p = Floats(b, 512 * 10, 0.1f), t = Floats(b, 512 * 10, 0.1f), loss = Floats(b, 512, 0f),
                g = Floats(b, 512, 1f / 512), dp = Floats(b, 512 * 10, 0f);
            return () =>
            {
                b.CrossEntropy(p, t, TargetKind.Dense, 512, 10, 1e-7f, loss);
                b.CrossEntropyBackward(p, t, TargetKind.Dense, g, dp, 512, 10, 1e-7f);
            };
        },
        ["SquaredError and backward"] = b =>
        {
            IDeviceBuffer p = Floats(b, 512 * 10, 0.1f), t = Floats(b, 512 * 10, 0.2f), loss = Floats(b, 512, 0f),
                g = Floats(b, 512, 1f / 512), dp = Floats(b, 512 * 10, 0f);
            return () => { b.SquaredError(p, t, 512, 10, loss); b.SquaredErrorBackward(p, t, g, dp, 512, 10); };
        },
        ["AccuracyCount"] = b =>
        {
            IDeviceBuffer p = Floats(b, 512 * 10, 0.1f), t = Labels(b, 512, 10), acc = Floats(b, 1, 0f);
            return () => b.AccuracyCount(AccuracyKind.SparseCategorical, p, t, 512, 10, acc);
        },
        ["Fill and Copy"] = b =>
        {
            IDeviceBuffer x = Floats(b, Elements, 0f), y = Floats(b, Elements, 0f);
            return () => { b.Fill(x, 1.5f); b.Copy(x, 0, y, 0, Elements); };
        },
        ["GatherRows"] = b =>
        {
            IDeviceBuffer x = Floats(b, 1000 * 784, 0.5f), idx = Labels(b, 256, 1000), y = Floats(b, 256 * 784, 0f);
            return () => b.GatherRows(x, 784, idx, 0, 256, y);
        },
        ["SgdUpdate momentum"] = b =>
        {
            IDeviceBuffer w = Floats(b, Elements, 0.5f), g = Floats(b, Elements, 0.01f), m = Floats(b, Elements, 0f);
            return () => b.SgdUpdate(w, g, m, Elements, 0.01f, 0.9f, nesterov: true);
        },
        ["RmsPropUpdate"] = b =>
        {
            IDeviceBuffer w = Floats(b, Elements, 0.5f), g = Floats(b, Elements, 0.01f), v = Floats(b, Elements, 0f);
            return () => b.RmsPropUpdate(w, g, v, null, null, Elements, 1e-3f, 0.9f, 0f, 1e-7f);
        },
        ["AdamUpdate"] = b =>
        {
            IDeviceBuffer w = Floats(b, Elements, 0.5f), g = Floats(b, Elements, 0.01f), m = Floats(b, Elements, 0f), v = Floats(b, Elements, 0f);
            return () => b.AdamUpdate(w, g, m, v, null, Elements, 1e-3f, 0.9f, 0.999f, 1e-7f);
        },
    };
}
