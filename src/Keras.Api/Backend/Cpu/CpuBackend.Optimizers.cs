using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void SgdUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer? momentum, long count,
        float learningRate, float momentumFactor, bool nesterov)
    {
        var body = new SgdBody(Cpu(weights).FloatArray, Cpu(gradients).FloatArray, momentum is null ? null : Cpu(momentum).FloatArray,
            learningRate, momentumFactor, nesterov, VectorBits);
        ForChunks((int)count, count * 4.0, ref body, align: ElementAlign);
    }

    private readonly struct SgdBody(float[] W, float[] G, float[]? M, float learningRate, float momentumFactor, bool nesterov,
        int vectorBits) : IChunkBody, IVectorLoop
    {
        public void Run(int s, int e)
        {
            if (e > W.Length || e > G.Length || (M is not null && e > M.Length)) throw new ArgumentOutOfRangeException(nameof(e));
            int i = VectorLoop.Run(this, vectorBits, s, e);
            for (; i < e; i++)
            {
                if (M is null) { W[i] -= learningRate * G[i]; continue; }
                float m = momentumFactor * M[i] - learningRate * G[i];
                M[i] = m;
                W[i] += nesterov ? momentumFactor * m - learningRate * G[i] : m;
            }
        }

        /// <summary>The update on whole vectors from <paramref name="s"/>, unchecked (the caller checked the range), with
        /// the scalar loop's operations in its order; returns where the scalar tail starts.</summary>
        public int Vectorized<S, T>(int s, int e) where S : ISimd<T> where T : struct
        {
            if (e - s < S.Count) return s;
            T lr = S.Broadcast(learningRate), mf = S.Broadcast(momentumFactor);
            ref float w = ref W[0], g0 = ref G[0];
            int i = s;
            if (M is null)
            {
                for (; i + S.Count <= e; i += S.Count) // w -= lr·g
                    S.Store(S.Subtract(S.Load(ref w, (nuint)i), S.Multiply(lr, S.Load(ref g0, (nuint)i))), ref w, (nuint)i);
                return i;
            }
            ref float m0 = ref M[0];
            for (; i + S.Count <= e; i += S.Count)
            {
                // m = mf·m - lr·g; w += nesterov ? mf·m - lr·g : m
                var step = S.Multiply(lr, S.Load(ref g0, (nuint)i));
                var m = S.Subtract(S.Multiply(mf, S.Load(ref m0, (nuint)i)), step);
                S.Store(m, ref m0, (nuint)i);
                S.Store(S.Add(S.Load(ref w, (nuint)i), nesterov ? S.Subtract(S.Multiply(mf, m), step) : m), ref w, (nuint)i);
            }
            return i;
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
        float momentumFactor, float epsilon, int vectorBits) : IChunkBody, IVectorLoop
    {
        public void Run(int s, int e)
        {
            int i = s;
            if (A is null && M is null)
            {
                // Keras' default RMSprop (no momentum, not centered) a vector at a time, with the same operations in the
                // same order as the scalar loop below, so both give the same bits.
                if (e > W.Length || e > G.Length || e > V.Length) throw new ArgumentOutOfRangeException(nameof(e));
                i = VectorLoop.Run(this, vectorBits, s, e);
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
        public int Vectorized<S, T>(int s, int e) where S : ISimd<T>
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
            vHat is null ? null : Cpu(vHat).FloatArray, alpha, beta1, beta2, epsilon, VectorBits);
        ForChunks((int)count, count * 8.0, ref body, align: ElementAlign);
    }

    private readonly struct AdamBody(float[] W, float[] G, float[] M, float[] V, float[]? H, float alpha, float beta1, float beta2,
        float epsilon, int vectorBits) : IChunkBody, IVectorLoop
    {
        public void Run(int s, int e)
        {
            int i = s;
            if (H is null)
            {
                // Adam without AMSGrad a vector at a time; same operations and order as the scalar loop below.
                if (e > W.Length || e > G.Length || e > M.Length || e > V.Length) throw new ArgumentOutOfRangeException(nameof(e));
                i = VectorLoop.Run(this, vectorBits, s, e);
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

        /// <summary>The update on whole vectors from <paramref name="s"/>, unchecked (the caller checked the range);
        /// returns where the scalar tail starts.</summary>
        public int Vectorized<S, T>(int s, int e) where S : ISimd<T> where T : struct
        {
            if (e - s < S.Count) return s;
            T b1 = S.Broadcast(1f - beta1), b2 = S.Broadcast(1f - beta2), a = S.Broadcast(alpha), eps = S.Broadcast(epsilon),
                smallest = S.Broadcast(SmallestNormal);
            ref float w = ref W[0], g0 = ref G[0], m0 = ref M[0], v0 = ref V[0];
            int i = s;
            for (; i + S.Count <= e; i += S.Count)
            {
                // m = flush(m + (g - m)·(1 - β1)); v = flush(v + (g·g - v)·(1 - β2)); w -= α·m / (sqrt(v) + ε)
                var g = S.Load(ref g0, (nuint)i);
                var m = S.Load(ref m0, (nuint)i);
                var v = S.Load(ref v0, (nuint)i);
                m = S.ZeroBelow(S.Add(m, S.Multiply(S.Subtract(g, m), b1)), smallest);
                v = S.ZeroBelow(S.Add(v, S.Multiply(S.Subtract(S.Multiply(g, g), v), b2)), smallest);
                S.Store(m, ref m0, (nuint)i);
                S.Store(v, ref v0, (nuint)i);
                S.Store(S.Subtract(S.Load(ref w, (nuint)i), S.Divide(S.Multiply(a, m), S.Add(S.Sqrt(v), eps))), ref w, (nuint)i);
            }
            return i;
        }
    }

    /// <summary>Optimizer state of dead units decays into float32 denormals, which are ~100x slower on x86;
    /// flushing them to zero (as TensorFlow's FTZ/DAZ does) changes results by less than float32 rounding.</summary>
    private static float FlushDenormal(float x) => MathF.Abs(x) < SmallestNormal ? 0f : x;

    private const float SmallestNormal = 1.17549435e-38f;
}
