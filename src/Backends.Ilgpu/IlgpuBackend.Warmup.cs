using KerasGpu.Backend;

namespace KerasGpu.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <summary>
    /// Compiles every kernel now, by launching each once on one-element buffers (otherwise the first call of each kernel
    /// compiles it, which costs tens of milliseconds to seconds). For benchmarks that must not time the JIT.
    /// </summary>
    public void Warmup()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var owned = new List<IDeviceBuffer>();
        IDeviceBuffer Floats(params float[] values)
        {
            var b = Allocate(DType.Float32, values.Length);
            Upload<float>(values, b);
            owned.Add(b);
            return b;
        }
        IDeviceBuffer Ints(params int[] values)
        {
            var b = Allocate(DType.Int32, values.Length);
            Upload<int>(values, b);
            owned.Add(b);
            return b;
        }
        var saved = (MatMulKernel, GroupedReduce);
        try
        {
            IDeviceBuffer x = Floats(0.5f), y = Floats(0f), z = Floats(1f), label = Ints(0);
            Fill(y, 1f);
            Copy(x, 0, y, 0, 1);
            Copy(label, 0, Ints(0), 0, 1);
            GatherRows(x, 1, label, 0, 1, y);
            GatherRows(label, 1, label, 0, 1, Ints(0));
            foreach (var kernel in Enum.GetValues<IlgpuMatMulKernel>())
            {
                if (kernel == IlgpuMatMulKernel.Tiled && IsCpu) continue; // never chosen there; compiled when asked for
                MatMulKernel = kernel;
                MatMul(x, z, y, new MatMulShape(1, 1, 1), z, ActivationKind.Relu);
            }
            ActivationForward(ActivationKind.Tanh, x, y, 1);
            ActivationBackward(ActivationKind.Tanh, x, z, y, 1);
            Binary(BinaryOp.Add, x, [1], z, [1], y, [1]);
            ScaleAdd(x, 2f, z, 1f, y, 1);
            Unary(UnaryOp.Exp, x, y, 1);
            Where(z, x, z, y, 1);
            Cast(label, y, 1);
            Cast(x, Ints(0), 1);
            CopyStrided(x, 0, 1, y, 0, 1, 1, 1);
            CopyStrided(label, 0, 1, Ints(0), 0, 1, 1, 1);
            Permute(x, [1], [0], y);
            Permute(label, [1], [0], Ints(0));
            GroupedReduce = false;
            Reduce(ReduceOp.Sum, x, 1, 1, 1, y);
            if (!IsCpu)
            {
                GroupedReduce = true;
                Reduce(ReduceOp.Sum, x, 1, 1, 1, y);
            }
            Softmax(x, y, 1, 1);
            SoftmaxBackward(x, z, y, 1, 1);
            SoftmaxCrossEntropy(x, label, TargetKind.SparseIndex, 1, 1, y, Floats(0f));
            SoftmaxCrossEntropyBackward(x, label, TargetKind.SparseIndex, z, y, 1, 1);
            CrossEntropy(x, label, TargetKind.SparseIndex, 1, 1, 1e-7f, y);
            CrossEntropyBackward(x, label, TargetKind.SparseIndex, z, y, 1, 1, 1e-7f);
            SquaredError(x, z, 1, 1, y);
            SquaredErrorBackward(x, z, z, y, 1, 1);
            AccuracyCount(AccuracyKind.SparseCategorical, x, label, 1, 1, y);
            SgdUpdate(Floats(1f), x, null, 1, 0.1f, 0f, false);
            RmsPropUpdate(Floats(1f), x, Floats(0f), null, null, 1, 0.1f, 0.9f, 0f, 1e-7f);
            AdamUpdate(Floats(1f), x, Floats(0f), Floats(0f), null, 1, 0.1f, 0.9f, 0.999f, 1e-7f);
            RandomUniform(y, 1, 0, 0f, 1f);
            Synchronize();
        }
        finally
        {
            (MatMulKernel, GroupedReduce) = saved;
            foreach (var b in owned) b.Dispose();
        }
    }
}
