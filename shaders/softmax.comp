#version 450
// Softmax along rows, one workgroup per row. Forward: y = exp(x − max)/Σ; backward: dx = y·(dy − Σ y·dy).
#include "common.glsl"
#include "reduce.glsl"

layout(constant_id = 2) const bool BACKWARD = false;

layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer In { float xin[]; };  // forward: x; backward: y
layout(std430, binding = 2) readonly buffer Grad { float dy[]; }; // backward only

layout(push_constant) uniform Push { uint rows; uint cols; } pc;

void main()
{
    uint lid = gl_LocalInvocationID.x, n = gl_WorkGroupSize.x;
    ROW_STRIDE(r, pc.rows)
    {
        uint base = r * pc.cols;
        if (BACKWARD)
        {
            float dot = 0.0;
            for (uint j = lid; j < pc.cols; j += n) dot += xin[base + j] * dy[base + j];
            dot = wg_sum(dot);
            for (uint j = lid; j < pc.cols; j += n) o[base + j] = (dy[base + j] - dot) * xin[base + j];
            continue;
        }
        float m = -INF_F;
        for (uint j = lid; j < pc.cols; j += n) m = nan_max(m, xin[base + j]);
        m = wg_max(m);
        float s = 0.0;
        for (uint j = lid; j < pc.cols; j += n) s += k_exp(xin[base + j] - m);
        s = wg_sum(s);
        for (uint j = lid; j < pc.cols; j += n) o[base + j] = k_exp(xin[base + j] - m) / s;
    }
}
