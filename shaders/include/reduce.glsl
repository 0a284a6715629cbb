// Workgroup-wide reductions, every invocation of the workgroup must call them (uniform control flow). With subgroup
// arithmetic (specialization constant 1) each subgroup reduces in registers first and one partial per subgroup goes
// through shared memory, which is correct for any subgroup size (8 on lavapipe, 32 or 64 on GPUs); without it, a
// shared-memory tree. The workgroup size must be a power of two no larger than 1024.
#ifndef KERAS_REDUCE_GLSL
#define KERAS_REDUCE_GLSL
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(constant_id = 1) const bool USE_SUBGROUPS = true;

shared float s_reduce[1024];

float wg_sum(float v)
{
    float total;
    if (USE_SUBGROUPS)
    {
        v = subgroupAdd(v);
        if (subgroupElect()) s_reduce[gl_SubgroupID] = v;
        barrier();
        total = 0.0;
        for (uint s = 0u; s < gl_NumSubgroups; s++) total += s_reduce[s];
    }
    else
    {
        s_reduce[gl_LocalInvocationID.x] = v;
        barrier();
        for (uint half_ = gl_WorkGroupSize.x / 2u; half_ > 0u; half_ /= 2u)
        {
            if (gl_LocalInvocationID.x < half_) s_reduce[gl_LocalInvocationID.x] += s_reduce[gl_LocalInvocationID.x + half_];
            barrier();
        }
        total = s_reduce[0];
    }
    barrier(); // the next reduction may overwrite s_reduce
    return total;
}

// Maximum that propagates NaN: NaN-free maximum plus a count of NaNs.
float wg_max(float v)
{
    float nans = wg_sum(isnan(v) ? 1.0 : 0.0);
    float m = isnan(v) ? -INF_F : v;
    if (USE_SUBGROUPS)
    {
        m = subgroupMax(m);
        if (subgroupElect()) s_reduce[gl_SubgroupID] = m;
        barrier();
        m = -INF_F;
        for (uint s = 0u; s < gl_NumSubgroups; s++) m = max(m, s_reduce[s]);
    }
    else
    {
        s_reduce[gl_LocalInvocationID.x] = m;
        barrier();
        for (uint half_ = gl_WorkGroupSize.x / 2u; half_ > 0u; half_ /= 2u)
        {
            if (gl_LocalInvocationID.x < half_) s_reduce[gl_LocalInvocationID.x] = max(s_reduce[gl_LocalInvocationID.x], s_reduce[gl_LocalInvocationID.x + half_]);
            barrier();
        }
        m = s_reduce[0];
    }
    barrier();
    return nans > 0.0 ? NAN_F : m;
}
#endif
