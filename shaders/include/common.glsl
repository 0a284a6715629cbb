// Shared by every kernel: the workgroup size as specialization constant 0, the grid-stride loop, NaN-propagating
// selections, and float32 transcendentals accurate to a few ulps on every driver (GLSL's exp/log/tanh carry no such
// bound: Vulkan allows 3 + 2|x| ulps for exp and an absolute 2^-21 for log).
#ifndef KERAS_COMMON_GLSL
#define KERAS_COMMON_GLSL

layout(local_size_x_id = 0) in;

// Every invocation walks [0, n) with the whole dispatch's stride, so any n fits any (bounded) workgroup count.
#define GRID_STRIDE(i, n) for (uint i = gl_GlobalInvocationID.x; i < (n); i += gl_NumWorkGroups.x * gl_WorkGroupSize.x)
// One workgroup per row: rows beyond the workgroup count are taken by the same workgroup in later turns.
#define ROW_STRIDE(r, rows) for (uint r = gl_WorkGroupID.x; r < (rows); r += gl_NumWorkGroups.x)

#define NAN_F uintBitsToFloat(0x7fc00000u)
#define INF_F uintBitsToFloat(0x7f800000u)
const float SMALLEST_NORMAL = 1.17549435e-38;

float nan_max(float a, float b) { return isnan(a) || isnan(b) ? NAN_F : max(a, b); }
float nan_min(float a, float b) { return isnan(a) || isnan(b) ? NAN_F : min(a, b); }

// 2^k as a float for k in [−126, 127] (multiplying by it overflows and underflows as IEEE arithmetic does).
float pow2i(int k) { return uintBitsToFloat(uint(k + 127) << 23); }

// e^r · 2^n for a Cody-Waite-reduced r (|r| ≤ ln2/2): the series to r^7, then 2^n in two factors built from their
// bits (lavapipe's ldexp is off by up to 4e-6 relative at |n| ≈ 100). Shared by k_exp and k_exp2f (math.glsl).
float k_exp_reduced(float r, float n)
{
    float p = 1.0 / 5040.0;
    p = fma(p, r, 1.0 / 720.0);
    p = fma(p, r, 1.0 / 120.0);
    p = fma(p, r, 1.0 / 24.0);
    p = fma(p, r, 1.0 / 6.0);
    p = fma(p, r, 0.5);
    p = fma(p, r, 1.0);
    p = fma(p, r, 1.0);
    int e = int(n);
    return p * pow2i(e / 2) * pow2i(e - e / 2);
}

// exp(x): x = n·ln2 + r (Cody-Waite, |r| ≤ ln2/2), exp(r) by its Taylor polynomial to r^7 (error < 6e-9 relative),
// scaled by 2^n in two steps so that results near FLT_MAX do not overflow on the way.
float k_exp(float x)
{
    if (isnan(x)) return x;
    if (x > 88.72284) return INF_F;
    if (x < -103.972) return 0.0;
    float n = floor(x * 1.44269504 + 0.5);
    // n·ln2_hi is exact (ln2_hi has 15 significant bits), and so is x − n·ln2_hi. Plain precise operations, not fma:
    // lavapipe lowers fma to a multiply and an add that NIR may then refold into x − n·ln2 (4e-6 relative at |n| = 100).
    precise float r = x - n * 0.693145751953125;
    r = r - n * 1.4286068203094172e-06;
    return k_exp_reduced(r, n);
}

// log(x) = e·ln2 + 2·atanh(s), s = (m − 1)/(m + 1) for m in [√½, √2): |s| < 0.172, series to s^11.
float k_log(float x)
{
    if (isnan(x) || x < 0.0) return NAN_F;
    if (x == 0.0) return -INF_F;
    if (isinf(x)) return x;
    int e;
    float m = frexp(x, e);
    if (m < 0.70710678) { m *= 2.0; e -= 1; }
    float s = (m - 1.0) / (m + 1.0);
    float s2 = s * s;
    float p = 1.0 / 11.0;
    p = fma(p, s2, 1.0 / 9.0);
    p = fma(p, s2, 1.0 / 7.0);
    p = fma(p, s2, 1.0 / 5.0);
    p = fma(p, s2, 1.0 / 3.0);
    p = fma(p, s2, 1.0);
    float fe = float(e);
    precise float result = fe * 0.693145751953125 + (fe * 1.4286068203094172e-06 + 2.0 * s * p);
    return result;
}

// tanh: small |x| from expm1(2|x|) by its Taylor series (no cancellation), large |x| as 1 − 2/(exp(2|x|) + 1).
float k_tanh(float x)
{
    float a = abs(x);
    float t;
    if (a < 0.55)
    {
        float u = 2.0 * a;
        float e = 1.0 + u / 13.0;
        e = fma(u / 12.0, e, 1.0); e = fma(u / 11.0, e, 1.0); e = fma(u / 10.0, e, 1.0);
        e = fma(u / 9.0, e, 1.0); e = fma(u / 8.0, e, 1.0); e = fma(u / 7.0, e, 1.0);
        e = fma(u / 6.0, e, 1.0); e = fma(u / 5.0, e, 1.0); e = fma(u / 4.0, e, 1.0);
        e = fma(u / 3.0, e, 1.0); e = fma(u / 2.0, e, 1.0);
        float em1 = u * e;
        t = em1 / (em1 + 2.0);
    }
    else t = 1.0 - 2.0 / (k_exp(2.0 * a) + 1.0);
    return x < 0.0 ? -t : t;
}

float k_sigmoid(float x) { return 1.0 / (1.0 + k_exp(-x)); }

// Activation selectors (KerasGpu.Backend.ActivationKind).
const uint ACT_LINEAR = 0u, ACT_RELU = 1u, ACT_SIGMOID = 2u, ACT_TANH = 3u;

float activate(uint kind, float x)
{
    if (kind == ACT_RELU) return x > 0.0 || isnan(x) ? x : 0.0;
    if (kind == ACT_SIGMOID) return k_sigmoid(x);
    if (kind == ACT_TANH) return k_tanh(x);
    return x;
}

float flush_denormal(float x) { return abs(x) < SMALLEST_NORMAL ? 0.0 : x; }

#endif
