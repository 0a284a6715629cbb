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

// m, n, k: this dispatch's block (a window of Y's rows and of the k axis); lda, ldb: the stored row strides of A and B;
// a_base, b_base, y_base: element offsets of the block's first element inside the bound windows.
layout(push_constant) uniform Push { uint m; uint n; uint k; uint lda; uint ldb; uint a_base; uint b_base; uint y_base; } pc;

// op(A)[i, p]: A stored [m, k], or [k, m] when transposed; op(B)[p, j]: B stored [k, n], or [n, k] when transposed.
float a_at(uint i, uint p) { return TRANS_A ? a[pc.a_base + p * pc.lda + i] : a[pc.a_base + i * pc.lda + p]; }
float b_at(uint p, uint j) { return TRANS_B ? b[pc.b_base + j * pc.ldb + p] : b[pc.b_base + p * pc.ldb + j]; }

void epilogue(uint i, uint j, float acc)
{
    uint o = pc.y_base + i * pc.n + j;
    if (ACCUMULATE) acc += y[o];
    if (HAS_BIAS) acc += bias[j];
    y[o] = activate(ACT, acc);
}
#endif
