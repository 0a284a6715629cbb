#version 450
// Elementwise activations: forward y = act(x); backward dx = dy·act'(x) from the output y.
#include "common.glsl"

layout(constant_id = 2) const uint ACT = 0u;
layout(constant_id = 3) const bool BACKWARD = false;

layout(std430, binding = 0) buffer Out { float o[]; };
layout(std430, binding = 1) readonly buffer In { float xin[]; };   // forward: x; backward: y
layout(std430, binding = 2) readonly buffer Grad { float dy[]; };  // backward only

layout(push_constant) uniform Push { uint count; } pc;

void main()
{
    GRID_STRIDE(i, pc.count)
    {
        if (!BACKWARD) { o[i] = activate(ACT, xin[i]); continue; }
        float y = xin[i], g = dy[i];
        if (ACT == ACT_RELU) o[i] = y > 0.0 ? g : 0.0;
        else if (ACT == ACT_SIGMOID) o[i] = g * y * (1.0 - y);
        else if (ACT == ACT_TANH) o[i] = g * (1.0 - y * y);
        else o[i] = g;
    }
}
