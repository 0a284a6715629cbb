#version 450
// Adds the batch's correct-row count to acc[0]: one workgroup (dispatched alone), rows split over its invocations,
// a workgroup sum, one read-modify-write by invocation 0 — deterministic, no float atomics needed.
#include "common.glsl"
#include "reduce.glsl"

layout(constant_id = 2) const uint KIND = 0u; // KerasGpu.Backend.AccuracyKind

layout(std430, binding = 0) buffer Acc { float acc[]; };
layout(std430, binding = 1) readonly buffer P { float p[]; };
layout(std430, binding = 2) readonly buffer T { float t[]; };

layout(push_constant) uniform Push { uint rows; uint cols; } pc;

uint argmax_p(uint base)
{
    uint best = 0u;
    for (uint j = 1u; j < pc.cols; j++) if (p[base + j] > p[base + best]) best = j;
    return best;
}

uint argmax_t(uint base)
{
    uint best = 0u;
    for (uint j = 1u; j < pc.cols; j++) if (t[base + j] > t[base + best]) best = j;
    return best;
}

void main()
{
    float correct = 0.0;
    for (uint r = gl_LocalInvocationID.x; r < pc.rows; r += gl_WorkGroupSize.x)
    {
        uint base = r * pc.cols;
        if (KIND == 0u) correct += int(argmax_p(base)) == floatBitsToInt(t[r]) ? 1.0 : 0.0;
        else if (KIND == 1u) correct += argmax_p(base) == argmax_t(base) ? 1.0 : 0.0;
        else
        {
            float matches = 0.0;
            for (uint j = 0u; j < pc.cols; j++) matches += (p[base + j] > 0.5 ? 1.0 : 0.0) == t[base + j] ? 1.0 : 0.0;
            correct += matches / float(pc.cols);
        }
    }
    correct = wg_sum(correct);
    if (gl_LocalInvocationID.x == 0u && gl_WorkGroupID.x == 0u) acc[0] += correct;
}
