using System.Buffers;
using System.Numerics.Tensors;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape,
        IDeviceBuffer? bias = null, ActivationKind activation = ActivationKind.Linear, bool accumulate = false)
    {
        var (m, n, k, ta, tb) = shape;
        float[] A = Cpu(a).FloatArray, B = Cpu(b).FloatArray, Y = Cpu(y).FloatArray;
        float[]? bias_ = bias is null ? null : Cpu(bias).FloatArray;
        ForChunks(m, shape.Flops, (start, end) =>
        {
            float[]? column = ta && tb ? ArrayPool<float>.Shared.Rent(k) : null;
            for (int i = start; i < end; i++)
            {
                var yRow = Y.AsSpan(i * n, n);
                if (!accumulate) yRow.Clear();
                if (!tb)
                {
                    // y_i += a_ik · B_k for each k: an axpy over a contiguous row of B.
                    for (int p = 0; p < k; p++)
                    {
                        float aik = ta ? A[p * m + i] : A[i * k + p];
                        var bRow = B.AsSpan(p * n, n);
                        TensorPrimitives.MultiplyAdd(bRow, aik, yRow, yRow);
                    }
                }
                else
                {
                    // B stored [n, k]: y_ij += dot(a_i, b_j).
                    ReadOnlySpan<float> aRow;
                    if (!ta) aRow = A.AsSpan(i * k, k);
                    else
                    {
                        for (int p = 0; p < k; p++) column![p] = A[p * m + i];
                        aRow = column.AsSpan(0, k);
                    }
                    for (int j = 0; j < n; j++) yRow[j] += TensorPrimitives.Dot(aRow, B.AsSpan(j * k, k));
                }
                if (bias_ is not null) TensorPrimitives.Add(yRow, bias_.AsSpan(0, n), yRow);
                if (activation != ActivationKind.Linear) Activate(activation, yRow, yRow);
            }
            if (column is not null) ArrayPool<float>.Shared.Return(column);
        });
    }
}
