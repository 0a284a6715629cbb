#version 450
// Tiled MatMul: a SIDE×SIDE workgroup (SIDE² = the workgroup size) computes a (SIDE·REG)² tile of Y; each invocation
// holds a REG×REG block of accumulators in registers (rows ty + SIDE·r, columns tx + SIDE·c, so shared-memory reads
// are conflict-free). Tiles of
// op(A) and op(B), TILE_K deep, are staged through shared memory with zero padding at the edges. The workgroup walks
// the output tiles in a grid-stride loop, so the dispatch size is bounded.
#include "common.glsl"
#include "matmul.glsl"

layout(constant_id = 7) const uint REG = 4u;
layout(constant_id = 8) const uint TILE_K = 16u;
layout(constant_id = 9) const uint SIDE = 16u;

const uint TM = SIDE * REG; // tile rows = tile columns

shared float s_a[TILE_K * TM]; // [kk][row]
shared float s_b[TILE_K * TM]; // [kk][col]

void main()
{
    uint lid = gl_LocalInvocationID.x, tx = lid % SIDE, ty = lid / SIDE;
    uint tiles_m = (pc.m + TM - 1u) / TM, tiles_n = (pc.n + TM - 1u) / TM;
    for (uint tile = gl_WorkGroupID.x; tile < tiles_m * tiles_n; tile += gl_NumWorkGroups.x)
    {
        uint row0 = (tile / tiles_n) * TM, col0 = (tile % tiles_n) * TM;
        float acc[REG][REG];
        for (uint r = 0u; r < REG; r++) for (uint c = 0u; c < REG; c++) acc[r][c] = 0.0;
        for (uint k0 = 0u; k0 < pc.k; k0 += TILE_K)
        {
            for (uint e = lid; e < TILE_K * TM; e += SIDE * SIDE)
            {
                // Walk global memory along its contiguous axis: k for A [m, k] and B^T [n, k], rows/cols otherwise.
                uint kk = TRANS_A ? e / TM : e % TILE_K, mm = TRANS_A ? e % TM : e / TILE_K;
                uint gi = row0 + mm, gp = k0 + kk;
                s_a[kk * TM + mm] = gi < pc.m && gp < pc.k ? a_at(gi, gp) : 0.0;
                uint kb = TRANS_B ? e % TILE_K : e / TM, nn = TRANS_B ? e / TILE_K : e % TM;
                uint gj = col0 + nn, gq = k0 + kb;
                s_b[kb * TM + nn] = gj < pc.n && gq < pc.k ? b_at(gq, gj) : 0.0;
            }
            barrier();
            for (uint kk = 0u; kk < TILE_K; kk++)
            {
                float av[REG], bv[REG];
                for (uint r = 0u; r < REG; r++) av[r] = s_a[kk * TM + ty + SIDE * r];
                for (uint c = 0u; c < REG; c++) bv[c] = s_b[kk * TM + tx + SIDE * c];
                for (uint r = 0u; r < REG; r++) for (uint c = 0u; c < REG; c++) acc[r][c] = fma(av[r], bv[c], acc[r][c]);
            }
            barrier();
        }
        for (uint r = 0u; r < REG; r++)
            for (uint c = 0u; c < REG; c++)
            {
                uint i = row0 + ty + SIDE * r, j = col0 + tx + SIDE * c;
                if (i < pc.m && j < pc.n) epilogue(i, j, acc[r][c]);
            }
    }
}
