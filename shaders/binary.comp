#version 450
// y = a ⊕ b with NumPy broadcasting. The host merges dimensions so at most 6 remain; a broadcast dimension has stride 0.
#include "common.glsl"

layout(constant_id = 2) const uint OP = 0u; // KerasGpu.Backend.BinaryOp

layout(std430, binding = 0) writeonly buffer Y { float y[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };

layout(push_constant) uniform Push
{
    uint count;
    uint rank;
    uint shape[6];
    uint a_stride[6];
    uint b_stride[6];
} pc;

void main()
{
    GRID_STRIDE(i, pc.count)
    {
        uint rest = i, ai = 0u, bi = 0u;
        for (int d = int(pc.rank) - 1; d >= 0; d--)
        {
            uint c = rest % pc.shape[d];
            rest /= pc.shape[d];
            ai += c * pc.a_stride[d];
            bi += c * pc.b_stride[d];
        }
        float u = a[ai], v = b[bi], r;
        if (OP == 0u) r = u + v;
        else if (OP == 1u) r = u - v;
        else if (OP == 2u) r = u * v;
        else if (OP == 3u) r = u / v;
        else if (OP == 4u) r = nan_max(u, v);
        else r = nan_min(u, v);
        y[i] = r;
    }
}
