using System.Runtime.InteropServices;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>Up to eight dimensions passed by value to a kernel (ILGPU kernels take no arrays of scalars); broadcasting
/// supports tensors of rank ≤ 8.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Dims8
{
    public int D0, D1, D2, D3, D4, D5, D6, D7;

    public readonly int Get(int d) => d switch { 0 => D0, 1 => D1, 2 => D2, 3 => D3, 4 => D4, 5 => D5, 6 => D6, _ => D7 };

    public void Set(int d, int value)
    {
        switch (d)
        {
            case 0: D0 = value; break;
            case 1: D1 = value; break;
            case 2: D2 = value; break;
            case 3: D3 = value; break;
            case 4: D4 = value; break;
            case 5: D5 = value; break;
            case 6: D6 = value; break;
            default: D7 = value; break;
        }
    }
}

/// <summary>Scalars of one broadcasting binary launch. Mode 0: the input has the output's shape; 1: a single value;
/// 2: general broadcasting through its strides (0 on broadcast dimensions).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BinaryArgs
{
    public long Total, Stride;
    public int Op, Rank, AMode, BMode;
    public Dims8 Shape, AStrides, BStrides;
}

/// <summary>Scalars of one MatMul launch: <c>a(i, p) = A[i·As0 + p·As1]</c>, <c>b(p, j) = B[p·Bs0 + j·Bs1]</c>, which
/// covers the four transpose combinations without copies.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MatMulArgs
{
    public int M, N, K, As0, As1, Bs0, Bs1, HasBias, Activation, Accumulate, Stride, ThreadsPerDim;
}

/// <summary>Scalars of one optimizer launch (unused fields are ignored by the kernel that does not need them).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OptimizerArgs
{
    public long Count, Stride;
    public float LearningRate, Rho, Momentum, Epsilon, Beta1, Beta2, Alpha;
    public int HasMomentum, Nesterov, HasAverage, HasVHat;
}

/// <summary>Scalars of one row-wise (softmax, loss, accuracy) launch.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RowArgs
{
    public int Rows, Cols, Stride, Sparse, Kind;
    public float Epsilon;
}

/// <summary>Scalars of one strided copy: <c>rows × rowLength</c> elements from x's rows to y's rows.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StridedCopyArgs
{
    public long XOffset, YOffset, Stride;
    public int XRowStride, YRowStride, Rows, RowLength;
}

/// <summary>Scalars of one permutation: y's shape and, per y dimension d, the stride of x's dimension <c>perm[d]</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PermuteArgs
{
    public long Total, Stride;
    public int Rank;
    public Dims8 YShape, SourceStrides;
}
