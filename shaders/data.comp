#version 450
// Data movement on raw 32-bit words (float32 and int32 alike, bit for bit): Fill, Copy and GatherRows.
// Buffers are bound as windows (see VulkanBackend.Bind); *_base are the element offsets inside those windows.
#include "common.glsl"

layout(constant_id = 2) const uint MODE = 0u; // 0 fill, 1 copy, 2 gather rows

layout(std430, binding = 0) buffer Y { uint y[]; };
layout(std430, binding = 1) readonly buffer X { uint x[]; };
layout(std430, binding = 2) readonly buffer Idx { int idx[]; };

layout(push_constant) uniform Push
{
    uint count;      // fill/copy: elements; gather: count·rowLength
    uint value;      // fill: the float's bits
    uint x_base;
    uint y_base;
    uint idx_base;
    uint row_length; // gather
    uint row_first;  // gather: the first row of x inside the bound window, and how many rows it holds
    uint row_count;
} pc;

void main()
{
    GRID_STRIDE(i, pc.count)
    {
        if (MODE == 0u) y[pc.y_base + i] = pc.value;
        else if (MODE == 1u) y[pc.y_base + i] = x[pc.x_base + i];
        else
        {
            uint r = i / pc.row_length, c = i - r * pc.row_length;
            uint row = uint(idx[pc.idx_base + r]) - pc.row_first; // a negative index wraps far out of range
            if (row < pc.row_count) y[pc.y_base + i] = x[pc.x_base + row * pc.row_length + c];
        }
    }
}
