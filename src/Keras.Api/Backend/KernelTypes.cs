namespace KerasGpu.Backend;

/// <summary>Elementwise activations a backend implements as kernels (and as the MatMul epilogue).</summary>
/// <remarks>Every member's derivative is expressible from the activation's output alone, so backward
/// kernels take the output, and a fused MatMul epilogue need not keep the pre-activation values.</remarks>
public enum ActivationKind
{
    /// <summary><c>y = x</c>.</summary>
    Linear,
    /// <summary><c>y = max(x, 0)</c>.</summary>
    Relu,
    /// <summary><c>y = 1 / (1 + exp(-x))</c>.</summary>
    Sigmoid,
    /// <summary><c>y = tanh(x)</c>.</summary>
    Tanh,
}

/// <summary>Elementwise binary operations with NumPy broadcasting.</summary>
public enum BinaryOp
{
    /// <summary><c>a + b</c>.</summary>
    Add,
    /// <summary><c>a - b</c>.</summary>
    Subtract,
    /// <summary><c>a * b</c>.</summary>
    Multiply,
    /// <summary><c>a / b</c>.</summary>
    Divide,
    /// <summary><c>max(a, b)</c>.</summary>
    Maximum,
    /// <summary><c>min(a, b)</c>.</summary>
    Minimum,
    /// <summary><c>a ^ b</c> (C's <c>powf</c>: a negative base with a non-integer exponent gives NaN).</summary>
    Power,
    /// <summary><c>a &gt; b</c> as 1 or 0.</summary>
    Greater,
    /// <summary><c>a ≥ b</c> as 1 or 0.</summary>
    GreaterEqual,
    /// <summary><c>a &lt; b</c> as 1 or 0.</summary>
    Less,
    /// <summary><c>a ≤ b</c> as 1 or 0.</summary>
    LessEqual,
    /// <summary><c>a == b</c> as 1 or 0 (NaN equals nothing).</summary>
    Equal,
    /// <summary><c>a ≠ b</c> as 1 or 0 (NaN differs from everything).</summary>
    NotEqual,
}

/// <summary>Elementwise unary math (float32 in, float32 out). NaN propagates through every member.</summary>
public enum UnaryOp
{
    /// <summary><c>−x</c>.</summary>
    Negative,
    /// <summary><c>|x|</c>.</summary>
    Abs,
    /// <summary><c>sign(x)</c>: −1, 0 or 1 (NaN stays NaN).</summary>
    Sign,
    /// <summary><c>x²</c>.</summary>
    Square,
    /// <summary><c>√x</c> (NaN below 0).</summary>
    Sqrt,
    /// <summary><c>1 / x</c>.</summary>
    Reciprocal,
    /// <summary><c>eˣ</c>.</summary>
    Exp,
    /// <summary><c>eˣ − 1</c>, accurate near 0.</summary>
    Expm1,
    /// <summary>Natural logarithm (−∞ at 0, NaN below).</summary>
    Log,
    /// <summary><c>log(1 + x)</c>, accurate near 0.</summary>
    Log1p,
    /// <summary><c>sin(x)</c>.</summary>
    Sin,
    /// <summary><c>cos(x)</c>.</summary>
    Cos,
    /// <summary><c>tanh(x)</c>.</summary>
    Tanh,
    /// <summary><c>1 / (1 + e⁻ˣ)</c>.</summary>
    Sigmoid,
    /// <summary><c>log(1 + eˣ)</c>, computed as <c>max(x, 0) + log1p(e^−|x|)</c> so it neither overflows nor loses small values.</summary>
    Softplus,
    /// <summary>The error function <c>erf(x)</c>.</summary>
    Erf,
    /// <summary>Largest integer ≤ x.</summary>
    Floor,
    /// <summary>Smallest integer ≥ x.</summary>
    Ceil,
    /// <summary>Nearest integer, halves to even (NumPy's <c>round</c>).</summary>
    Round,
}

/// <summary>Reductions over the middle axis of a tensor viewed as <c>[outer, axis, inner]</c>.</summary>
public enum ReduceOp
{
    /// <summary>Sum.</summary>
    Sum,
    /// <summary>Arithmetic mean.</summary>
    Mean,
    /// <summary>Maximum.</summary>
    Max,
    /// <summary>Minimum.</summary>
    Min,
}

/// <summary>How classification targets are encoded.</summary>
public enum TargetKind
{
    /// <summary>One int32 class index per row (sparse labels).</summary>
    SparseIndex,
    /// <summary>A float32 row of the same width as the prediction (one-hot or soft labels).</summary>
    Dense,
}

/// <summary>Which Keras accuracy an accuracy-count kernel computes.</summary>
public enum AccuracyKind
{
    /// <summary><c>argmax(y_pred) == y_true</c> with int32 labels (SparseCategoricalAccuracy).</summary>
    SparseCategorical,
    /// <summary><c>argmax(y_pred) == argmax(y_true)</c> (CategoricalAccuracy).</summary>
    Categorical,
    /// <summary><c>(y_pred &gt; 0.5) == y_true</c> per element, averaged over the row (BinaryAccuracy).</summary>
    Binary,
}

/// <summary>
/// Shape of <c>Y[m, n] = op(A)[m, k] · op(B)[k, n]</c>, all row-major.
/// With <see cref="TransposeA"/> A is stored as <c>[k, m]</c>; with <see cref="TransposeB"/> B is stored as <c>[n, k]</c>.
/// </summary>
/// <param name="M">Rows of the result.</param>
/// <param name="N">Columns of the result.</param>
/// <param name="K">The contracted dimension.</param>
/// <param name="TransposeA">A is stored transposed (<c>[k, m]</c>).</param>
/// <param name="TransposeB">B is stored transposed (<c>[n, k]</c>).</param>
public readonly record struct MatMulShape(int M, int N, int K, bool TransposeA = false, bool TransposeB = false)
{
    /// <summary>Floating-point operations of one multiplication (2·M·N·K).</summary>
    public double Flops => 2.0 * M * N * K;
}
