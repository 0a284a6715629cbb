using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape,
        IDeviceBuffer? bias = null, ActivationKind activation = ActivationKind.Linear, bool accumulate = false)
    {
        var (m, n, k, ta, tb) = shape;
        float[] A = Cpu(a).FloatArray, B = Cpu(b).FloatArray, Y = Cpu(y).FloatArray;
        float[]? biasValues = bias is null ? null : Cpu(bias).FloatArray;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) Y.AsSpan(0, m * n).Clear();
        }
        else if (TryNarrowGemm(A, B, Y, shape, accumulate))
        {
        }
        else if (!UsePackedGemm(m, n, tb))
        {
            DirectGemm(A, B, Y, shape, accumulate);
        }
        else
        {
            // a(i, p) = A[i·aRow + p·aCol]; b(p, j) = B[p·bRow + j·bCol]: transposes are folded into the packing.
            var source = new GemmSource(A, ta ? 1 : k, ta ? m : 1, B, tb ? 1 : n, tb ? k : 1);
            PackedGemm(new PackedGemmOperands(source, Y, m, n, k, accumulate, Math.Max(128, VectorBits)), GemmThreads(shape.Flops, m));
        }
        if (biasValues is null && activation == ActivationKind.Linear) return;
        var epilogue = new BiasActivationBody(Y, biasValues, n, activation);
        ForChunks(m, (double)m * n * 4, ref epilogue);
    }

    /// <summary>The MatMul epilogue on rows <c>[start, end)</c> of Y: add the bias row, then apply the activation.</summary>
    private readonly struct BiasActivationBody(float[] y, float[]? bias, int n, ActivationKind activation) : IChunkBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                var row = y.AsSpan(i * n, n);
                if (bias is not null) TensorPrimitives.Add(row, bias.AsSpan(0, n), row);
                if (activation != ActivationKind.Linear) Activate(activation, row, row);
            }
        }
    }

    /// <summary>
    /// Whether a product goes through the packed GEMM rather than the direct one. From 65536 output elements packing
    /// always pays. So it does for rows of B from 128 floats when A has at least four row panels: the direct tiles read
    /// B's rows in place, and rows 512 B or more apart fall into few cache sets (96x512x784: ~59 direct against ~84
    /// GFLOP/s packed on one Zen 3 core; 24x512x784: ~52 against ~66; equal at N = 64). A transposed B makes the direct
    /// GEMM transpose it first, so from 4096 outputs at least 64 wide packing pays there too (the small MLP's dX = dY·Wᵀ,
    /// 64x784x64: ~79 against ~74 GFLOP/s). A transposed A costs the direct GEMM nothing (its six broadcasts per step
    /// read six adjacent floats of a row of the stored A), and it is faster there unpacked (dW = Xᵀ·dY, 784x64x64: ~89
    /// against ~75 GFLOP/s on one thread, ~160 against ~75-140 on two). Narrow outputs (the 10-class layer) stay
    /// direct: a two-vector panel would be mostly padding.
    /// </summary>
    private static bool UsePackedGemm(int m, int n, bool tb) =>
        (long)m * n >= PackedGemmMinOutput || (n >= 128 && m >= 4 * PackedGemmOperands.MR) || (tb && n >= 64 && (long)m * n >= 4096);

    /// <summary>Output elements from which packing pays whatever the layout.</summary>
    private const long PackedGemmMinOutput = 65536;

    /// <summary>Where A and B live and how they are strided (transposes are strides).</summary>
    private readonly record struct GemmSource(float[] A, int ARow, int ACol, float[] B, int BRow, int BCol);
}
