// Shared by both MatMul shaders: the bindings, the shape, element access for the four transpose cases and the fused
// epilogue Y = act(acc (+ Y) + bias).
#ifndef KERAS_MATMUL_GLSL
#define KERAS_MATMUL_GLSL
layout(constant_id = 2) const bool TRANS_A = false;
layout(constant_id = 3) const bool TRANS_B = false;
layout(constant_id = 4) const uint ACT = 0u;
layout(constant_id = 5) const bool HAS_BIAS = false;
layout(constant_id = 6) const bool ACCUMULATE = false;

layout(std430, binding = 0) buffer Y { float y[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
layout(std430, binding = 3) readonly buffer Bias { float bias[]; };

layout(push_constant) uniform Push { uint m; uint n; uint k; } pc;

// op(A)[i, p]: A stored [m, k], or [k, m] when transposed; op(B)[p, j]: B stored [k, n], or [n, k] when transposed.
float a_at(uint i, uint p) { return TRANS_A ? a[p * pc.m + i] : a[i * pc.k + p]; }
float b_at(uint p, uint j) { return TRANS_B ? b[j * pc.k + p] : b[p * pc.n + j]; }

void epilogue(uint i, uint j, float acc)
{
    uint o = i * pc.n + j;
    if (ACCUMULATE) acc += y[o];
    if (HAS_BIAS) acc += bias[j];
    y[o] = activate(ACT, acc);
}
#endif
