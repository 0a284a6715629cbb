using ILGPU;
using ILGPU.Runtime;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>Elementwise and data-movement kernels. Every kernel is a grid-stride loop: the launch has a bounded number of
/// threads (<c>stride</c>), each visiting elements <c>index, index + stride, …</c>.</summary>
internal static class ElementwiseKernels
{
    public static void Fill(Index1D index, ArrayView<float> y, float value, long count, long stride)
    {
        for (long i = index; i < count; i += stride) y[i] = value;
    }

    public static void Copy<T>(Index1D index, ArrayView<T> x, long xOffset, ArrayView<T> y, long yOffset, long count, long stride)
        where T : unmanaged
    {
        for (long i = index; i < count; i += stride) y[yOffset + i] = x[xOffset + i];
    }

    /// <summary><c>y[i, :] = x[indices[indexOffset + i], :]</c>; an index outside <c>[0, rows)</c> writes zeros (a kernel
    /// cannot throw; the Ops layer validates indices).</summary>
    public static void GatherRows<T>(Index1D index, ArrayView<T> x, int rowLength, long rows, ArrayView<int> indices, long indexOffset,
        ArrayView<T> y, long total, long stride) where T : unmanaged
    {
        for (long e = index; e < total; e += stride)
        {
            long i = e / rowLength, c = e - i * rowLength;
            int r = indices[indexOffset + i];
            y[e] = r >= 0 && r < rows ? x[r * (long)rowLength + c] : default;
        }
    }

    public static void ActivationForward(Index1D index, ArrayView<float> x, ArrayView<float> y, int kind, long count, long stride)
    {
        for (long i = index; i < count; i += stride) y[i] = KernelMath.Activate(kind, x[i]);
    }

    public static void ActivationBackward(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int kind,
        long count, long stride)
    {
        for (long i = index; i < count; i += stride) dx[i] = KernelMath.ActivationGradient(kind, y[i], dy[i]);
    }

    public static void ScaleAdd(Index1D index, ArrayView<float> x, float alpha, ArrayView<float> z, float beta, int hasZ,
        ArrayView<float> y, long count, long stride)
    {
        for (long i = index; i < count; i += stride)
            y[i] = hasZ != 0 ? alpha * x[i] + beta * z[i] : alpha * x[i] + beta;
    }

    /// <summary>NumPy-broadcasting binary op; see <see cref="BinaryArgs"/> for the per-input modes.</summary>
    public static void Binary(Index1D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, BinaryArgs p)
    {
        for (long i = index; i < p.Total; i += p.Stride)
        {
            long ai = p.AMode == 0 ? i : 0, bi = p.BMode == 0 ? i : 0;
            if (p.AMode == 2 || p.BMode == 2)
            {
                long rest = i, ao = 0, bo = 0;
                for (int d = p.Rank - 1; d >= 0; d--)
                {
                    int size = p.Shape.Get(d);
                    long coordinate = rest % size;
                    rest /= size;
                    ao += coordinate * p.AStrides.Get(d);
                    bo += coordinate * p.BStrides.Get(d);
                }
                if (p.AMode == 2) ai = ao;
                if (p.BMode == 2) bi = bo;
            }
            y[i] = KernelMath.Binary(p.Op, a[ai], b[bi]);
        }
    }

    /// <summary>Reduce over the middle axis, one thread per output <c>(o, i)</c> (grid-stride): the right shape when there
    /// are many outputs (and on the CPU accelerator, where group barriers are OS barriers).</summary>
    public static void Reduce(Index1D index, ArrayView<float> x, ArrayView<float> y, int op, int outer, int axis, int inner,
        int accumulate, long stride)
    {
        long outputs = (long)outer * inner;
        for (long t = index; t < outputs; t += stride)
        {
            long o = t / inner, i = t - o * inner;
            float acc = KernelMath.ReduceIdentity(op);
            long baseIndex = o * axis * inner + i;
            for (int a = 0; a < axis; a++) acc = KernelMath.ReduceCombine(op, acc, x[baseIndex + (long)a * inner]);
            if (op == 1) acc *= 1f / axis;
            y[t] = accumulate != 0 ? y[t] + acc : acc;
        }
    }

    /// <summary>Reduce over the middle axis with one group per output (grid-stride over outputs): the group's threads
    /// stride over the axis and combine their partials in a shared-memory tree. For few outputs and long axes on GPUs
    /// (the bias gradient of a small layer). The group size must be a power of two ≤ 1024.</summary>
    public static void ReduceGrouped(ArrayView<float> x, ArrayView<float> y, int op, int outer, int axis, int inner, int accumulate)
    {
        var shared = SharedMemory.Allocate<float>(1024);
        int tid = Group.IdxX, threads = Group.DimX;
        long outputs = (long)outer * inner;
        for (long t = Grid.IdxX; t < outputs; t += Grid.DimX)
        {
            long o = t / inner, i = t - o * inner;
            float acc = KernelMath.ReduceIdentity(op);
            long baseIndex = o * axis * inner + i;
            for (int a = tid; a < axis; a += threads) acc = KernelMath.ReduceCombine(op, acc, x[baseIndex + (long)a * inner]);
            shared[tid] = acc;
            Group.Barrier();
            for (int s = threads / 2; s > 0; s >>= 1)
            {
                if (tid < s)
                {
                    shared[tid] = KernelMath.ReduceCombine(op, shared[tid], shared[tid + s]);
                }
                Group.Barrier();
            }
            if (tid == 0)
            {
                float r = shared[0];
                if (op == 1) r *= 1f / axis;
                y[t] = accumulate != 0 ? y[t] + r : r;
            }
            Group.Barrier();
        }
    }
}
