// Float32 elementary functions of the unary and binary math kernels, written out rather than taken from GLSL: Vulkan
// bounds GLSL's sin/cos only in absolute terms inside [−π, π], log absolutely near 1, and pow as exp2(y·log2 x) with its
// error growing with |y·log x|. Measured on lavapipe (Mesa 22.3): exp 4e-6 relative near |x| = 87, log(0.9999999) 13%
// off, sin/cos of large arguments meaningless (sin(−2.49e14) = 1), tanh(1e-40) = 3e-8, pow(0, 0) = 0 and pow(0, −1) = 0.
// Each function here is built to be a few ulps from the exact value on any driver (measured on lavapipe: at most 2.2
// ulps; erf follows the CPU backend's algorithm and its bound) and follows the CPU backend's special-value rules (C's
// powf, Kahan's expm1/log1p). Driver fma may be unfused (lavapipe lowers it to a multiply and an add that NIR may
// refold), so nothing exact here depends on fma.
#ifndef KERAS_MATH_GLSL
#define KERAS_MATH_GLSL
#include "common.glsl"

bool sign_bit(float x) { return (floatBitsToUint(x) & 0x80000000u) != 0u; }

// ---- exact products and sums (every operation `precise`: no contraction into fma, no reassociation) --------------

// a·b = p + e exactly (Dekker's product with Veltkamp's split; not fma, which lavapipe splits into two roundings).
// |a|, |b| < 2^115 so that the split does not overflow.
void two_prod(float a, float b, out float p, out float e)
{
    precise float pp = a * b;
    precise float ta = 4097.0 * a;
    precise float ah = ta - (ta - a);
    precise float al = a - ah;
    precise float tb = 4097.0 * b;
    precise float bh = tb - (tb - b);
    precise float bl = b - bh;
    precise float err = ((ah * bh - pp) + ah * bl + al * bh) + al * bl;
    p = pp;
    e = err;
}

// ---- correctly rounded reciprocal and square root -------------------------------------------------------------------

// Vulkan allows 2.5 ulps for division and more for sqrt; one Newton step with an exact residual brings either to the
// correctly rounded value but in rare near-ties. Arguments whose residual could overflow or underflow are left as they are.
float k_reciprocal(float x)
{
    float q = 1.0 / x;
    if (!(abs(q) > 1e-30 && abs(q) < 1e30)) return q; // also NaN, ±0, ±∞
    float p, pe;
    two_prod(x, q, p, pe);
    precise float residual = (1.0 - p) - pe; // 1 − x·q, with 1 − p exact (p ≈ 1)
    precise float refined = q + q * residual;
    return refined;
}

float k_sqrt(float x)
{
    float y = sqrt(x);
    if (!(x > 1e-30 && x < 1e30)) return y; // also NaN, negatives, ±0, +∞
    float p, pe;
    two_prod(y, y, p, pe);
    precise float residual = (x - p) - pe; // x − y², with x − p exact (p ≈ x)
    precise float refined = y + residual * (0.5 / y);
    return refined;
}

// ---- exp and log in extended precision ----------------------------------------------------------------------------

// exp(h + l) for a pair with |l| ≤ ulp(h): the Cody-Waite reduction of k_exp with l folded into the reduced argument.
float k_exp2f(float h, float l)
{
    if (isnan(h)) return h;
    if (h > 89.0) return INF_F;
    if (h < -104.0) return 0.0;
    float n = floor(h * 1.44269504 + 0.5);
    precise float r = h - n * 0.693145751953125; // exact, as in k_exp
    r = (r - n * 1.4286068203094172e-06) + l;
    return k_exp_reduced(r, n);
}

// log(x) as hi + lo for a finite x > 0, within about 1e-9 relative (the series tail's float rounding; the tail is ≤ 1% of
// the sum): x = 2^e·m, m in [√½, √2), f = m − 1 (exact), log m = 2·atanh(s) with s = f/(2 + f) carried as s + s_lo.
void k_log_pair(float x, out float hi, out float lo)
{
    int shift = 0;
    if (x < SMALLEST_NORMAL) { x *= 16777216.0; shift = 24; } // frexp is undefined on denormals
    int e;
    float m = frexp(x, e);
    if (m < 0.70710678) { m *= 2.0; e -= 1; }
    e -= shift;
    precise float f = m - 1.0;
    precise float d = 2.0 + f;
    precise float s = f / d;
    // f − s·(2 + f) up to one rounding: f − 2s is exact (Sterbenz), and so is its difference with s·f's rounded part.
    float sf, sf_err;
    two_prod(s, f, sf, sf_err);
    precise float t = ((f - 2.0 * s) - sf) - sf_err;
    float s_lo = t / d;
    float s2 = s * s;
    float p = 2.0 / 17.0;
    p = fma(p, s2, 2.0 / 15.0);
    p = fma(p, s2, 2.0 / 13.0);
    p = fma(p, s2, 2.0 / 11.0);
    p = fma(p, s2, 2.0 / 9.0);
    p = fma(p, s2, 2.0 / 7.0);
    p = fma(p, s2, 2.0 / 5.0);
    p = fma(p, s2, 2.0 / 3.0);
    float fe = float(e);
    precise float a = fe * 0.693145751953125; // exact: ln2_hi has 15 significant bits, |e| < 2^8
    precise float b = 2.0 * s;
    precise float sum = a + b;
    precise float bv = sum - a;
    precise float err = (a - (sum - bv)) + (b - bv); // two-sum: sum + err = a + b exactly
    precise float tail = err + (2.0 * s_lo + (s * s2 * p + fe * 1.4286068203094172e-06));
    // Locals, not the out parameters, carry `precise` (an unqualified assignment would let NIR fold lo to 0).
    precise float h = sum + tail;
    precise float l = tail - (h - sum);
    hi = h;
    lo = l;
}

// ---- exp/log relatives ------------------------------------------------------------------------------------------

// log of any float: denormals scaled into the normal range first (frexp is undefined on them).
float k_log_any(float x)
{
    if (x > 0.0 && x < SMALLEST_NORMAL) return k_log(x * 16777216.0) - 16.635532333438686;
    return k_log(x);
}

// expm1 by Kahan's formula: u = exp(x) rounded, then (u − 1)·x / log u, whose errors cancel (u − 1 is exact and log u is
// the exact logarithm of the rounded u up to its own few ulps). x / log u is near 1, so nothing overflows.
float k_expm1(float x)
{
    if (isnan(x)) return x;
    float u = k_exp(x);
    if (u == 1.0) return x;
    precise float um1 = u - 1.0;
    if (um1 == -1.0 || isinf(u)) return um1;
    return um1 * (x / k_log(u));
}

// log1p by Kahan's formula: u = 1 + x rounded, then log(u)·x / (u − 1): the quotient restores the bits of x that u lost.
float k_log1p(float x)
{
    if (isnan(x)) return x;
    if (x < -1.0) return NAN_F;
    precise float u = 1.0 + x;
    if (u == 1.0) return x;
    if (isinf(u)) return u;
    precise float um1 = u - 1.0;
    return k_log(u) * (x / um1);
}

// softplus(x) = max(x, 0) + log1p(exp(−|x|)): neither overflows nor loses small values.
float k_softplus(float x)
{
    if (isnan(x)) return x;
    return max(x, 0.0) + k_log1p(k_exp(-abs(x)));
}

// ---- trigonometry ---------------------------------------------------------------------------------------------------

// 2/π in 32-bit words, most significant first, after one zero word (the window below may start left of the point).
const uint TWO_OVER_PI[8] = uint[8](0u, 0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u, 0x3c439041u, 0xfe5163abu);

// x = q·π/2 + r with |r| ≤ π/4, for |x| > π/4: Payne-Hanek, the 24-bit mantissa times the 96 bits of 2/π that matter
// for its exponent, in 32-bit integer arithmetic, exact on every driver (no int64, float64 or fused fma needed; a
// float Cody-Waite reduction needs a fused fma, and lavapipe's is not).
float trig_reduce(float x, out int q)
{
    uint bits = floatBitsToUint(x);
    uint mant = (bits & 0x007fffffu) | 0x00800000u; // |x| = mant·2^E
    int E = int((bits >> 23) & 0xffu) - 150;
    // The bits of 2/π of weight 2^-(E−1) down to 2^-(E+94) (earlier ones make multiples of 4 in mant·2^E·2/π): a 96-bit
    // integer W with |x|·2/π ≡ mant·W·2^-94 (mod 4). Bit position of the window's start in TWO_OVER_PI: 32 + E − 2.
    int pos = 30 + E;
    int k = pos >> 5, sh = pos & 31;
    uint w0 = TWO_OVER_PI[k], w1 = TWO_OVER_PI[k + 1], w2 = TWO_OVER_PI[k + 2], w3 = TWO_OVER_PI[k + 3];
    uint hi = sh == 0 ? w0 : (w0 << sh) | (w1 >> (32 - sh));
    uint mid = sh == 0 ? w1 : (w1 << sh) | (w2 >> (32 - sh));
    uint lo = sh == 0 ? w2 : (w2 << sh) | (w3 >> (32 - sh));
    // P = mant·W (the top word is not needed: it only holds multiples of 4).
    uint c0, p0, c1, p1, c2, p2, carry;
    umulExtended(mant, lo, c0, p0);
    umulExtended(mant, mid, c1, p1);
    p1 = uaddCarry(p1, c0, carry);
    c1 += carry;
    umulExtended(mant, hi, c2, p2);
    p2 += c1;
    // Bits 94-95 of P are the quadrant, bits 32-93 the fraction (62 bits); round to the nearest quadrant.
    int quadrant = int(p2 >> 30);
    uint fh = p2 & 0x3fffffffu, fl = p1;
    bool negative = (fh & 0x20000000u) != 0u;
    if (negative)
    {
        // The fraction minus one: negate the 62-bit value (two's complement) and count the next quadrant.
        quadrant += 1;
        fl = ~fl + 1u;
        fh = (~fh + (fl == 0u ? 1u : 0u)) & 0x3fffffffu;
    }
    float v = fma(float(fh), 4294967296.0, float(fl)) * 2.168404344971009e-19; // · 2^-62
    float r = fma(v, 1.57079637, v * -4.37113883e-08);                       // · π/2 as hi + lo
    if (negative) r = -r;
    if (x < 0.0) { r = -r; quadrant = -quadrant; }
    q = quadrant;
    return r;
}

// sin and cos on [−π/4, π/4]: Taylor series to r^11 and r^12 (truncation below 1e-11 relative), Horner in r².
float sin_kernel(float r)
{
    float r2 = r * r;
    float p = -1.0 / 39916800.0;
    p = fma(p, r2, 1.0 / 362880.0);
    p = fma(p, r2, -1.0 / 5040.0);
    p = fma(p, r2, 1.0 / 120.0);
    p = fma(p, r2, -1.0 / 6.0);
    return fma(r * r2, p, r);
}

float cos_kernel(float r)
{
    float r2 = r * r;
    float p = 1.0 / 479001600.0;
    p = fma(p, r2, -1.0 / 3628800.0);
    p = fma(p, r2, 1.0 / 40320.0);
    p = fma(p, r2, -1.0 / 720.0);
    p = fma(p, r2, 1.0 / 24.0);
    p = fma(p, r2, -0.5);
    return fma(r2, p, 1.0);
}

// sin(x) (cosine = true: cos(x)) from the quadrant: sin, cos, −sin, −cos of r for q ≡ 0, 1, 2, 3 (cos: one quadrant on).
float k_sincos(float x, bool cosine)
{
    if (isnan(x) || isinf(x)) return NAN_F;
    int q = 0;
    float r = abs(x) <= 0.785398163 ? x : trig_reduce(x, q);
    if (cosine) q += 1;
    float v = (q & 1) == 0 ? sin_kernel(r) : cos_kernel(r);
    return (q & 2) == 0 ? v : -v;
}

// ---- power ------------------------------------------------------------------------------------------------------------

// C's powf: pow(x, ±0) = 1 and pow(1, y) = 1 even for NaN; NaN otherwise propagates; a negative base needs an integer
// exponent (odd ones keep the sign); zeros and infinities by the C99 table. Else exp(y·log|x|) with log carried in
// extended precision, since y·log|x| up to ±104 turns log's relative error into the result's, multiplied by up to 104.
float k_pow(float x, float y)
{
    if (y == 0.0 || x == 1.0) return 1.0;
    if (isnan(x) || isnan(y)) return NAN_F;
    float ax = abs(x);
    if (isinf(y))
    {
        if (ax == 1.0) return 1.0;
        return (ax < 1.0) == (y < 0.0) ? INF_F : 0.0;
    }
    bool integer = floor(y) == y;
    bool odd = integer && abs(y) < 16777216.0 && (int(abs(y)) & 1) == 1;
    if (ax == 0.0 || isinf(ax))
    {
        // |x|^y is 0 or ∞; a negative x with an odd y keeps the sign.
        bool big = (ax == 0.0) == (y < 0.0);
        float m = big ? INF_F : 0.0;
        return odd && sign_bit(x) ? -m : m;
    }
    if (x < 0.0 && !integer) return NAN_F;
    float lh, ll;
    k_log_pair(ax, lh, ll);
    if (abs(y * lh) > 120.0) return k_exp2f(y * lh, 0.0) * (x < 0.0 && odd ? -1.0 : 1.0); // ∞ or 0 (and no split overflow)
    float ph, pe;
    two_prod(y, lh, ph, pe);
    precise float pl = pe + y * ll;
    precise float h = ph + pl;
    precise float l = pl - (h - ph);
    float r = k_exp2f(h, l);
    return x < 0.0 && odd ? -r : r;
}

// ---- the error function -------------------------------------------------------------------------------------------------

// erf, the CPU backend's algorithm: for |x| < 1 the Maclaurin series to x^23 (truncation below 1.1e-9), Horner in x²;
// above, Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7).
const float ERF_SERIES[12] = float[12](1.1283791671, -0.3761263890, 0.1128379167, -0.0268661706, 0.0052239776,
    -0.0008548327, 0.0001205533, -0.0000149247, 0.0000016475, -0.0000001644, 0.0000000150, -0.0000000013);

float k_erf(float x)
{
    if (isnan(x)) return x;
    float a = abs(x);
    if (a < 1.0)
    {
        float x2 = x * x, p = 0.0;
        for (int n = 11; n >= 0; n--) p = fma(p, x2, ERF_SERIES[n]);
        return x * p;
    }
    float t = 1.0 / (1.0 + 0.3275911 * a);
    float poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
    float v = 1.0 - poly * k_exp(-a * a);
    return x < 0.0 ? -v : v;
}

#endif
