// RandomUniform's body, shared by random.comp (hardware fma) and random_exact.comp (fma emulated in float64 for
// drivers, like lavapipe, whose fma may be split into a multiply and an add). The including shader defines
// float uniform_fma(float u, float range, float low), which must round once, as IEEE fma does.
#ifndef KERAS_RANDOM_GLSL
#define KERAS_RANDOM_GLSL
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

// Element i uses counter offset + i/4 (64-bit, with carry), word i mod 4; (bits >> 8)·2^-24, then fma(u, range, low);
// a value that rounds up to high becomes the largest float below it.
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
            float v = uniform_fma(float(bits[w] >> 8) * (1.0 / 16777216.0), pc.range, pc.low);
            y[i] = v < pc.high ? v : pc.below_high;
        }
    }
}
#endif
