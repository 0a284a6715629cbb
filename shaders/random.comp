#version 450
// Uniform floats from Philox-4x32-10, bit-identical to KerasGpu.Backend.Philox.Uniform: element i uses counter
// offset + i/4, word i mod 4; fma(u, high − low, low), and a value that rounds up to high becomes the float below it.
#include "common.glsl"
#include "philox.glsl"

layout(std430, binding = 0) writeonly buffer Y { float y[]; };

layout(push_constant) uniform Push
{
    uint count;
    uint first;      // the element index of y[0] in the whole tensor (a multiple of 4)
    uvec2 key;
    uvec2 offset;
    float low;
    float range;     // high − low, rounded as the host rounds it
    float high;
    float below_high;
} pc;

void main()
{
    uint blocks = (pc.count + 3u) / 4u;
    GRID_STRIDE(b, blocks)
    {
        uint block = pc.first / 4u + b;
        uint carry;
        uint lo = uaddCarry(pc.offset.x, block, carry);
        uvec4 bits = philox4x32_10(uvec2(lo, pc.offset.y + carry), pc.key);
        for (uint w = 0u; w < 4u; w++)
        {
            uint i = b * 4u + w;
            if (i >= pc.count) break;
            precise float v = fma(float(bits[w] >> 8) * (1.0 / 16777216.0), pc.range, pc.low);
            y[i] = v < pc.high ? v : pc.below_high;
        }
    }
}
