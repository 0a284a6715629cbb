#version 450
// Data movement on raw 32-bit words (float32 and int32 alike, bit for bit): Fill, Copy and GatherRows; and Cast between
// int32 and float32 (int → float rounds to nearest even; float → int truncates toward zero and saturates, NaN giving 0,
// as .NET's conversion does).
// Buffers are bound as windows (see VulkanBackend.Bind); *_base are the element offsets inside those windows.
#include "common.glsl"

layout(constant_id = 2) const uint MODE = 0u; // 0 fill, 1 copy, 2 gather rows, 3 int32 → float32, 4 float32 → int32

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
        else if (MODE == 3u) y[pc.y_base + i] = floatBitsToUint(float(int(x[pc.x_base + i])));
        else if (MODE == 4u)
        {
            float v = uintBitsToFloat(x[pc.x_base + i]);
            // GLSL leaves out-of-range conversions undefined: saturate first (2^31 is the first float above int.MaxValue).
            int r = isnan(v) ? 0 : v >= 2147483648.0 ? 2147483647 : v <= -2147483648.0 ? int(0x80000000u) : int(v);
            y[pc.y_base + i] = uint(r);
        }
        else
        {
            uint r = i / pc.row_length, c = i - r * pc.row_length;
            uint row = uint(idx[pc.idx_base + r]) - pc.row_first; // a negative index wraps far out of range
            if (row < pc.row_count) y[pc.y_base + i] = x[pc.x_base + row * pc.row_length + c];
        }
    }
}
