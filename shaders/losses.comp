#version 450
// Per-row losses and their gradients, one workgroup per row. Sparse targets are int32 labels read through the same
// binding (bit-cast); a label outside [0, cols) gives NaN, since a kernel cannot throw.
#include "common.glsl"
#include "reduce.glsl"

layout(constant_id = 2) const uint MODE = 0u; // 0 softmax-CE, 1 its gradient, 2 CE, 3 its gradient, 4 squared error, 5 its gradient
layout(constant_id = 3) const bool SPARSE = false;

layout(std430, binding = 0) buffer Out { float o[]; };           // probabilities / gradient / row loss
layout(std430, binding = 1) readonly buffer In { float p[]; };   // logits or probabilities / predictions
layout(std430, binding = 2) readonly buffer T { float t[]; };    // targets (float rows or int32 labels)
layout(std430, binding = 3) buffer Aux { float aux[]; };         // row loss (mode 0) or row loss gradient (1, 3, 5)

layout(push_constant) uniform Push { uint rows; uint cols; float epsilon; } pc;

float target(uint r, uint j, int label) { return SPARSE ? (int(j) == label ? 1.0 : 0.0) : t[r * pc.cols + j]; }

void main()
{
    uint lid = gl_LocalInvocationID.x, n = gl_WorkGroupSize.x, cols = pc.cols;
    ROW_STRIDE(r, pc.rows)
    {
        uint base = r * cols;
        int label = SPARSE ? floatBitsToInt(t[r]) : -1;
        bool bad = SPARSE && (label < 0 || label >= int(cols));
        if (MODE == 0u)
        {
            float m = -INF_F;
            for (uint j = lid; j < cols; j += n) m = nan_max(m, p[base + j]);
            m = wg_max(m);
            float s = 0.0, mass = 0.0, tz = 0.0;
            for (uint j = lid; j < cols; j += n)
            {
                float z = p[base + j], tj = target(r, j, label);
                s += k_exp(z - m);
                mass += tj;
                tz += tj * z;
            }
            s = wg_sum(s);
            mass = wg_sum(mass);
            tz = wg_sum(tz);
            for (uint j = lid; j < cols; j += n) o[base + j] = k_exp(p[base + j] - m) / s;
            float lse = m + k_log(s);
            if (lid == 0u) aux[r] = bad ? NAN_F : SPARSE ? lse - p[base + uint(label)] : lse * mass - tz;
        }
        else if (MODE == 1u)
        {
            float g = aux[r];
            float mass = 0.0;
            if (!SPARSE) { for (uint j = lid; j < cols; j += n) mass += t[base + j]; }
            mass = SPARSE ? 1.0 : wg_sum(mass);
            for (uint j = lid; j < cols; j += n)
            {
                float pj = p[base + j];
                o[base + j] = bad ? NAN_F : SPARSE ? (int(j) == label ? pj * g - g : pj * g) : g * (pj * mass - t[base + j]);
            }
        }
        else if (MODE == 2u || MODE == 3u)
        {
            float s = 0.0;
            for (uint j = lid; j < cols; j += n) s += p[base + j];
            s = wg_sum(s);
            float eps = pc.epsilon;
            if (MODE == 2u)
            {
                float loss = 0.0;
                for (uint j = lid; j < cols; j += n)
                {
                    float tj = target(r, j, label);
                    if (SPARSE && tj == 0.0) continue;
                    loss -= tj * k_log(clamp(p[base + j] / s, eps, 1.0 - eps));
                }
                loss = wg_sum(loss);
                if (lid == 0u) o[r] = bad ? NAN_F : loss;
            }
            else
            {
                // u_j = dL/dq_j for q = p/s (zero where the clip is active); dL/dp_k = g·(u_k − Σ u·q)/s.
                float uq = 0.0;
                for (uint j = lid; j < cols; j += n)
                {
                    float q = p[base + j] / s;
                    float u = q > eps && q < 1.0 - eps ? -target(r, j, label) / q : 0.0;
                    uq += u * q;
                }
                uq = wg_sum(uq);
                float g = aux[r];
                for (uint j = lid; j < cols; j += n)
                {
                    float q = p[base + j] / s;
                    float u = q > eps && q < 1.0 - eps ? -target(r, j, label) / q : 0.0;
                    o[base + j] = bad ? NAN_F : g * (u - uq) / s;
                }
            }
        }
        else if (MODE == 4u)
        {
            float d2 = 0.0;
            for (uint j = lid; j < cols; j += n) { float d = p[base + j] - t[base + j]; d2 += d * d; }
            d2 = wg_sum(d2);
            if (lid == 0u) o[r] = d2 / float(cols);
        }
        else
        {
            float scale = 2.0 * aux[r] / float(cols);
            for (uint j = lid; j < cols; j += n) o[base + j] = (p[base + j] - t[base + j]) * scale;
        }
    }
}
