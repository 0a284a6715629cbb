using ILGPU;
using ILGPU.Runtime;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>One fused kernel per optimizer, the CPU backend's formulas term for term (denormal state flushed).</summary>
internal static class OptimizerKernels
{
    public static void Sgd(Index1D index, ArrayView<float> w, ArrayView<float> g, ArrayView<float> m, OptimizerArgs p)
    {
        for (long i = index; i < p.Count; i += p.Stride)
        {
            if (p.HasMomentum == 0) { w[i] -= p.LearningRate * g[i]; continue; }
            float mi = p.Momentum * m[i] - p.LearningRate * g[i];
            m[i] = mi;
            w[i] += p.Nesterov != 0 ? p.Momentum * mi - p.LearningRate * g[i] : mi;
        }
    }

    public static void RmsProp(Index1D index, ArrayView<float> w, ArrayView<float> g, ArrayView<float> v, ArrayView<float> m,
        ArrayView<float> avg, OptimizerArgs p)
    {
        for (long i = index; i < p.Count; i += p.Stride)
        {
            float gi = g[i];
            float vi = KernelMath.FlushDenormal(p.Rho * v[i] + (1f - p.Rho) * gi * gi);
            v[i] = vi;
            float denominator = vi;
            if (p.HasAverage != 0)
            {
                float a = KernelMath.FlushDenormal(p.Rho * avg[i] + (1f - p.Rho) * gi);
                avg[i] = a;
                denominator = vi - a * a;
            }
            float increment = p.LearningRate * gi / MathF.Sqrt(denominator + p.Epsilon);
            if (p.HasMomentum == 0) { w[i] -= increment; continue; }
            float mi = KernelMath.FlushDenormal(p.Momentum * m[i] + increment);
            m[i] = mi;
            w[i] -= mi;
        }
    }

    public static void Adam(Index1D index, ArrayView<float> w, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v,
        ArrayView<float> vHat, OptimizerArgs p)
    {
        for (long i = index; i < p.Count; i += p.Stride)
        {
            float gi = g[i], m0 = m[i], v0 = v[i];
            float mi = KernelMath.FlushDenormal(m0 + (gi - m0) * (1f - p.Beta1));
            float vi = KernelMath.FlushDenormal(v0 + (gi * gi - v0) * (1f - p.Beta2));
            m[i] = mi;
            v[i] = vi;
            if (p.HasVHat != 0)
            {
                float h = vHat[i];
                vi = float.IsNaN(h) ? h : float.IsNaN(vi) || vi > h ? vi : h;
                vHat[i] = vi;
            }
            w[i] -= p.Alpha * mi / (MathF.Sqrt(vi) + p.Epsilon);
        }
    }
}
