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
        else if ((long)m * n < PackedGemmMinOutput)
        {
            DirectGemm(A, B, Y, shape, accumulate);
        }
        else
        {
            // a(i, p) = A[i·aRow + p·aCol]; b(p, j) = B[p·bRow + j·bCol]: transposes are folded into the packing.
            var source = new GemmSource(A, ta ? 1 : k, ta ? m : 1, B, tb ? 1 : n, tb ? k : 1);
            PackedGemm(new PackedGemmOperands(source, Y, m, n, k, accumulate), GemmThreads(shape.Flops, m));
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

    /// <summary>Below this many output elements, packing costs more than it saves (measured on the MLP shapes).</summary>
    private const long PackedGemmMinOutput = 65536;

    /// <summary>Where A and B live and how they are strided (transposes are strides).</summary>
    private readonly record struct GemmSource(float[] A, int ARow, int ACol, float[] B, int BRow, int BCol);
}
