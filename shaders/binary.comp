#version 450
// y = a ⊕ b with NumPy broadcasting. The host merges dimensions so at most 6 remain; a broadcast dimension has stride 0.
// Comparisons give 1 or 0 and are false for NaN (NotEqual true), spelled out with isnan so that no compiler's NaN
// assumptions decide them; Power is C's powf (include/math.glsl).
#include "common.glsl"
#include "math.glsl"

layout(constant_id = 2) const uint OP = 0u; // KerasGpu.Backend.BinaryOp

const uint ADD = 0u, SUBTRACT = 1u, MULTIPLY = 2u, DIVIDE = 3u, MAXIMUM = 4u, MINIMUM = 5u, POWER = 6u, GREATER = 7u,
    GREATER_EQUAL = 8u, LESS = 9u, LESS_EQUAL = 10u, EQUAL = 11u, NOT_EQUAL = 12u;

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
        bool unordered = isnan(u) || isnan(v);
        if (OP == ADD) r = u + v;
        else if (OP == SUBTRACT) r = u - v;
        else if (OP == MULTIPLY) r = u * v;
        else if (OP == DIVIDE) r = u / v;
        else if (OP == MAXIMUM) r = nan_max(u, v);
        else if (OP == MINIMUM) r = nan_min(u, v);
        else if (OP == POWER) r = k_pow(u, v);
        else if (OP == GREATER) r = !unordered && u > v ? 1.0 : 0.0;
        else if (OP == GREATER_EQUAL) r = !unordered && u >= v ? 1.0 : 0.0;
        else if (OP == LESS) r = !unordered && u < v ? 1.0 : 0.0;
        else if (OP == LESS_EQUAL) r = !unordered && u <= v ? 1.0 : 0.0;
        else if (OP == EQUAL) r = !unordered && u == v ? 1.0 : 0.0;
        else r = unordered || u != v ? 1.0 : 0.0; // NOT_EQUAL
        y[i] = r;
    }
}
