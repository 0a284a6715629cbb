using ILGPU;
using ILGPU.Runtime;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>
/// <c>Y = act(op(A)·op(B) + bias)</c> (or <c>Y += op(A)·op(B)</c>) in three versions, all with the bias + activation
/// epilogue fused into the store and all four transpose combinations expressed through <see cref="MatMulArgs"/> strides:
/// <list type="number">
/// <item><see cref="Naive"/>: one output per loop iteration, the readable reference.</item>
/// <item><see cref="Blocked"/>: register blocking without shared memory, a 4×4 output tile per iteration. The CPU
/// accelerator's choice: its group barriers are OS barriers, so shared-memory tiling only costs there.</item>
/// <item><see cref="Tiled"/>: the GPU kernel. A group of T×T threads owns a (4T)×(4T) tile of Y; per step it stages a
/// (4T)×16 panel of A (transposed) and a 16×(4T) panel of B in shared memory, then each thread accumulates its 4×4
/// register tile (rows <c>ty + r·T</c>, columns <c>tx + c·T</c>, so shared reads are conflict-free broadcasts/strides of 1).
/// </item>
/// </list>
/// </summary>
internal static class MatMulKernels
{
    /// <summary>Depth of one shared-memory panel (BK).</summary>
    public const int PanelDepth = 16;

    /// <summary>Largest panel, (4T)·BK floats for T ≤ 16.</summary>
    private const int PanelCapacity = 64 * PanelDepth;

    private static void Store(ArrayView<float> y, ArrayView<float> bias, MatMulArgs p, int i, int j, float acc)
    {
        long o = (long)i * p.N + j;
        float v = p.Accumulate != 0 ? y[o] + acc : acc;
        if (p.HasBias != 0) v += bias[j];
        y[o] = KernelMath.Activate(p.Activation, v);
    }

    public static void Naive(Index1D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> bias, ArrayView<float> y, MatMulArgs p)
    {
        long total = (long)p.M * p.N;
        for (long t = index; t < total; t += p.Stride)
        {
            int i = (int)(t / p.N), j = (int)(t - (long)i * p.N);
            float acc = 0f;
            for (int k = 0; k < p.K; k++) acc += a[(long)i * p.As0 + (long)k * p.As1] * b[(long)k * p.Bs0 + (long)j * p.Bs1];
            Store(y, bias, p, i, j, acc);
        }
    }

    public static void Blocked(Index1D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> bias, ArrayView<float> y, MatMulArgs p)
    {
        int blocksN = (p.N + 3) / 4;
        long blocks = (long)((p.M + 3) / 4) * blocksN;
        for (long t = index; t < blocks; t += p.Stride)
        {
            int i0 = (int)(t / blocksN) * 4, j0 = (int)(t % blocksN) * 4;
            // Rows and columns past the edge re-read the last real one and are never stored: no branches in the loop.
            long r0 = (long)i0 * p.As0, r1 = (long)Math.Min(i0 + 1, p.M - 1) * p.As0;
            long r2 = (long)Math.Min(i0 + 2, p.M - 1) * p.As0, r3 = (long)Math.Min(i0 + 3, p.M - 1) * p.As0;
            long c0 = (long)j0 * p.Bs1, c1 = (long)Math.Min(j0 + 1, p.N - 1) * p.Bs1;
            long c2 = (long)Math.Min(j0 + 2, p.N - 1) * p.Bs1, c3 = (long)Math.Min(j0 + 3, p.N - 1) * p.Bs1;
            float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            float s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
            for (int k = 0; k < p.K; k++)
            {
                long ak = (long)k * p.As1, bk = (long)k * p.Bs0;
                float a0 = a[r0 + ak], a1 = a[r1 + ak], a2 = a[r2 + ak], a3 = a[r3 + ak];
                float b0 = b[bk + c0], b1 = b[bk + c1], b2 = b[bk + c2], b3 = b[bk + c3];
                s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
                s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
                s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
                s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
            }
            StoreTile(y, bias, p, i0, j0, 1, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
        }
    }

    /// <summary>Stores a 4×4 tile whose rows are <c>i0 + r·step</c> and columns <c>j0 + c·step</c>, skipping the outside.</summary>
    private static void StoreTile(ArrayView<float> y, ArrayView<float> bias, MatMulArgs p, int i0, int j0, int step,
        float s00, float s01, float s02, float s03, float s10, float s11, float s12, float s13,
        float s20, float s21, float s22, float s23, float s30, float s31, float s32, float s33)
    {
        StoreRow(y, bias, p, i0, j0, step, s00, s01, s02, s03);
        StoreRow(y, bias, p, i0 + step, j0, step, s10, s11, s12, s13);
        StoreRow(y, bias, p, i0 + 2 * step, j0, step, s20, s21, s22, s23);
        StoreRow(y, bias, p, i0 + 3 * step, j0, step, s30, s31, s32, s33);
    }

    private static void StoreRow(ArrayView<float> y, ArrayView<float> bias, MatMulArgs p, int i, int j0, int step,
        float v0, float v1, float v2, float v3)
    {
        if (i >= p.M) return;
        if (j0 < p.N) Store(y, bias, p, i, j0, v0);
        if (j0 + step < p.N) Store(y, bias, p, i, j0 + step, v1);
        if (j0 + 2 * step < p.N) Store(y, bias, p, i, j0 + 2 * step, v2);
        if (j0 + 3 * step < p.N) Store(y, bias, p, i, j0 + 3 * step, v3);
    }

    /// <summary>Shared-memory tiled GEMM with 4×4 register blocking; launched with groups of
    /// <c>ThreadsPerDim²</c> threads (T ≤ 16), grid-stride over the (4T)×(4T) tiles of Y.</summary>
    public static void Tiled(ArrayView<float> a, ArrayView<float> b, ArrayView<float> bias, ArrayView<float> y, MatMulArgs p)
    {
        var panelA = SharedMemory.Allocate<float>(PanelCapacity); // [BK][BM]: A transposed, so a thread's rows are adjacent
        var panelB = SharedMemory.Allocate<float>(PanelCapacity); // [BK][BN]
        int td = p.ThreadsPerDim, tile = 4 * td, threads = td * td;
        int tid = Group.IdxX, tx = tid % td, ty = tid / td;
        int tilesN = (p.N + tile - 1) / tile;
        long tiles = (long)((p.M + tile - 1) / tile) * tilesN;
        // Load order follows the contiguous direction of each operand, so consecutive threads read consecutive addresses.
        bool aAlongK = p.As1 == 1, bAlongN = p.Bs1 == 1;
        for (long t = Grid.IdxX; t < tiles; t += Grid.DimX)
        {
            int i0 = (int)(t / tilesN) * tile, j0 = (int)(t % tilesN) * tile;
            float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            float s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
            for (int k0 = 0; k0 < p.K; k0 += PanelDepth)
            {
                for (int e = tid; e < tile * PanelDepth; e += threads)
                {
                    int row = aAlongK ? e / PanelDepth : e % tile, kk = aAlongK ? e % PanelDepth : e / tile;
                    int i = i0 + row, k = k0 + kk;
                    panelA[kk * tile + row] = i < p.M && k < p.K ? a[(long)i * p.As0 + (long)k * p.As1] : 0f;
                    int col = bAlongN ? e % tile : e / PanelDepth, kb = bAlongN ? e / tile : e % PanelDepth;
                    int j = j0 + col, kq = k0 + kb;
                    panelB[kb * tile + col] = j < p.N && kq < p.K ? b[(long)kq * p.Bs0 + (long)j * p.Bs1] : 0f;
                }
                Group.Barrier();
                for (int kk = 0; kk < PanelDepth; kk++)
                {
                    int ao = kk * tile + ty, bo = kk * tile + tx;
                    float a0 = panelA[ao], a1 = panelA[ao + td], a2 = panelA[ao + 2 * td], a3 = panelA[ao + 3 * td];
                    float b0 = panelB[bo], b1 = panelB[bo + td], b2 = panelB[bo + 2 * td], b3 = panelB[bo + 3 * td];
                    s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
                    s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
                    s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
                    s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
                }
                Group.Barrier();
            }
            StoreTile(y, bias, p, i0 + ty, j0 + tx, td, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
        }
    }
}
