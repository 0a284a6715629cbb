#version 450
// y[o, i] (+)= op over a of x[o, a, i]. PER_THREAD: one invocation per output walks the axis (many outputs);
// otherwise one workgroup per output and a workgroup reduction (few outputs, long axis).
#include "common.glsl"
#include "reduce.glsl"

layout(constant_id = 2) const uint OP = 0u; // KerasGpu.Backend.ReduceOp: 0 sum, 1 mean, 2 max, 3 min
layout(constant_id = 3) const bool PER_THREAD = true;
layout(constant_id = 4) const bool ACCUMULATE = false;
layout(constant_id = 5) const bool MERGE_SELECT = false; // a later chunk of a split axis: y = max(y, v) (min for Min)

const uint MAX = 2u, MIN = 3u;
const bool SELECT = OP == MAX || OP == MIN;
// The identity of the selection, and the NaN-propagating selection itself.
float selection_start() { return OP == MIN ? INF_F : -INF_F; }
float selected(float acc, float v) { return OP == MIN ? nan_min(acc, v) : nan_max(acc, v); }

layout(std430, binding = 0) buffer Y { float y[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };

// x_base, y_base: element offsets inside the bound windows; divisor: the whole axis length (Mean over a split axis).
layout(push_constant) uniform Push { uint outer; uint axis; uint inner; uint x_base; uint y_base; uint divisor; } pc;

float finish(float acc) { return OP == 1u ? acc * (1.0 / float(pc.divisor)) : acc; }

void store(uint o, float v)
{
    uint i = pc.y_base + o;
    y[i] = MERGE_SELECT ? selected(y[i], v) : ACCUMULATE ? y[i] + v : v;
}

void main()
{
    uint outputs = pc.outer * pc.inner;
    if (PER_THREAD)
    {
        GRID_STRIDE(o, outputs)
        {
            uint oo = o / pc.inner, ii = o - oo * pc.inner;
            uint base = pc.x_base + oo * pc.axis * pc.inner + ii;
            float acc = SELECT ? selection_start() : 0.0;
            for (uint a = 0u; a < pc.axis; a++)
            {
                float v = x[base + a * pc.inner];
                acc = SELECT ? selected(acc, v) : acc + v;
            }
            store(o, finish(acc));
        }
        return;
    }
    ROW_STRIDE(o, outputs)
    {
        uint oo = o / pc.inner, ii = o - oo * pc.inner;
        uint base = pc.x_base + oo * pc.axis * pc.inner + ii;
        float acc = SELECT ? selection_start() : 0.0;
        for (uint a = gl_LocalInvocationID.x; a < pc.axis; a += gl_WorkGroupSize.x)
        {
            float v = x[base + a * pc.inner];
            acc = SELECT ? selected(acc, v) : acc + v;
        }
        // min(v) = −max(−v), NaN kept (the workgroup max counts NaNs).
        acc = OP == MAX ? wg_max(acc) : OP == MIN ? -wg_max(-acc) : wg_sum(acc);
        if (gl_LocalInvocationID.x == 0u) store(o, finish(acc));
    }
}
