#version 450
// y = condition ≠ 0 ? a : b elementwise (a NaN condition counts as ≠ 0). A selection, not arithmetic: the untaken
// branch's value, NaN included, never reaches y. y may alias any input.
#include "common.glsl"

layout(std430, binding = 0) buffer Y { float y[]; };
layout(std430, binding = 1) buffer C { float c[]; };
layout(std430, binding = 2) buffer A { float a[]; };
layout(std430, binding = 3) buffer B { float b[]; };

layout(push_constant) uniform Push { uint count; } pc;

void main()
{
    GRID_STRIDE(i, pc.count)
    {
        float cond = c[i];
        y[i] = cond == 0.0 && !isnan(cond) ? b[i] : a[i];
    }
}
