#version 450
// Uniform floats from Philox-4x32-10, bit-identical to KerasGpu.Backend.Philox.Uniform on any driver: fma(u, range, low)
// rounded once, emulated in float64 — the product of two 24-bit significands is exact in a double, the sum is
// TwoSum-split into a double and its exact error, and the error breaks a tie at a float midpoint.
#include "common.glsl"

float step_toward(float f, bool up)
{
    uint bits = floatBitsToUint(f);
    if ((bits & 0x7fffffffu) == 0u) return up ? uintBitsToFloat(1u) : uintBitsToFloat(0x80000001u);
    return uintBitsToFloat(f > 0.0 == up ? bits + 1u : bits - 1u);
}

float uniform_fma(float u, float range, float low)
{
    precise double a = double(u) * double(range);
    precise double b = double(low);
    precise double s = a + b;
    precise double bb = s - a;
    precise double e = (a - (s - bb)) + (b - bb);
    float f = float(s);
    precise double d = double(f);
    if (e != 0.0 && d != s)
    {
        float g = step_toward(f, s > d);
        precise double mid = (d + double(g)) * 0.5;
        if (s == mid) f = (e > 0.0) == (double(g) > d) ? g : f;
    }
    return f;
}

#include "random.glsl"
