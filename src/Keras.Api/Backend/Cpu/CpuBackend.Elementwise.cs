using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void ActivationForward(ActivationKind kind, IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        var body = new ActivationForwardBody(kind, Cpu(x).FloatArray, Cpu(y).FloatArray);
        ForChunks((int)count, count * 8.0, ref body, align: ElementAlign);
    }

    private readonly struct ActivationForwardBody(ActivationKind kind, float[] x, float[] y) : IChunkBody
    {
        public void Run(int start, int end) => Activate(kind, x.AsSpan(start, end - start), y.AsSpan(start, end - start));
    }

    private static void Activate(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty) return; // TensorPrimitives.Sigmoid throws on empty spans.
        switch (kind)
        {
            case ActivationKind.Linear: x.CopyTo(y); break;
            case ActivationKind.Relu: TensorPrimitives.Max(x, 0f, y); break; // Max propagates NaN, as tf.nn.relu does.
            case ActivationKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case ActivationKind.Tanh: Tanh(x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    /// <summary>
    /// tanh, vectorised and accurate in relative terms. Not TensorPrimitives.Tanh: it is off by ~6e-8 absolute near 0
    /// (tanh(±0) = ∓5.96e-8), an unbounded relative error for small inputs. For |x| &lt; 0.5 the odd Taylor series to x¹³
    /// (truncation &lt; 1e-7 relative); above, <c>tanh|x| = e/(e + 2)</c> with <c>e = exp(2|x|) − 1</c> (|x| clamped at 10,
    /// where the quotient is exactly 1), the sign copied from x; NaN stays NaN. Blocks are read before they are written, so x and
    /// y may alias (the MatMul epilogue).
    /// </summary>
    private static readonly float[] s_tanhSeries = [-1382f / 155925, 62f / 2835, -17f / 315, 2f / 15, -1f / 3, 1f];

    internal static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Vector256.Create(x.Slice(i, 8));
                var a = Vector256.Abs(v);
                var x2 = v * v;
                var p = Vector256.Create(21844f / 6081075);
                foreach (float c in s_tanhSeries) p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(c));
                var series = v * p;
                var e = Vector256.Exp(Vector256.Min(a, Vector256.Create(10f)) * 2f) - Vector256<float>.One;
                var large = Vector256.CopySign(e / (e + Vector256.Create(2f)), v);
                var r = Vector256.ConditionalSelect(Vector256.LessThan(a, half), series, large);
                Vector256.ConditionalSelect(Vector256.Equals(v, v), r, v).CopyTo(y.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    /// <inheritdoc />
    public void ActivationBackward(ActivationKind kind, IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, long count)
    {
        var body = new ActivationBackwardBody(kind, Cpu(y).FloatArray, Cpu(dy).FloatArray, Cpu(dx).FloatArray, VectorBits);
        ForChunks((int)count, count * 4.0, ref body, align: ElementAlign);
    }

    private readonly struct ActivationBackwardBody(ActivationKind kind, float[] y, float[] dy, float[] dx, int vectorBits) : IChunkBody, IVectorLoop
    {
        public void Run(int start, int end)
        {
            // Vectors first (the same operations in the same order as the scalar tail, so the same bits), then the tail.
            if (end > y.Length || end > dy.Length || end > dx.Length) throw new ArgumentOutOfRangeException(nameof(end));
            int i = VectorLoop.Run(this, vectorBits, start, end);
            for (; i < end; i++)
            {
                float o = y[i], g = dy[i];
                dx[i] = kind switch
                {
                    ActivationKind.Linear => g,
                    ActivationKind.Relu => o > 0f ? g : 0f,
                    ActivationKind.Sigmoid => g * o * (1f - o),
                    ActivationKind.Tanh => g * (1f - o * o),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
                };
            }
        }

        /// <summary>Whole vectors from <paramref name="start"/>, unchecked (the caller checked the range); returns where
        /// the scalar tail starts.</summary>
        public int Vectorized<S, V>(int start, int end) where S : ISimd<V>
            where V : struct
        {
            if (end - start < S.Count) return start;
            ref float yr = ref y[0], dyr = ref dy[0], dxr = ref dx[0];
            var one = S.Broadcast(1f);
            int i = start;
            for (; i <= end - S.Count; i += S.Count)
            {
                var o = S.Load(ref yr, (nuint)i);
                var g = S.Load(ref dyr, (nuint)i);
                var d = kind switch
                {
                    ActivationKind.Linear => g,
                    ActivationKind.Relu => S.WherePositive(o, g),
                    ActivationKind.Sigmoid => S.Multiply(S.Multiply(g, o), S.Subtract(one, o)), // g·o·(1 - o)
                    ActivationKind.Tanh => S.Multiply(g, S.Subtract(one, S.Multiply(o, o))), // g·(1 - o·o)
                    _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
                };
                S.Store(d, ref dxr, (nuint)i);
            }
            return i;
        }
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
            default: for (int i = 0; i < y.Length; i++) y[i] = BinaryScalar(op, a[i], b[i]); break;
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
            default: for (int i = 0; i < y.Length; i++) y[i] = BinaryScalar(op, a[i], b); break;
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
            default: for (int i = 0; i < y.Length; i++) y[i] = BinaryScalar(op, a, b[i]); break;
        }
    }

    private static void ApplyBinary(BinaryOp op, float a, float b, Span<float> y) => y.Fill(BinaryScalar(op, a, b));

    /// <summary>The scalar form of every binary op; comparisons give 1 or 0.</summary>
    internal static float BinaryScalar(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        BinaryOp.Maximum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : MathF.Max(a, b),
        BinaryOp.Minimum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : MathF.Min(a, b),
        BinaryOp.Power => MathF.Pow(a, b),
        BinaryOp.Greater => a > b ? 1f : 0f,
        BinaryOp.GreaterEqual => a >= b ? 1f : 0f,
        BinaryOp.Less => a < b ? 1f : 0f,
        BinaryOp.LessEqual => a <= b ? 1f : 0f,
        BinaryOp.Equal => a == b ? 1f : 0f,
        BinaryOp.NotEqual => a != b ? 1f : 0f,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
    };

    /// <inheritdoc />
    public void ScaleAdd(IDeviceBuffer x, float alpha, IDeviceBuffer? z, float beta, IDeviceBuffer y, long count)
    {
        var X = Cpu(x).Floats[..(int)count];
        var Y = Cpu(y).Floats[..(int)count];
        var Z = z is null ? default : Cpu(z).Floats[..(int)count];
        // Vectors first, with the scalar loop's operations in its order (so the same bits), then the tail.
        int i = VectorBits switch
        {
            512 => ScaleAddVectors<Simd512, Vector512<float>>(X, alpha, Z, z is not null, beta, Y),
            256 => ScaleAddVectors<Simd256, Vector256<float>>(X, alpha, Z, z is not null, beta, Y),
            128 => ScaleAddVectors<Simd128, Vector128<float>>(X, alpha, Z, z is not null, beta, Y),
            _ => 0,
        };
        if (z is null)
        {
            for (; i < Y.Length; i++) Y[i] = alpha * X[i] + beta;
            return;
        }
        for (; i < Y.Length; i++) Y[i] = alpha * X[i] + beta * Z[i];
    }

    /// <summary>y = α·x + β (or + β·z) on whole vectors of equally long spans; returns where the scalar tail starts.</summary>
    private static int ScaleAddVectors<S, V>(Span<float> x, float alpha, Span<float> z, bool hasZ, float beta, Span<float> y)
        where S : ISimd<V> where V : struct
    {
        if (y.Length < S.Count) return 0;
        ref float xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        V a = S.Broadcast(alpha), b = S.Broadcast(beta);
        int i = 0;
        if (!hasZ)
        {
            for (; i + S.Count <= y.Length; i += S.Count)
                S.Store(S.Add(S.Multiply(a, S.Load(ref xr, (nuint)i)), b), ref yr, (nuint)i);
            return i;
        }
        ref float zr = ref MemoryMarshal.GetReference(z);
        for (; i + S.Count <= y.Length; i += S.Count)
            S.Store(S.Add(S.Multiply(a, S.Load(ref xr, (nuint)i)), S.Multiply(b, S.Load(ref zr, (nuint)i))), ref yr, (nuint)i);
        return i;
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
                float[] scratch = _scratch.Rent(inner);
                var acc = scratch.AsSpan(0, inner);
                ReduceInto(op, X, o, axis, inner, acc);
                TensorPrimitives.Add(dst, acc, dst);
                _scratch.Return(scratch);
            }
            else ReduceInto(op, X, o, axis, inner, dst);
        }
    }

    private static void ReduceInto(ReduceOp op, float[] X, int o, int axis, int inner, Span<float> acc)
    {
        if (op == ReduceOp.Max) acc.Fill(float.NegativeInfinity); else if (op == ReduceOp.Min) acc.Fill(float.PositiveInfinity); else acc.Clear();
        for (int a = 0; a < axis; a++)
        {
            var src = X.AsSpan((o * axis + a) * inner, inner);
            if (op == ReduceOp.Max) TensorPrimitives.Max(acc, src, acc);
            else if (op == ReduceOp.Min) TensorPrimitives.Min(acc, src, acc);
            else TensorPrimitives.Add(acc, src, acc);
        }
        if (op == ReduceOp.Mean) TensorPrimitives.Multiply(acc, 1f / axis, acc);
    }
}
