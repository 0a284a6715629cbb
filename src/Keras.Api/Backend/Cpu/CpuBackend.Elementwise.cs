using System.Numerics.Tensors;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void ActivationForward(ActivationKind kind, IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        float[] X = Cpu(x).FloatArray, Y = Cpu(y).FloatArray;
        ForChunks((int)count, count * 8.0, (s, e) => Activate(kind, X.AsSpan(s, e - s), Y.AsSpan(s, e - s)));
    }

    private static void Activate(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty) return; // TensorPrimitives.Sigmoid throws on empty spans.
        switch (kind)
        {
            case ActivationKind.Linear: x.CopyTo(y); break;
            case ActivationKind.Relu: TensorPrimitives.Max(x, 0f, y); break; // Max propagates NaN, as tf.nn.relu does.
            case ActivationKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case ActivationKind.Tanh:
                // Not TensorPrimitives.Tanh: it is off by ~6e-8 absolute near 0 (tanh(±0) = ∓5.96e-8), an unbounded
                // relative error for small inputs. Element by element so that x and y may alias (the MatMul epilogue).
                for (int i = 0; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    /// <inheritdoc />
    public void ActivationBackward(ActivationKind kind, IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, long count)
    {
        float[] Y = Cpu(y).FloatArray, DY = Cpu(dy).FloatArray, DX = Cpu(dx).FloatArray;
        ForChunks((int)count, count * 4.0, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                float o = Y[i], g = DY[i];
                DX[i] = kind switch
                {
                    ActivationKind.Linear => g,
                    ActivationKind.Relu => o > 0f ? g : 0f,
                    ActivationKind.Sigmoid => g * o * (1f - o),
                    ActivationKind.Tanh => g * (1f - o * o),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
                };
            }
        });
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, IDeviceBuffer a, ReadOnlySpan<int> aShape, IDeviceBuffer b, ReadOnlySpan<int> bShape,
        IDeviceBuffer y, ReadOnlySpan<int> yShape)
    {
        float[] A = Cpu(a).FloatArray, B = Cpu(b).FloatArray, Y = Cpu(y).FloatArray;
        int rank = yShape.Length;
        int inner = rank == 0 ? 1 : yShape[^1];
        long total = 1;
        foreach (int d in yShape) total *= d;
        if (total == 0) return;
        Span<int> aStride = stackalloc int[rank], bStride = stackalloc int[rank];
        BroadcastStrides(aShape, yShape, aStride);
        BroadcastStrides(bShape, yShape, bStride);
        int aInner = rank == 0 ? 0 : aStride[^1], bInner = rank == 0 ? 0 : bStride[^1];
        int rows = (int)(total / inner);
        Span<int> index = stackalloc int[Math.Max(rank - 1, 0)];
        for (int r = 0; r < rows; r++)
        {
            // Offsets of this output row in a and b (broadcast dimensions have stride 0).
            int aOff = 0, bOff = 0;
            for (int d = 0; d < rank - 1; d++) { aOff += index[d] * aStride[d]; bOff += index[d] * bStride[d]; }
            var yRow = Y.AsSpan(r * inner, inner);
            if (aInner == 1 && bInner == 1) ApplyBinary(op, A.AsSpan(aOff, inner), B.AsSpan(bOff, inner), yRow);
            else if (aInner == 1) ApplyBinary(op, A.AsSpan(aOff, inner), B[bOff], yRow);
            else if (bInner == 1) ApplyBinary(op, A[aOff], B.AsSpan(bOff, inner), yRow);
            else ApplyBinary(op, A[aOff], B[bOff], yRow);
            for (int d = rank - 2; d >= 0; d--) { if (++index[d] < yShape[d]) break; index[d] = 0; }
        }
    }

    private static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<int> strides)
    {
        int stride = 1, lead = outShape.Length - shape.Length;
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            int size = d >= lead ? shape[d - lead] : 1;
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }

    private static void ApplyBinary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(a, b, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    private static void ApplyBinary(BinaryOp op, ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(a, b, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    private static void ApplyBinary(BinaryOp op, float a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(b, a, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(b, a, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(b, a, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(b, a, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    private static void ApplyBinary(BinaryOp op, float a, float b, Span<float> y) => y.Fill(op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        BinaryOp.Maximum => MathF.Max(a, b),
        BinaryOp.Minimum => MathF.Min(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
    });

    /// <inheritdoc />
    public void ScaleAdd(IDeviceBuffer x, float alpha, IDeviceBuffer? z, float beta, IDeviceBuffer y, long count)
    {
        var X = Cpu(x).Floats[..(int)count];
        var Y = Cpu(y).Floats[..(int)count];
        if (z is null)
        {
            for (int i = 0; i < Y.Length; i++) Y[i] = alpha * X[i] + beta;
            return;
        }
        var Z = Cpu(z).Floats[..(int)count];
        for (int i = 0; i < Y.Length; i++) Y[i] = alpha * X[i] + beta * Z[i];
    }

    /// <inheritdoc />
    public void Reduce(ReduceOp op, IDeviceBuffer x, int outer, int axis, int inner, IDeviceBuffer y, bool accumulate = false)
    {
        float[] X = Cpu(x).FloatArray, Y = Cpu(y).FloatArray;
        for (int o = 0; o < outer; o++)
        {
            var dst = Y.AsSpan(o * inner, inner);
            // Reduce into dst directly; with accumulate (y += reduction, for every op), reduce into scratch first.
            if (accumulate)
            {
                float[] scratch = System.Buffers.ArrayPool<float>.Shared.Rent(inner);
                var acc = scratch.AsSpan(0, inner);
                ReduceInto(op, X, o, axis, inner, acc);
                TensorPrimitives.Add(dst, acc, dst);
                System.Buffers.ArrayPool<float>.Shared.Return(scratch);
            }
            else ReduceInto(op, X, o, axis, inner, dst);
        }
    }

    private static void ReduceInto(ReduceOp op, float[] X, int o, int axis, int inner, Span<float> acc)
    {
        if (op == ReduceOp.Max) acc.Fill(float.NegativeInfinity); else acc.Clear();
        for (int a = 0; a < axis; a++)
        {
            var src = X.AsSpan((o * axis + a) * inner, inner);
            if (op == ReduceOp.Max) TensorPrimitives.Max(acc, src, acc);
            else TensorPrimitives.Add(acc, src, acc);
        }
        if (op == ReduceOp.Mean) TensorPrimitives.Multiply(acc, 1f / axis, acc);
    }
}
