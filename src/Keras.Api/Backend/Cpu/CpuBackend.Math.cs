using System.Numerics.Tensors;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void Unary(UnaryOp op, IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        var body = new UnaryBody(op, Cpu(x).FloatArray, Cpu(y).FloatArray);
        ForChunks((int)count, count * 16.0, ref body, align: ElementAlign);
    }

    private readonly struct UnaryBody(UnaryOp op, float[] x, float[] y) : IChunkBody
    {
        public void Run(int start, int end) => ApplyUnary(op, x.AsSpan(start, end - start), y.AsSpan(start, end - start));
    }

    private static void ApplyUnary(UnaryOp op, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.IsEmpty) return;
        switch (op)
        {
            case UnaryOp.Negative: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Divide(1f, x, y); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); break;
            case UnaryOp.Tanh: Tanh(x, y); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryOp.Floor: TensorPrimitives.Floor(x, y); break;
            case UnaryOp.Ceil: TensorPrimitives.Ceiling(x, y); break;
            default:
                for (int i = 0; i < x.Length; i++) y[i] = UnaryScalar(op, x[i]);
                break;
        }
    }

    /// <summary>The scalar form of every unary op (the reference the vectorised cases above agree with).</summary>
    internal static float UnaryScalar(UnaryOp op, float x) => op switch
    {
        UnaryOp.Negative => -x,
        UnaryOp.Abs => MathF.Abs(x),
        UnaryOp.Sign => x > 0f ? 1f : x < 0f ? -1f : x, // ±0 and NaN pass through (MathF.Sign throws on NaN)
        UnaryOp.Square => x * x,
        UnaryOp.Sqrt => MathF.Sqrt(x),
        UnaryOp.Reciprocal => 1f / x,
        UnaryOp.Exp => MathF.Exp(x),
        UnaryOp.Expm1 => (float)Expm1(x),
        UnaryOp.Log => MathF.Log(x),
        UnaryOp.Log1p => (float)Log1p(x),
        UnaryOp.Sin => MathF.Sin(x),
        UnaryOp.Cos => MathF.Cos(x),
        UnaryOp.Tanh => MathF.Tanh(x),
        UnaryOp.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        UnaryOp.Softplus => MathF.Max(x, 0f) + (float)Log1p(Math.Exp(-Math.Abs((double)x))),
        UnaryOp.Erf => Erf(x),
        UnaryOp.Floor => MathF.Floor(x),
        UnaryOp.Ceil => MathF.Ceiling(x),
        UnaryOp.Round => MathF.Round(x, MidpointRounding.ToEven),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op."),
    };

    // expm1 and log1p in float64, where Kahan's corrections make them exact to far below float32 rounding:
    // u = 1 + x loses x's low bits, and the ratio x / (u − 1) puts them back.
    private static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        return um1 == -1.0 || double.IsInfinity(u) ? um1 : um1 * x / Math.Log(u);
    }

    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : double.IsPositiveInfinity(u) ? u : Math.Log(u) * x / (u - 1.0); // log1p(−∞) stays NaN
    }

    /// <summary>
    /// erf in float32, the same algorithm on every backend: for |x| &lt; 1 its Maclaurin series to x²³ (truncation below
    /// 1.1e-9); above, Abramowitz &amp; Stegun 7.1.26 (absolute error ≤ 1.5e-7, i.e. ≤ 1.8e-7 relative there).
    /// </summary>
    internal static float Erf(float x)
    {
        float a = MathF.Abs(x);
        if (float.IsNaN(x)) return x;
        if (a < 1f)
        {
            // 2/√π · Σ (−1)ⁿ x^(2n+1) / (n!·(2n+1)), Horner in x².
            float x2 = x * x, p = 0f;
            for (int n = ErfSeries.Length - 1; n >= 0; n--) p = MathF.FusedMultiplyAdd(p, x2, ErfSeries[n]);
            return x * p;
        }
        float t = 1f / (1f + 0.3275911f * a);
        float poly = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
        return MathF.CopySign(1f - poly * MathF.Exp(-a * a), x);
    }

    /// <summary>2/√π · (−1)ⁿ / (n!·(2n+1)) for n = 0..11.</summary>
    internal static readonly float[] ErfSeries =
    [
        1.1283791671f, -0.3761263890f, 0.1128379167f, -0.0268661706f, 0.0052239776f, -0.0008548327f,
        0.0001205533f, -0.0000149247f, 0.0000016475f, -0.0000001644f, 0.0000000150f, -0.0000000013f,
    ];

    /// <inheritdoc />
    public void Where(IDeviceBuffer condition, IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, long count)
    {
        float[] C = Cpu(condition).FloatArray, A = Cpu(a).FloatArray, B = Cpu(b).FloatArray, Y = Cpu(y).FloatArray;
        for (long i = 0; i < count; i++) Y[i] = C[i] != 0f ? A[i] : B[i];
    }

    /// <inheritdoc />
    public void Cast(IDeviceBuffer x, IDeviceBuffer y, long count)
    {
        CpuBuffer cx = Cpu(x), cy = Cpu(y);
        if (cx.DType == cy.DType) { Copy(x, 0, y, 0, count); return; }
        if (cx.DType == DType.Int32) TensorPrimitives.ConvertTruncating<int, float>(cx.Ints[..(int)count], cy.Floats[..(int)count]);
        else
        {
            var src = cx.Floats[..(int)count];
            var dst = cy.Ints[..(int)count];
            for (int i = 0; i < src.Length; i++) dst[i] = (int)src[i];
        }
    }

    /// <inheritdoc />
    public void CopyStrided(IDeviceBuffer x, long xOffset, int xRowStride, IDeviceBuffer y, long yOffset, int yRowStride,
        int rows, int rowLength)
    {
        CpuBuffer cx = Cpu(x), cy = Cpu(y);
        if (rows == 0 || rowLength == 0) return;
        CheckRange(xOffset, (long)(rows - 1) * xRowStride + rowLength, cx.Length, nameof(x));
        CheckRange(yOffset, (long)(rows - 1) * yRowStride + rowLength, cy.Length, nameof(y));
        for (int r = 0; r < rows; r++)
        {
            int xs = (int)(xOffset + (long)r * xRowStride), ys = (int)(yOffset + (long)r * yRowStride);
            if (cx.DType == DType.Float32) cx.Floats.Slice(xs, rowLength).CopyTo(cy.Floats[ys..]);
            else cx.Ints.Slice(xs, rowLength).CopyTo(cy.Ints[ys..]);
        }
    }

    /// <inheritdoc />
    public void Permute(IDeviceBuffer x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> perm, IDeviceBuffer y)
    {
        CpuBuffer cx = Cpu(x), cy = Cpu(y);
        int rank = xShape.Length;
        Span<int> xStride = stackalloc int[rank], yShape = stackalloc int[rank], srcStride = stackalloc int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { xStride[d] = s; s *= xShape[d]; }
        for (int d = 0; d < rank; d++) { yShape[d] = xShape[perm[d]]; srcStride[d] = xStride[perm[d]]; }
        long total = cy.Length;
        if (total == 0) return;
        // Walk y in order; the source offset advances by the permuted strides (an odometer over y's index).
        Span<int> index = stackalloc int[rank];
        int offset = 0;
        bool floats = cx.DType == DType.Float32;
        Span<float> xf = floats ? cx.Floats : default, yf = floats ? cy.Floats : default;
        Span<int> xi = floats ? default : cx.Ints, yi = floats ? default : cy.Ints;
        for (long i = 0; i < total; i++)
        {
            if (floats) yf[(int)i] = xf[offset]; else yi[(int)i] = xi[offset];
            for (int d = rank - 1; d >= 0; d--)
            {
                offset += srcStride[d];
                if (++index[d] < yShape[d]) break;
                offset -= srcStride[d] * yShape[d];
                index[d] = 0;
            }
        }
    }
}
