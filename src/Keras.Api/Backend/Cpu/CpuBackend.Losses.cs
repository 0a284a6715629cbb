using System.Numerics.Tensors;

namespace KerasGpu.Backend.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void Softmax(IDeviceBuffer x, IDeviceBuffer y, int rows, int cols)
    {
        float[] X = Cpu(x).FloatArray, Y = Cpu(y).FloatArray;
        for (int r = 0; r < rows; r++) SoftmaxRow(X.AsSpan(r * cols, cols), Y.AsSpan(r * cols, cols));
    }

    /// <summary>Softmax of one row; returns log Σ exp(x − max), so callers can form logsumexp = max + that.</summary>
    private static float SoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return float.NegativeInfinity;
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        float sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Divide(y, sum, y);
        return max + MathF.Log(sum);
    }

    /// <inheritdoc />
    public void SoftmaxBackward(IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, int rows, int cols)
    {
        float[] Y = Cpu(y).FloatArray, DY = Cpu(dy).FloatArray, DX = Cpu(dx).FloatArray;
        for (int r = 0; r < rows; r++)
        {
            var yr = Y.AsSpan(r * cols, cols);
            var dyr = DY.AsSpan(r * cols, cols);
            float dot = TensorPrimitives.Dot(yr, dyr);
            var dxr = DX.AsSpan(r * cols, cols);
            TensorPrimitives.Subtract(dyr, dot, dxr);
            TensorPrimitives.Multiply(dxr, yr, dxr);
        }
    }

    /// <inheritdoc />
    public void SoftmaxCrossEntropy(IDeviceBuffer logits, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        IDeviceBuffer probabilities, IDeviceBuffer rowLoss)
    {
        float[] Z = Cpu(logits).FloatArray, P = Cpu(probabilities).FloatArray, L = Cpu(rowLoss).FloatArray;
        var t = Cpu(targets);
        for (int r = 0; r < rows; r++)
        {
            var z = Z.AsSpan(r * cols, cols);
            float logSumExp = SoftmaxRow(z, P.AsSpan(r * cols, cols));
            if (targetKind == TargetKind.SparseIndex)
                L[r] = logSumExp - z[Label(t.Ints[r], r, cols)];
            else
            {
                var tr = t.Floats.Slice(r * cols, cols);
                L[r] = logSumExp * TensorPrimitives.Sum(tr) - TensorPrimitives.Dot(tr, z);
            }
        }
    }

    /// <inheritdoc />
    public void SoftmaxCrossEntropyBackward(IDeviceBuffer probabilities, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer logitsGradient, int rows, int cols)
    {
        float[] P = Cpu(probabilities).FloatArray, G = Cpu(rowLossGradient).FloatArray, DZ = Cpu(logitsGradient).FloatArray;
        var t = Cpu(targets);
        for (int r = 0; r < rows; r++)
        {
            var p = P.AsSpan(r * cols, cols);
            var dz = DZ.AsSpan(r * cols, cols);
            float g = G[r];
            if (targetKind == TargetKind.SparseIndex)
            {
                TensorPrimitives.Multiply(p, g, dz);
                dz[Label(t.Ints[r], r, cols)] -= g;
            }
            else
            {
                var tr = t.Floats.Slice(r * cols, cols);
                float mass = TensorPrimitives.Sum(tr);
                for (int j = 0; j < cols; j++) dz[j] = g * (p[j] * mass - tr[j]);
            }
        }
    }

    /// <inheritdoc />
    public void CrossEntropy(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        float epsilon, IDeviceBuffer rowLoss)
    {
        float[] P = Cpu(predictions).FloatArray, L = Cpu(rowLoss).FloatArray;
        var t = Cpu(targets);
        for (int r = 0; r < rows; r++)
        {
            var p = P.AsSpan(r * cols, cols);
            float sum = TensorPrimitives.Sum(p);
            if (targetKind == TargetKind.SparseIndex)
            {
                L[r] = -MathF.Log(Math.Clamp(p[Label(t.Ints[r], r, cols)] / sum, epsilon, 1f - epsilon));
                continue;
            }
            var tr = t.Floats.Slice(r * cols, cols);
            float loss = 0f;
            for (int j = 0; j < cols; j++) loss -= tr[j] * MathF.Log(Math.Clamp(p[j] / sum, epsilon, 1f - epsilon));
            L[r] = loss;
        }
    }

    /// <inheritdoc />
    public void CrossEntropyBackward(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer predictionsGradient, int rows, int cols, float epsilon)
    {
        float[] P = Cpu(predictions).FloatArray, G = Cpu(rowLossGradient).FloatArray, DP = Cpu(predictionsGradient).FloatArray;
        var t = Cpu(targets);
        for (int r = 0; r < rows; r++)
        {
            var p = P.AsSpan(r * cols, cols);
            var dp = DP.AsSpan(r * cols, cols);
            float sum = TensorPrimitives.Sum(p);
            int label = targetKind == TargetKind.SparseIndex ? Label(t.Ints[r], r, cols) : -1;
            // u_j = dL/dq_j for q = p / sum (zero where the clip is active); then dL/dp_k = (u_k − Σ_j u_j q_j) / sum.
            float uq = 0f;
            for (int j = 0; j < cols; j++)
            {
                float q = p[j] / sum;
                float target = label >= 0 ? (j == label ? 1f : 0f) : t.Floats[r * cols + j];
                float u = q > epsilon && q < 1f - epsilon ? -target / q : 0f;
                dp[j] = u;
                uq += u * q;
            }
            float g = G[r];
            for (int j = 0; j < cols; j++) dp[j] = g * (dp[j] - uq) / sum;
        }
    }

    /// <inheritdoc />
    public void SquaredError(IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols, IDeviceBuffer rowLoss)
    {
        float[] P = Cpu(predictions).FloatArray, T = Cpu(targets).FloatArray, L = Cpu(rowLoss).FloatArray;
        for (int r = 0; r < rows; r++)
            L[r] = SquaredDistance(P.AsSpan(r * cols, cols), T.AsSpan(r * cols, cols)) / cols;
    }

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    /// <inheritdoc />
    public void SquaredErrorBackward(IDeviceBuffer predictions, IDeviceBuffer targets, IDeviceBuffer rowLossGradient,
        IDeviceBuffer predictionsGradient, int rows, int cols)
    {
        float[] P = Cpu(predictions).FloatArray, T = Cpu(targets).FloatArray, G = Cpu(rowLossGradient).FloatArray,
            DP = Cpu(predictionsGradient).FloatArray;
        for (int r = 0; r < rows; r++)
        {
            var dp = DP.AsSpan(r * cols, cols);
            TensorPrimitives.Subtract(P.AsSpan(r * cols, cols), T.AsSpan(r * cols, cols), dp);
            TensorPrimitives.Multiply(dp, 2f * G[r] / cols, dp);
        }
    }

    /// <inheritdoc />
    public void AccuracyCount(AccuracyKind kind, IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols,
        IDeviceBuffer accumulator)
    {
        float[] P = Cpu(predictions).FloatArray;
        var t = Cpu(targets);
        float correct = 0f;
        for (int r = 0; r < rows; r++)
        {
            var p = P.AsSpan(r * cols, cols);
            correct += kind switch
            {
                AccuracyKind.SparseCategorical => ArgMax(p) == t.Ints[r] ? 1f : 0f,
                AccuracyKind.Categorical => ArgMax(p) == ArgMax(t.Floats.Slice(r * cols, cols)) ? 1f : 0f,
                AccuracyKind.Binary => BinaryMatches(p, t.Floats.Slice(r * cols, cols)) / cols,
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown accuracy kind."),
            };
        }
        Cpu(accumulator).Floats[0] += correct;
    }

    /// <summary>First index of the maximum, as NumPy's argmax (NaN never wins a comparison here).</summary>
    private static int ArgMax(ReadOnlySpan<float> x)
    {
        int best = 0;
        for (int j = 1; j < x.Length; j++) if (x[j] > x[best]) best = j;
        return best;
    }

    private static float BinaryMatches(ReadOnlySpan<float> p, ReadOnlySpan<float> t)
    {
        float matches = 0f;
        for (int j = 0; j < p.Length; j++) matches += (p[j] > 0.5f ? 1f : 0f) == t[j] ? 1f : 0f;
        return matches;
    }

    private static int Label(int label, int row, int classes) => (uint)label < (uint)classes ? label
        : throw new ArgumentOutOfRangeException(nameof(label), $"Label {label} at row {row} is outside [0, {classes}).");
}
