using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

// Neural-network activations (keras.ops.nn). Relu, sigmoid, tanh and last-axis softmax run on their own kernels;
// the others are compositions of ops, so their gradients come from the tape through the composition.
public static partial class Ops
{
    /// <summary>Rectified linear unit, <c>max(x, 0)</c>.</summary>
    public static Tensor Relu(Tensor x) => Activation(x, ActivationKind.Relu);

    /// <summary>Logistic sigmoid, <c>1 / (1 + exp(−x))</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => Activation(x, ActivationKind.Sigmoid);

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Activation(x, ActivationKind.Tanh);

    /// <summary>An elementwise activation kernel; its gradient is computed from the output.</summary>
    internal static Tensor Activation(Tensor x, ActivationKind kind)
    {
        var y = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.ActivationForward(kind, x.Buffer, y.Buffer, x.Size);
        GradientTape.Record(y, [x], (g, _) =>
        {
            var dx = Tensor.Empty(x.Backend, x.Shape);
            x.Backend.ActivationBackward(kind, y.Buffer, g.Buffer, dx.Buffer, x.Size);
            return [dx];
        });
        return y;
    }

    /// <summary>ReLU capped at 6: <c>min(max(x, 0), 6)</c>.</summary>
    public static Tensor Relu6(Tensor x) => Clip(x, 0f, 6f);

    /// <summary>Leaky ReLU: <c>x</c> where <c>x ≥ 0</c>, else <c>negativeSlope · x</c> (Keras' default slope 0.2).</summary>
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.2f) =>
        Where(GreaterEqual(x, Scalar(x.Backend, 0f)), x, Scale(x, negativeSlope));

    /// <summary>
    /// Exponential linear unit: <c>x</c> where <c>x ≥ 0</c>, else <c>alpha · (eˣ − 1)</c>.
    /// </summary>
    public static Tensor Elu(Tensor x, float alpha = 1f)
    {
        // expm1 of min(x, 0): the unused branch stays finite for large x, so its zero gradient does not become 0·∞.
        var negative = Scale(Expm1(Minimum(x, Scalar(x.Backend, 0f))), alpha);
        return Where(GreaterEqual(x, Scalar(x.Backend, 0f)), x, negative);
    }

    /// <summary>SELU's α (Klambauer et al., 2017), as Keras defines it.</summary>
    internal const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>SELU's scale (Klambauer et al., 2017), as Keras defines it.</summary>
    internal const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>Scaled exponential linear unit: <c>scale · elu(x, alpha)</c> with Keras' fixed α ≈ 1.6733 and scale ≈ 1.0507.</summary>
    public static Tensor Selu(Tensor x) => Scale(Elu(x, (float)SeluAlpha), (float)SeluScale);

    /// <summary>
    /// Continuously differentiable ELU: <c>max(x, 0) + alpha · (exp(min(x, 0) / alpha) − 1)</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="alpha"/> is zero (the formula divides by it).</exception>
    public static Tensor Celu(Tensor x, float alpha = 1f)
    {
        if (alpha == 0f) throw new ArgumentException("celu divides by alpha, so alpha must be nonzero; received alpha=0.0.", nameof(alpha));
        var zero = Scalar(x.Backend, 0f);
        return Add(Maximum(x, zero), Scale(Expm1(Scale(Minimum(x, zero), 1f / alpha)), alpha));
    }

    /// <summary>
    /// Gaussian error linear unit. Exact: <c>x · (1 + erf(x / √2)) / 2</c>; with <paramref name="approximate"/> (the
    /// keras.ops default) the tanh form <c>x · (1 + tanh(√(2/π) · (x + 0.044715 x³))) / 2</c>.
    /// </summary>
    public static Tensor Gelu(Tensor x, bool approximate = true)
    {
        if (approximate)
        {
            var inner = Scale(Add(x, Scale(Multiply(x, Square(x)), 0.044715f)), (float)Math.Sqrt(2.0 / Math.PI));
            return Multiply(x, ScaleAdd(Tanh(inner), 0.5f, 0.5f));
        }
        return Multiply(x, ScaleAdd(Erf(Scale(x, (float)(1.0 / Math.Sqrt(2.0)))), 0.5f, 0.5f));
    }

    /// <summary>Piecewise-linear sigmoid: <c>clip(x / 6 + 0.5, 0, 1)</c>.</summary>
    public static Tensor HardSigmoid(Tensor x) => Clip(ScaleAdd(x, 1f / 6f, 0.5f), 0f, 1f);

    /// <summary>Hard SiLU (hard swish): <c>x · hard_sigmoid(x)</c>.</summary>
    public static Tensor HardSilu(Tensor x) => Multiply(x, HardSigmoid(x));

    /// <summary>Hard swish, Keras' other name for <see cref="HardSilu"/>.</summary>
    public static Tensor HardSwish(Tensor x) => HardSilu(x);

    /// <summary>Sparse sigmoid: 0 for <c>x ≤ −1</c>, <c>(x + 1) / 2</c> in between, 1 for <c>x ≥ 1</c>.</summary>
    public static Tensor SparseSigmoid(Tensor x) => Clip(ScaleAdd(x, 0.5f, 0.5f), 0f, 1f);

    /// <summary><c>log(sigmoid(x)) = −softplus(−x)</c>, finite for large |x|.</summary>
    public static Tensor LogSigmoid(Tensor x) => Negative(Softplus(Negative(x)));

    /// <summary>SiLU (swish): <c>x · sigmoid(x)</c>.</summary>
    public static Tensor Silu(Tensor x) => Multiply(x, Sigmoid(x));

    /// <summary>Swish, Keras' other name for <see cref="Silu"/>.</summary>
    public static Tensor Swish(Tensor x) => Silu(x);

    /// <summary>Softsign: <c>x / (|x| + 1)</c>.</summary>
    public static Tensor Softsign(Tensor x) => Divide(x, Add(Abs(x), 1f));

    /// <summary>Clips to <c>[−1, 1]</c>.</summary>
    public static Tensor HardTanh(Tensor x) => Clip(x, -1f, 1f);

    /// <summary><c>x − tanh(x)</c>.</summary>
    public static Tensor TanhShrink(Tensor x) => Subtract(x, Tanh(x));

    /// <summary><c>x − threshold</c> above <c>threshold</c>, <c>x + threshold</c> below <c>−threshold</c>, else 0.</summary>
    public static Tensor SoftShrink(Tensor x, float threshold = 0.5f)
    {
        var zero = Zeros(x.Backend, x.Shape);
        var below = Where(Less(x, Scalar(x.Backend, -threshold)), Add(x, threshold), zero);
        return Where(Greater(x, Scalar(x.Backend, threshold)), Subtract(x, threshold), below);
    }

    /// <summary><c>x</c> where <c>|x| &gt; threshold</c>, else 0.</summary>
    public static Tensor HardShrink(Tensor x, float threshold = 0.5f) =>
        Where(Greater(Abs(x), Scalar(x.Backend, threshold)), x, Scalar(x.Backend, 0f));

    /// <summary><c>x</c> where <c>x &gt; threshold</c>, else <paramref name="defaultValue"/>.</summary>
    public static Tensor Threshold(Tensor x, float threshold, float defaultValue) =>
        Where(Greater(x, Scalar(x.Backend, threshold)), x, Scalar(x.Backend, defaultValue));

    /// <summary>Sparse plus: 0 for <c>x ≤ −1</c>, <c>(x + 1)² / 4</c> for <c>−1 &lt; x &lt; 1</c>, <c>x</c> for <c>x ≥ 1</c>.</summary>
    public static Tensor SparsePlus(Tensor x)
    {
        // The square is taken of x clipped to [-1, 1], so the unused branch stays small for large |x|.
        var middle = Scale(Square(Add(Clip(x, -1f, 1f), 1f)), 0.25f);
        var belowOne = Where(LessEqual(x, Scalar(x.Backend, -1f)), Scalar(x.Backend, 0f), middle);
        return Where(Less(x, Scalar(x.Backend, 1f)), belowOne, x);
    }

    /// <summary>Squareplus: <c>(x + √(x² + b)) / 2</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> is negative (the square root would be undefined near 0).</exception>
    public static Tensor Squareplus(Tensor x, float b = 4f)
    {
        if (!(b >= 0f)) throw new ArgumentException($"squareplus expects b ≥ 0; received b={Utils.PyFormat.ReprOfLiteral(b)}.", nameof(b));
        return Scale(Add(x, Sqrt(Add(Square(x), b))), 0.5f);
    }

    /// <summary>
    /// Gated linear unit: splits <paramref name="x"/> in two halves <c>a, b</c> along <paramref name="axis"/> and
    /// returns <c>a · sigmoid(b)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The axis is out of range or its size is odd.</exception>
    public static Tensor Glu(Tensor x, int axis = -1)
    {
        int a = NormalizeAxis(axis, x.Rank);
        if (x.Dims[a] % 2 != 0)
            throw new ArgumentException($"axis size must be divisible by 2. Received: x.shape={Shapes.Format(x.Dims)} with axis={axis}");
        int half = x.Dims[a] / 2;
        return Multiply(Slice(x, a, 0, half), Sigmoid(Slice(x, a, half, half)));
    }

    /// <summary>Softmax along the last axis (the row maximum is subtracted first, so large logits do not overflow).</summary>
    public static Tensor Softmax(Tensor x)
    {
        if (x.Rank == 0) throw new ArgumentException("Softmax needs at least one axis; received a scalar.");
        int cols = x.Dims[^1], rows = Shapes.Rows(x.Dims);
        var y = Tensor.Empty(x.Backend, x.Shape);
        x.Backend.Softmax(x.Buffer, y.Buffer, rows, cols);
        GradientTape.Record(y, [x], (g, _) =>
        {
            // dx = y·(dy − Σ dy·y) per row.
            var dx = Tensor.Empty(x.Backend, x.Shape);
            x.Backend.SoftmaxBackward(y.Buffer, g.Buffer, dx.Buffer, rows, cols);
            return [dx];
        });
        return y;
    }

    /// <summary>Softmax along <paramref name="axis"/> (negative counts from the end).</summary>
    public static Tensor Softmax(Tensor x, int axis) => Softmax(x, [axis]);

    /// <summary>
    /// Softmax jointly over <paramref name="axes"/>: the elements of each slice spanned by those axes sum to 1. Other
    /// axes than the last are moved to the end (and flattened together), run through the last-axis kernel and moved back.
    /// </summary>
    /// <exception cref="ArgumentException">No axes, an axis out of range or repeated.</exception>
    public static Tensor Softmax(Tensor x, int[] axes)
    {
        var (perm, keptRank) = AxesToEnd(x, axes, "softmax");
        if (keptRank == x.Rank - 1 && perm[^1] == x.Rank - 1) return Softmax(x);
        bool identity = perm.Select((p, i) => p == i).All(same => same);
        var moved = identity ? x : Transpose(x, perm);
        var y = Reshape(Softmax(Reshape(moved, [.. moved.Dims[..keptRank], -1])), moved.Shape);
        if (identity) return y;
        var inverse = new int[perm.Length];
        for (int d = 0; d < perm.Length; d++) inverse[perm[d]] = d;
        return Transpose(y, inverse);
    }

    /// <summary>Log-softmax along <paramref name="axis"/>: <c>x − max − log(Σ exp(x − max))</c>, finite for large logits.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => LogSoftmax(x, [axis]);

    /// <summary>Log-softmax jointly over <paramref name="axes"/>.</summary>
    /// <exception cref="ArgumentException">No axes, an axis out of range or repeated.</exception>
    public static Tensor LogSoftmax(Tensor x, int[] axes)
    {
        AxesToEnd(x, axes, "log_softmax");
        var shifted = Subtract(x, Max(x, axes, keepDims: true));
        return Subtract(shifted, Log(Sum(Exp(shifted), axes, keepDims: true)));
    }

    /// <summary>
    /// Sparsemax along <paramref name="axis"/> (Martins and Astudillo, 2016): the Euclidean projection of each slice onto
    /// the probability simplex, <c>max(x − τ, 0)</c>, whose outputs sum to 1 and are often exactly 0.
    /// </summary>
    /// <remarks>
    /// Without a sort op, the support is found by comparing every pair of elements of a slice: element i is in it when
    /// <c>1 + k_i·x_i &gt; Σ_{j: x_j ≥ x_i} x_j</c> with <c>k_i = #{j: x_j ≥ x_i}</c>, and
    /// <c>τ = (Σ_support x − 1) / |support|</c>. That takes memory quadratic in the axis length (n² per slice). The
    /// gradient is the tape's through this composition, which is sparsemax's Jacobian (the support is locally constant).
    /// </remarks>
    /// <exception cref="ArgumentException">The axis is out of range, or x is a scalar.</exception>
    public static Tensor Sparsemax(Tensor x, int axis = -1)
    {
        var (perm, _) = AxesToEnd(x, [axis], "sparsemax");
        bool identity = perm.Select((p, i) => p == i).All(same => same);
        var z = identity ? x : Transpose(x, perm);
        var zi = ExpandDims(z, -1);                                    // [..., n, 1]
        var zj = ExpandDims(z, -2);                                    // [..., 1, n]
        var atLeast = GreaterEqual(zj, zi);                            // [..., i, j] = x_j ≥ x_i
        var count = Sum(atLeast, [-1]);                                // k_i
        var sumAtLeast = Sum(Multiply(atLeast, zj), [-1]);             // Σ_{j: x_j ≥ x_i} x_j
        var support = Greater(Add(Multiply(count, z), 1f), sumAtLeast);
        var tau = Divide(Subtract(Sum(Multiply(support, z), [-1], keepDims: true), 1f), Sum(support, [-1], keepDims: true));
        var y = Maximum(Subtract(z, tau), Scalar(x.Backend, 0f));
        if (identity) return y;
        var inverse = new int[perm.Length];
        for (int d = 0; d < perm.Length; d++) inverse[perm[d]] = d;
        return Transpose(y, inverse);
    }

    /// <summary>Validates <paramref name="axes"/> and returns the permutation that moves them, in order, after the others.</summary>
    private static (int[] Perm, int KeptRank) AxesToEnd(Tensor x, int[] axes, string op)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (x.Rank == 0) throw new ArgumentException($"{op} needs at least one axis; received a scalar.");
        if (axes.Length == 0) throw new ArgumentException($"{op} expects at least one axis; received none.");
        var chosen = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            chosen[i] = NormalizeAxis(axes[i], x.Rank);
            if (Array.IndexOf(chosen, chosen[i], 0, i) >= 0)
                throw new ArgumentException($"Axis {axes[i]} appears twice in ({string.Join(", ", axes)}).");
        }
        var kept = Enumerable.Range(0, x.Rank).Where(d => Array.IndexOf(chosen, d) < 0).ToArray();
        return ([.. kept, .. chosen], kept.Length);
    }
}
