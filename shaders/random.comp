#version 450
// Uniform floats from Philox-4x32-10, bit-identical to KerasGpu.Backend.Philox.Uniform, with the hardware fma
// (used where the device has no float64; GPUs fuse GLSL fma).
#include "common.glsl"

float uniform_fma(float u, float range, float low)
{
    precise float v = fma(u, range, low);
    return v;
}

#include "random.glsl"
