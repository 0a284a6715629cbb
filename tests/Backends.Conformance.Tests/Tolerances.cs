using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>
/// One comparison rule, llm.c's <c>|got − ref| ≤ atol + rtol·|ref|</c> extended by a summation term:
/// <c>allowed = Atol + Rtol·|ref| + Gamma·magnitude</c>, where <c>magnitude</c> is the float64 reference evaluated on
/// absolute values (<c>(|A|·|B|)_ij</c> for a product, <c>Σ|x|</c> for a sum): the quantity rounding error scales with.
/// </summary>
public readonly record struct Tolerance(double Atol, double Rtol, double Gamma = 0)
{
    public double Allowed(double reference, double magnitude) => Atol + Rtol * Math.Abs(reference) + Gamma * magnitude;

    public override string ToString() => $"atol {Atol:G3}, rtol {Rtol:G3}, gamma {Gamma:G3}";
}

/// <summary>
/// THE tolerances of the conformance suite; no test states its own. Every backend computes in float32 and is compared with
/// a float64 reference, so the bounds are float32 rounding bounds:
/// <list type="bullet">
/// <item>ε = FLT_EPSILON = 2⁻²³ (twice the unit roundoff u = 2⁻²⁴).</item>
/// <item>Sums of K terms (MatMul, Reduce, softmax denominators, loss sums): Higham's forward bound
/// <c>|fl(Σ) − Σ| ≤ γ_K·Σ|terms|</c>, γ_K ≈ K·u, holds for any summation order (sequential, blocked, pairwise, tree, with
/// or without FMA). We use <c>(K + c)·ε</c>: the factor ε = 2u is 2x headroom over γ_K (covering the 1/(1 − Ku) term),
/// and c (2 to 8, per kernel) counts the extra roundings around the sum (bias add, scaling, output rounding).</item>
/// <item>exp, log, tanh, sigmoid: <see cref="Transcendental"/> relative; a vectorised or GPU libm is a few ulps off.</item>
/// <item>Atol = FLT_MIN everywhere a value can be tiny: a backend may flush denormals to zero (GPU FTZ; our optimizers).</item>
/// <item>Selections (max, min, relu, where, comparisons, gather, copy, permute, accuracy counts), integer rounding and
/// casts are exact; random numbers and data movement are bitwise.</item>
/// </list>
/// </summary>
public static class Tolerances
{
    public const double Eps = 1.0 / (1 << 23);
    public const double Tiny = 1.1754943508222875e-38;
    public const double Transcendental = 1e-6;

    /// <summary>Exact: selections, copies, integer-valued counts.</summary>
    public static readonly Tolerance Exact = new(0, 0);

    /// <summary>A few roundings: magnitude = the formula on absolute values (|a| + |b| for a sum, |a·b| for a product).</summary>
    public static readonly Tolerance Elementwise = new(Tiny, 0, 4 * Eps);

    public static Tolerance ActivationForward(ActivationKind kind) =>
        kind is ActivationKind.Sigmoid or ActivationKind.Tanh ? new(Tiny, Transcendental) : Exact;

    /// <summary>Backward from the output: <c>dy·y(1 − y)</c>, <c>dy(1 − y²)</c>; magnitude on absolute values.</summary>
    public static Tolerance ActivationBackward(ActivationKind kind) =>
        kind is ActivationKind.Sigmoid or ActivationKind.Tanh ? Elementwise : Exact;

    /// <summary>Arithmetic: a few roundings (<see cref="Elementwise"/>); max/min and the comparisons are selections (exact);
    /// Power is a transcendental (<c>exp(b·log a)</c> in a libm): <see cref="Transcendental"/> relative.</summary>
    public static Tolerance Binary(BinaryOp op) => op switch
    {
        BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide => Elementwise,
        BinaryOp.Power => new(Tiny, Transcendental),
        _ => Exact,
    };

    /// <summary>
    /// Unary math against the float64 value of the float32 input:
    /// <list type="bullet">
    /// <item>Sign changes, selections and rounding to integers (Negative, Abs, Sign, Floor, Ceil, Round) are exact.</item>
    /// <item>Square, Sqrt and Reciprocal are one IEEE operation, correctly rounded (half an ulp ≤ ε/2 relative): ε relative.</item>
    /// <item>exp, expm1, log, log1p, sin, cos, tanh, sigmoid, softplus: <see cref="Transcendental"/> relative (≈ 8 ulps),
    /// near zero too (expm1/log1p must not cancel, tanh/sin must be accurate for tiny x).</item>
    /// <item>erf: 5e-7 relative. Its magnitude is ≤ 1, so this is at most 5e-7 absolute (the bound of the shared
    /// series + Abramowitz–Stegun 7.1.26 algorithm, whose own error is ≤ 1.5e-7 absolute), and it holds small arguments
    /// to relative accuracy.</item>
    /// </list>
    /// Atol = FLT_MIN for results a device may flush to zero.
    /// </summary>
    public static Tolerance Unary(UnaryOp op) => op switch
    {
        UnaryOp.Negative or UnaryOp.Abs or UnaryOp.Sign or UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round => Exact,
        UnaryOp.Square or UnaryOp.Sqrt or UnaryOp.Reciprocal => new(Tiny, Eps),
        UnaryOp.Erf => new(Tiny, ErfRelative),
        _ => new(Tiny, Transcendental),
    };

    /// <summary>erf's relative bound (see <see cref="Unary"/>).</summary>
    public const double ErfRelative = 5e-7;

    /// <summary>Sum/Mean over <paramref name="axis"/> terms (+ the accumulated y); Max and Min are exact (their magnitude
    /// is 0) except for the one addition when accumulating.</summary>
    public static Tolerance Reduce(ReduceOp op, int axis) =>
        op is ReduceOp.Max or ReduceOp.Min ? new(0, 0, Eps) : new(Tiny, 0, (axis + 3) * Eps);

    /// <summary>K-term dot products, then bias add and activation (Lipschitz ≤ 1, so the pre-activation error carries
    /// over); sigmoid/tanh add their own relative error.</summary>
    public static Tolerance MatMul(int k, ActivationKind activation) =>
        new(Tiny, activation is ActivationKind.Sigmoid or ActivationKind.Tanh ? Transcendental : 0, (k + 3) * Eps);

    /// <summary><c>y_j = exp(x_j − m)/S</c>: exp's error, S's γ_cols, the division; magnitude = <c>y_j·|x_j − m|</c> covers the
    /// rounding of <c>x_j − m</c>, which exp turns into a relative error of that size.</summary>
    public static Tolerance Softmax(int cols) => new(Tiny, Transcendental + (cols + 3) * Eps, Eps);

    /// <summary><c>dx = y(dy − Σ y·dy)</c>; magnitude = <c>|y|(|dy| + Σ|y·dy|)</c>.</summary>
    public static Tolerance SoftmaxBackward(int cols) => new(Tiny, 0, (cols + 3) * Eps);

    /// <summary>Row loss <c>Σt·(m + log S) − Σ t·z</c>; magnitude = <c>Σ|t|(|m| + |log S| + 1) + Σ|t·z|</c> (the 1: log turns
    /// S's relative error into an absolute one).</summary>
    public static Tolerance SoftmaxCrossEntropyLoss(int cols) => new(Tiny, 0, Transcendental + (cols + 4) * Eps);

    /// <summary><c>g(p·Σt − t)</c>; magnitude = <c>|g|(p·Σ|t| + |t|)</c>.</summary>
    public static Tolerance SoftmaxCrossEntropyBackward(int cols) => new(Tiny, 0, (cols + 3) * Eps);

    /// <summary><c>−Σ t·log clip(p/s)</c>; magnitude = <c>Σ|t|(|log q| + 1)</c>: s (cols terms) and q = p/s feed log's argument.</summary>
    public static Tolerance CrossEntropyLoss(int cols) => new(Tiny, 0, Transcendental + (2 * cols + 4) * Eps);

    /// <summary><c>g(u_k − Σ u·q)/s</c>, u = −t/q; magnitude = <c>|g|(|u_k| + Σ|u·q|)/s</c>.</summary>
    public static Tolerance CrossEntropyBackward(int cols) => new(Tiny, 0, (2 * cols + 8) * Eps);

    /// <summary>A mean of cols non-negative squares: relative.</summary>
    public static Tolerance SquaredError(int cols) => new(Tiny, (cols + 4) * Eps);

    public static readonly Tolerance SquaredErrorBackward = new(Tiny, 4 * Eps);

    /// <summary>Counts of correct rows are small integers (exact in float32); binary accuracy sums row fractions.</summary>
    public static Tolerance Accuracy(AccuracyKind kind, int rows, int cols) =>
        kind == AccuracyKind.Binary ? new(0, (rows + cols + 2) * Eps) : Exact;

    /// <summary>Optimizer state and weights: a few ulps of the update's scale, magnitude = <c>|old| + |new| + |new − old|</c>.</summary>
    public static readonly Tolerance Optimizer = new(Tiny, 0, 8 * Eps);

    /// <summary>Finite differences in float64 (h = 1e-6·|x|): truncation O(h²), cancellation O(1e-16/h).</summary>
    public static readonly Tolerance GradientCheck = new(1e-8, 1e-6);
}
