#version 450
// y = op(x) elementwise, the op (KerasGpu.Backend.UnaryOp) a specialization constant. y may alias x (element i is read
// before it is written). The transcendental ops use include/math.glsl, not GLSL's builtins (see there).
#include "common.glsl"
#include "math.glsl"

layout(constant_id = 2) const uint OP = 0u;

layout(std430, binding = 0) buffer Y { float y[]; };
layout(std430, binding = 1) buffer X { float x[]; };

layout(push_constant) uniform Push { uint count; } pc;

const uint NEGATIVE = 0u, ABS = 1u, SIGN = 2u, SQUARE = 3u, SQRT = 4u, RECIPROCAL = 5u, EXP = 6u, EXPM1 = 7u, LOG = 8u,
    LOG1P = 9u, SIN = 10u, COS = 11u, TANH = 12u, SIGMOID = 13u, SOFTPLUS = 14u, ERF = 15u, FLOOR = 16u, CEIL = 17u,
    ROUND = 18u;

float apply(float v)
{
    if (OP == NEGATIVE) return -v;
    if (OP == ABS) return abs(v);
    if (OP == SIGN) return v > 0.0 ? 1.0 : v < 0.0 ? -1.0 : v; // ±0 and NaN pass through
    if (OP == SQUARE) return v * v;
    if (OP == SQRT) return k_sqrt(v);
    if (OP == RECIPROCAL) return k_reciprocal(v);
    if (OP == EXP) return k_exp(v);
    if (OP == EXPM1) return k_expm1(v);
    if (OP == LOG) return k_log_any(v);
    if (OP == LOG1P) return k_log1p(v);
    if (OP == SIN) return k_sincos(v, false);
    if (OP == COS) return k_sincos(v, true);
    if (OP == TANH) return isnan(v) ? v : k_tanh(v);
    if (OP == SIGMOID) return k_sigmoid(v);
    if (OP == SOFTPLUS) return k_softplus(v);
    if (OP == ERF) return k_erf(v);
    if (OP == FLOOR) return floor(v);
    if (OP == CEIL) return ceil(v);
    return roundEven(v);
}

void main()
{
    GRID_STRIDE(i, pc.count) y[i] = apply(x[i]);
}
