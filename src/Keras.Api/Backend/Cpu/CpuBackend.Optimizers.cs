using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void SgdUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer? momentum, long count,
        float learningRate, float momentumFactor, bool nesterov)
    {
        var body = new SgdBody(Cpu(weights).FloatArray, Cpu(gradients).FloatArray, momentum is null ? null : Cpu(momentum).FloatArray,
            learningRate, momentumFactor, nesterov);
        ForChunks((int)count, count * 4.0, ref body, align: ElementAlign);
    }

    private readonly struct SgdBody(float[] W, float[] G, float[]? M, float learningRate, float momentumFactor, bool nesterov)
        : IChunkBody
    {
        public void Run(int s, int e)
        {
            for (int i = s; i < e; i++)
            {
            if (M is null) { W[i] -= learningRate * G[i]; continue; }
            float m = momentumFactor * M[i] - learningRate * G[i];
            M[i] = m;
            W[i] += nesterov ? momentumFactor * m - learningRate * G[i] : m;
            }
        }
    }

    /// <inheritdoc />
    public void RmsPropUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer velocity, IDeviceBuffer? momentum,
        IDeviceBuffer? averageGradient, long count, float learningRate, float rho, float momentumFactor, float epsilon)
    {
        var body = new RmsPropBody(Cpu(weights).FloatArray, Cpu(gradients).FloatArray, Cpu(velocity).FloatArray,
            momentum is null ? null : Cpu(momentum).FloatArray, averageGradient is null ? null : Cpu(averageGradient).FloatArray,
            learningRate, rho, momentumFactor, epsilon, VectorBits);
        ForChunks((int)count, count * 8.0, ref body, align: ElementAlign);
    }

    private readonly struct RmsPropBody(float[] W, float[] G, float[] V, float[]? M, float[]? A, float learningRate, float rho,
        float momentumFactor, float epsilon, int vectorBits) : IChunkBody
    {
        public void Run(int s, int e)
        {
            int i = s;
            if (A is null && M is null)
            {
                // Keras' default RMSprop (no momentum, not centered) a vector at a time, with the same operations in the
                // same order as the scalar loop below, so both give the same bits.
                if (e > W.Length || e > G.Length || e > V.Length) throw new ArgumentOutOfRangeException(nameof(e));
                i = vectorBits switch
                {
                    512 => Vectorized<Simd512, Vector512<float>>(s, e),
                    256 => Vectorized<Simd256, Vector256<float>>(s, e),
                    128 => Vectorized<Simd128, Vector128<float>>(s, e),
                    _ => s,
                };
            }
            for (; i < e; i++)
            {
                float g = G[i];
                float v = FlushDenormal(rho * V[i] + (1f - rho) * g * g);
                V[i] = v;
                float denominator = v;
                if (A is not null)
                {
                    float a = FlushDenormal(rho * A[i] + (1f - rho) * g);
                    A[i] = a;
                    denominator = v - a * a;
                }
                float increment = learningRate * g / MathF.Sqrt(denominator + epsilon);
                if (M is null) { W[i] -= increment; continue; }
                float m = FlushDenormal(momentumFactor * M[i] + increment);
                M[i] = m;
                W[i] -= m;
            }
        }

        /// <summary>The default update on whole vectors from <paramref name="s"/>, unchecked (the caller checked the
        /// range); returns where the scalar tail starts.</summary>
        private int Vectorized<S, T>(int s, int e) where S : ISimd<T>
            where T : struct
        {
            if (e - s < S.Count) return s;
            T rhoV = S.Broadcast(rho), decay = S.Broadcast(1f - rho), lr = S.Broadcast(learningRate), eps = S.Broadcast(epsilon),
                smallest = S.Broadcast(SmallestNormal);
            ref float w = ref W[0], g0 = ref G[0], v0 = ref V[0];
            int i = s;
            for (; i + S.Count <= e; i += S.Count)
            {
                var g = S.Load(ref g0, (nuint)i);
                // v = flush(rho·v + (1 - rho)·g·g); w -= lr·g / sqrt(v + eps)
                var v = S.ZeroBelow(S.Add(S.Multiply(rhoV, S.Load(ref v0, (nuint)i)), S.Multiply(S.Multiply(decay, g), g)), smallest);
                S.Store(v, ref v0, (nuint)i);
                S.Store(S.Subtract(S.Load(ref w, (nuint)i), S.Divide(S.Multiply(lr, g), S.Sqrt(S.Add(v, eps)))), ref w, (nuint)i);
            }
            return i;
        }
    }

    /// <inheritdoc />
    public void AdamUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer m, IDeviceBuffer v, IDeviceBuffer? vHat,
        long count, float alpha, float beta1, float beta2, float epsilon)
    {
        var body = new AdamBody(Cpu(weights).FloatArray, Cpu(gradients).FloatArray, Cpu(m).FloatArray, Cpu(v).FloatArray,
            vHat is null ? null : Cpu(vHat).FloatArray, alpha, beta1, beta2, epsilon);
        ForChunks((int)count, count * 8.0, ref body, align: ElementAlign);
    }

    private readonly struct AdamBody(float[] W, float[] G, float[] M, float[] V, float[]? H, float alpha, float beta1, float beta2,
        float epsilon) : IChunkBody
    {
        public void Run(int s, int e)
        {
            int i = s;
            if (H is null && Vector256.IsHardwareAccelerated)
            {
                // Adam without AMSGrad, eight weights at a time; same operations and order as the scalar loop below.
                Vector256<float> b1 = Vector256.Create(1f - beta1), b2 = Vector256.Create(1f - beta2),
                    a = Vector256.Create(alpha), eps = Vector256.Create(epsilon);
                for (; i + 8 <= e; i += 8)
                {
                    var g = Vector256.Create(G.AsSpan(i, 8));
                    var m0 = Vector256.Create(M.AsSpan(i, 8));
                    var v0 = Vector256.Create(V.AsSpan(i, 8));
                    var mi = FlushDenormals(m0 + (g - m0) * b1);
                    var vi = FlushDenormals(v0 + (g * g - v0) * b2);
                    mi.CopyTo(M.AsSpan(i, 8));
                    vi.CopyTo(V.AsSpan(i, 8));
                    (Vector256.Create(W.AsSpan(i, 8)) - a * mi / (Vector256.Sqrt(vi) + eps)).CopyTo(W.AsSpan(i, 8));
                }
            }
            for (; i < e; i++)
            {
                float g = G[i];
                float mi = FlushDenormal(M[i] + (g - M[i]) * (1f - beta1));
                float vi = FlushDenormal(V[i] + (g * g - V[i]) * (1f - beta2));
                M[i] = mi;
                V[i] = vi;
                if (H is not null) vi = H[i] = MathF.Max(H[i], vi);
                W[i] -= alpha * mi / (MathF.Sqrt(vi) + epsilon);
            }
        }
    }

    /// <summary>Optimizer state of dead units decays into float32 denormals, which are ~100x slower on x86;
    /// flushing them to zero (as TensorFlow's FTZ/DAZ does) changes results by less than float32 rounding.</summary>
    private static float FlushDenormal(float x) => MathF.Abs(x) < SmallestNormal ? 0f : x;

    private const float SmallestNormal = 1.17549435e-38f;

    private static Vector256<float> FlushDenormals(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(SmallestNormal)), Vector256<float>.Zero, x);
}
