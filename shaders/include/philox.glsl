// Philox-4x32-10 (Salmon et al. 2011), word for word as KerasGpu.Backend.Philox: counter (c0, c1, 0, 0), key (k0, k1).
#ifndef KERAS_PHILOX_GLSL
#define KERAS_PHILOX_GLSL
uvec4 philox4x32_10(uvec2 counter, uvec2 key)
{
    uvec4 c = uvec4(counter, 0u, 0u);
    for (int round_ = 0; round_ < 10; round_++)
    {
        if (round_ > 0) key += uvec2(0x9E3779B9u, 0xBB67AE85u);
        uint hi0, lo0, hi1, lo1;
        umulExtended(0xD2511F53u, c.x, hi0, lo0);
        umulExtended(0xCD9E8D57u, c.z, hi1, lo1);
        c = uvec4(hi1 ^ c.y ^ key.x, lo1, hi0 ^ c.w ^ key.y, lo0);
    }
    return c;
}
#endif
