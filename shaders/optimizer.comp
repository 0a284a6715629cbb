#version 450
// Fused optimizer updates (Keras SGD, RMSprop, Adam), one invocation per parameter, with the denormal flush.
#include "common.glsl"

layout(constant_id = 2) const uint KIND = 0u;           // 0 SGD, 1 RMSprop, 2 Adam
layout(constant_id = 3) const bool HAS_MOMENTUM = false; // SGD/RMSprop momentum
layout(constant_id = 4) const bool NESTEROV = false;     // SGD
layout(constant_id = 5) const bool EXTRA = false;        // RMSprop centered (average gradient) / Adam AMSGrad (v̂)

layout(std430, binding = 0) buffer W { float w[]; };
layout(std430, binding = 1) readonly buffer G { float gr[]; };
layout(std430, binding = 2) buffer S0 { float s0[]; }; // SGD momentum / RMSprop velocity / Adam m
layout(std430, binding = 3) buffer S1 { float s1[]; }; // RMSprop momentum / Adam v
layout(std430, binding = 4) buffer S2 { float s2[]; }; // RMSprop average gradient / Adam v̂

layout(push_constant) uniform Push { uint count; float lr; float f0; float f1; float f2; } pc;

void main()
{
    GRID_STRIDE(i, pc.count)
    {
        float g = gr[i];
        if (KIND == 0u)
        {
            // f0 = momentum factor
            if (!HAS_MOMENTUM) { w[i] -= pc.lr * g; continue; }
            float m = pc.f0 * s0[i] - pc.lr * g;
            s0[i] = m;
            w[i] += NESTEROV ? pc.f0 * m - pc.lr * g : m;
        }
        else if (KIND == 1u)
        {
            // f0 = rho, f1 = momentum factor, f2 = epsilon
            float v = flush_denormal(pc.f0 * s0[i] + (1.0 - pc.f0) * g * g);
            s0[i] = v;
            float d = v;
            if (EXTRA)
            {
                float a = flush_denormal(pc.f0 * s2[i] + (1.0 - pc.f0) * g);
                s2[i] = a;
                d = v - a * a;
            }
            float inc = pc.lr * g / sqrt(d + pc.f2);
            if (!HAS_MOMENTUM) { w[i] -= inc; continue; }
            float m = flush_denormal(pc.f1 * s1[i] + inc);
            s1[i] = m;
            w[i] -= m;
        }
        else
        {
            // lr = alpha, f0 = beta1, f1 = beta2, f2 = epsilon
            float m = flush_denormal(s0[i] + (g - s0[i]) * (1.0 - pc.f0));
            float v = flush_denormal(s1[i] + (g * g - s1[i]) * (1.0 - pc.f1));
            s0[i] = m;
            s1[i] = v;
            if (EXTRA) { v = max(s2[i], v); s2[i] = v; }
            w[i] -= pc.lr * m / (sqrt(v) + pc.f2);
        }
    }
}
