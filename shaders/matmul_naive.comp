#version 450
// The readable reference MatMul: one invocation per output element, a plain dot product over k. Used for small shapes.
#include "common.glsl"
#include "matmul.glsl"

void main()
{
    GRID_STRIDE(o, pc.m * pc.n)
    {
        uint i = o / pc.n, j = o - i * pc.n;
        float acc = 0.0;
        for (uint p = 0u; p < pc.k; p++) acc = fma(a_at(i, p), b_at(p, j), acc);
        epilogue(i, j, acc);
    }
}
