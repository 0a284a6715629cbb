using ILGPU;
using ILGPU.Runtime;

namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>Row-wise kernels (softmax and the losses): a grid-stride loop over rows, one thread per row. The classifier
/// rows of training are short (tens of classes), so a thread per row keeps every launch barrier-free; labels outside
/// <c>[0, cols)</c> give a NaN loss (a kernel cannot throw; the losses validate labels on the host).</summary>
internal static class RowKernels
{
    /// <summary>Softmax of row r into y; returns <c>log Σ exp(x − max)</c> + max (the row's logsumexp).</summary>
    private static float SoftmaxRow(ArrayView<float> x, ArrayView<float> y, long start, int cols)
    {
        float max = float.NegativeInfinity;
        for (int j = 0; j < cols; j++)
        {
            float v = x[start + j];
            max = float.IsNaN(max) ? max : float.IsNaN(v) || v > max ? v : max;
        }
        float sum = 0f;
        for (int j = 0; j < cols; j++)
        {
            float e = MathF.Exp(x[start + j] - max);
            y[start + j] = e;
            sum += e;
        }
        for (int j = 0; j < cols; j++) y[start + j] = y[start + j] / sum;
        return max + MathF.Log(sum);
    }

    public static void Softmax(Index1D index, ArrayView<float> x, ArrayView<float> y, RowArgs p)
    {
        for (int r = index; r < p.Rows; r += p.Stride) SoftmaxRow(x, y, (long)r * p.Cols, p.Cols);
    }

    public static void SoftmaxBackward(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, RowArgs p)
    {
        for (int r = index; r < p.Rows; r += p.Stride)
        {
            long s = (long)r * p.Cols;
            float dot = 0f;
            for (int j = 0; j < p.Cols; j++) dot += y[s + j] * dy[s + j];
            for (int j = 0; j < p.Cols; j++) dx[s + j] = (dy[s + j] - dot) * y[s + j];
        }
    }

    public static void SoftmaxCrossEntropy(Index1D index, ArrayView<float> z, ArrayView<int> labels, ArrayView<float> targets,
        ArrayView<float> probabilities, ArrayView<float> loss, RowArgs p)
    {
        for (int r = index; r < p.Rows; r += p.Stride)
        {
            long s = (long)r * p.Cols;
            float logSumExp = SoftmaxRow(z, probabilities, s, p.Cols);
            if (p.Sparse != 0)
            {
                int label = labels[r];
                loss[r] = label >= 0 && label < p.Cols ? logSumExp - z[s + label] : float.NaN;
            }
            else
            {
                float mass = 0f, dot = 0f;
                for (int j = 0; j < p.Cols; j++) { float t = targets[s + j]; mass += t; dot += t * z[s + j]; }
                loss[r] = logSumExp * mass - dot;
            }
        }
    }

    public static void SoftmaxCrossEntropyBackward(Index1D index, ArrayView<float> probabilities, ArrayView<int> labels,
        ArrayView<float> targets, ArrayView<float> rowGradient, ArrayView<float> dz, RowArgs p)
    {
        for (int r = index; r < p.Rows; r += p.Stride)
        {
            long s = (long)r * p.Cols;
            float g = rowGradient[r];
            if (p.Sparse != 0)
            {
                int label = labels[r];
                bool valid = label >= 0 && label < p.Cols;
                for (int j = 0; j < p.Cols; j++)
                    dz[s + j] = valid ? (j == label ? probabilities[s + j] * g - g : probabilities[s + j] * g) : float.NaN;
            }
            else
            {
                float mass = 0f;
                for (int j = 0; j < p.Cols; j++) mass += targets[s + j];
                for (int j = 0; j < p.Cols; j++) dz[s + j] = g * (probabilities[s + j] * mass - targets[s + j]);
            }
        }
    }

    private static float Target(ArrayView<int> labels, ArrayView<float> targets, int sparse, int r, long s, int j) =>
        sparse != 0 ? (labels[r] == j ? 1f : 0f) : targets[s + j];

    public static void CrossEntropy(Index1D index, ArrayView<float> predictions, ArrayView<int> labels, ArrayView<float> targets,
        ArrayView<float> loss, RowArgs p)
    {
        float eps = p.Epsilon, upper = 1f - p.Epsilon;
        for (int r = index; r < p.Rows; r += p.Stride)
        {
            long s = (long)r * p.Cols;
            float sum = 0f;
            for (int j = 0; j < p.Cols; j++) sum += predictions[s + j];
            if (p.Sparse != 0)
            {
                int label = labels[r];
                loss[r] = label >= 0 && label < p.Cols ? -MathF.Log(KernelMath.Clamp(predictions[s + label] / sum, eps, upper)) : float.NaN;
                continue;
            }
            float total = 0f;
            for (int j = 0; j < p.Cols; j++) total -= targets[s + j] * MathF.Log(KernelMath.Clamp(predictions[s + j] / sum, eps, upper));
            loss[r] = total;
        }
    }

    public static void CrossEntropyBackward(Index1D index, ArrayView<float> predictions, ArrayView<int> labels, ArrayView<float> targets,
        ArrayView<float> rowGradient, ArrayView<float> dp, RowArgs p)
    {
        float eps = p.Epsilon, upper = 1f - p.Epsilon;
        for (int r = index; r < p.Rows; r += p.Stride)
        {
            long s = (long)r * p.Cols;
            float sum = 0f;
            for (int j = 0; j < p.Cols; j++) sum += predictions[s + j];
            bool valid = p.Sparse == 0 || (labels[r] >= 0 && labels[r] < p.Cols);
            // u_j = dL/dq_j for q = p / sum (zero where the clip is active); then dL/dp_k = (u_k − Σ_j u_j q_j) / sum.
            float uq = 0f;
            for (int j = 0; j < p.Cols; j++)
            {
                float q = predictions[s + j] / sum;
                float t = Target(labels, targets, p.Sparse, r, s, j);
                float u = q > eps && q < upper ? -t / q : 0f;
                dp[s + j] = u;
                uq += u * q;
            }
            float g = rowGradient[r];
            for (int j = 0; j < p.Cols; j++) dp[s + j] = valid ? g * (dp[s + j] - uq) / sum : float.NaN;
        }
    }

    public static void SquaredError(Index1D index, ArrayView<float> predictions, ArrayView<float> targets, ArrayView<float> loss, RowArgs p)
    {
        for (int r = index; r < p.Rows; r += p.Stride)
        {
            long s = (long)r * p.Cols;
            float sum = 0f;
            for (int j = 0; j < p.Cols; j++) { float d = predictions[s + j] - targets[s + j]; sum += d * d; }
            loss[r] = sum / p.Cols;
        }
    }

    public static void SquaredErrorBackward(Index1D index, ArrayView<float> predictions, ArrayView<float> targets,
        ArrayView<float> rowGradient, ArrayView<float> dp, RowArgs p)
    {
        for (int r = index; r < p.Rows; r += p.Stride)
        {
            long s = (long)r * p.Cols;
            float scale = 2f * rowGradient[r] / p.Cols;
            for (int j = 0; j < p.Cols; j++) dp[s + j] = (predictions[s + j] - targets[s + j]) * scale;
        }
    }

    /// <summary>First index of the row maximum (NaN never wins a comparison), as the CPU backend.</summary>
    private static int ArgMax(ArrayView<float> x, long s, int cols)
    {
        int best = 0;
        for (int j = 1; j < cols; j++) if (x[s + j] > x[s + best]) best = j;
        return best;
    }

    /// <summary>
    /// One group (a power-of-two size ≤ 1024) counts correct rows: each thread sums its rows, the partials meet in a
    /// shared-memory tree, and thread 0 adds the total into <c>accumulator[0]</c>. Deterministic, no float atomics.
    /// </summary>
    public static void AccuracyCount(ArrayView<float> predictions, ArrayView<int> labels, ArrayView<float> targets,
        ArrayView<float> accumulator, RowArgs p)
    {
        var shared = SharedMemory.Allocate<float>(1024);
        int tid = Group.IdxX, threads = Group.DimX;
        float correct = 0f;
        for (int r = tid; r < p.Rows; r += threads)
        {
            long s = (long)r * p.Cols;
            if (p.Kind == 0) correct += ArgMax(predictions, s, p.Cols) == labels[r] ? 1f : 0f;
            else if (p.Kind == 1) correct += ArgMax(predictions, s, p.Cols) == ArgMax(targets, s, p.Cols) ? 1f : 0f;
            else
            {
                float matches = 0f;
                for (int j = 0; j < p.Cols; j++) matches += (predictions[s + j] > 0.5f ? 1f : 0f) == targets[s + j] ? 1f : 0f;
                correct += matches / p.Cols;
            }
        }
        shared[tid] = correct;
        Group.Barrier();
        for (int step = threads / 2; step > 0; step >>= 1)
        {
            if (tid < step) shared[tid] += shared[tid + step];
            Group.Barrier();
        }
        if (tid == 0) accumulator[0] += shared[0];
    }
}
