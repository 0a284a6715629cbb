#version 450
// Strided copies on raw 32-bit words (float32 and int32 alike, bit for bit): over an index space of up to 8 dimensions,
// y[y_base + Σ i_d·y_stride_d] = x[x_base + Σ i_d·x_stride_d]. CopyStrided is two dimensions (rows × row length),
// Permute has y contiguous and x's strides permuted. The host merges and windows dimensions (VulkanBackend.Strided).
#include "common.glsl"

layout(std430, binding = 0) writeonly buffer Y { uint y[]; };
layout(std430, binding = 1) readonly buffer X { uint x[]; };

layout(push_constant) uniform Push
{
    uint count;
    uint rank;
    uint x_base;
    uint y_base;
    uint shape[8];
    uint x_stride[8];
    uint y_stride[8];
} pc;

void main()
{
    GRID_STRIDE(i, pc.count)
    {
        uint rest = i, xi = pc.x_base, yi = pc.y_base;
        for (int d = int(pc.rank) - 1; d >= 0; d--)
        {
            uint c = rest % pc.shape[d];
            rest /= pc.shape[d];
            xi += c * pc.x_stride[d];
            yi += c * pc.y_stride[d];
        }
        y[yi] = x[xi];
    }
}
