#version 450
// y = alpha·x + beta·z, or alpha·x + beta without z. y may alias x or z (element i reads before it writes).
#include "common.glsl"

layout(constant_id = 2) const bool HAS_Z = true;

layout(std430, binding = 0) buffer Y { float y[]; };
layout(std430, binding = 1) buffer X { float x[]; };
layout(std430, binding = 2) buffer Z { float z[]; };

layout(push_constant) uniform Push { uint count; float alpha; float beta; } pc;

void main()
{
    GRID_STRIDE(i, pc.count)
    {
        float ax = pc.alpha * x[i];
        y[i] = HAS_Z ? ax + pc.beta * z[i] : ax + pc.beta;
    }
}
