namespace KerasGpu.Backend;

/// <summary>
/// The backend contract: the only door to a device. A backend owns device memory and a queue; everything above it
/// holds <see cref="IDeviceBuffer"/> handles. Kernel launches are asynchronous: they may return before the device has
/// finished, and only <see cref="Download{T}"/> (or <see cref="Synchronize"/>) waits. All kernels take float32 buffers
/// unless a parameter says int32; lengths and shapes are validated by the caller (the Ops layer), so a kernel may assume
/// them. Reference formulas for every kernel live in the conformance suite's float64 reference.
/// Edge semantics every backend follows (NumPy's): NaN propagates through Relu, Maximum/Minimum, reductions and
/// softmax, and a NaN poisons only its own row; Relu's backward gives 0 where the output is not positive (or NaN);
/// argmax ties go to the first index; the cross-entropy clip has zero gradient outside the open interval
/// <c>(ε, 1 − ε)</c>; optimizer state that decays below the smallest normal float32 may be flushed to zero.
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>The backend's registry name with its device selector, e.g. <c>"cpu"</c> or <c>"ilgpu:cuda:0"</c>.</summary>
    string Name { get; }

    /// <summary>Human-readable device name (e.g. the CPU model or GPU name).</summary>
    string DeviceName { get; }

    /// <summary>Number of buffers currently allocated and not disposed (leak checks).</summary>
    long LiveBufferCount { get; }

    // ---- memory ----------------------------------------------------------------------------------------------

    /// <summary>Allocates a buffer of <paramref name="length"/> elements. Its contents are unspecified.</summary>
    IDeviceBuffer Allocate(DType dtype, long length);

    /// <summary>Copies host data into <paramref name="destination"/> starting at element <paramref name="destinationOffset"/>.</summary>
    void Upload<T>(ReadOnlySpan<T> source, IDeviceBuffer destination, long destinationOffset = 0) where T : unmanaged;

    /// <summary>Waits for pending work, then copies <c>destination.Length</c> elements starting at <paramref name="sourceOffset"/> to the host.</summary>
    void Download<T>(IDeviceBuffer source, Span<T> destination, long sourceOffset = 0) where T : unmanaged;

    /// <summary>Waits until every launched kernel has finished.</summary>
    void Synchronize();

    // ---- data movement ---------------------------------------------------------------------------------------

    /// <summary><c>y[i] = value</c> for every element of a float32 buffer.</summary>
    void Fill(IDeviceBuffer y, float value);

    /// <summary><c>y[yOffset + i] = x[xOffset + i]</c> for <c>i &lt; count</c>; both buffers of the same dtype.</summary>
    void Copy(IDeviceBuffer x, long xOffset, IDeviceBuffer y, long yOffset, long count);

    /// <summary>
    /// Row gather: <c>y[i, :] = x[indices[indexOffset + i], :]</c> for <c>i &lt; count</c>, rows of <paramref name="rowLength"/>
    /// elements; x and y share a dtype (float32 or int32), indices are int32. Batching on the device.
    /// </summary>
    void GatherRows(IDeviceBuffer x, int rowLength, IDeviceBuffer indices, long indexOffset, int count, IDeviceBuffer y);

    /// <summary>
    /// Strided block copy: <c>y[yOffset + r·yRowStride + j] = x[xOffset + r·xRowStride + j]</c> for <c>r &lt; rows</c>,
    /// <c>j &lt; rowLength</c>; both buffers of the same dtype (float32 or int32). Concatenation and slicing along any
    /// axis are such copies (rows = the product of the leading dimensions).
    /// </summary>
    void CopyStrided(IDeviceBuffer x, long xOffset, int xRowStride, IDeviceBuffer y, long yOffset, int yRowStride,
        int rows, int rowLength);

    /// <summary>
    /// Axis permutation (a transpose generalised to any rank ≤ 8): <c>y</c> has shape <c>xShape[perm[d]]</c> and
    /// <c>y[i_0, …, i_n] = x[j]</c> where <c>j_{perm[d]} = i_d</c>. Both buffers of the same dtype (float32 or int32).
    /// </summary>
    void Permute(IDeviceBuffer x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> perm, IDeviceBuffer y);

    /// <summary>Converts <paramref name="count"/> elements between int32 and float32 (float → int truncates toward zero).</summary>
    void Cast(IDeviceBuffer x, IDeviceBuffer y, long count);

        // ---- linear algebra --------------------------------------------------------------------------------------

    /// <summary>
    /// <c>Y = act(op(A) · op(B) + bias)</c> with the optional bias (length N, broadcast over rows) and activation fused
    /// into the write-back. With <paramref name="accumulate"/> the product is added to Y instead (then bias and
    /// activation must be absent). Error grows with K: the conformance suite bounds it by K·ε·(|A|·|B|).
    /// </summary>
    void MatMul(IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, MatMulShape shape,
        IDeviceBuffer? bias = null, ActivationKind activation = ActivationKind.Linear, bool accumulate = false);

    // ---- elementwise -----------------------------------------------------------------------------------------

    /// <summary><c>y = act(x)</c> over <paramref name="count"/> elements.</summary>
    void ActivationForward(ActivationKind kind, IDeviceBuffer x, IDeviceBuffer y, long count);

    /// <summary><c>dx = dy · act'(x)</c>, with the derivative written in terms of the output <paramref name="y"/>.</summary>
    void ActivationBackward(ActivationKind kind, IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, long count);

    /// <summary>
    /// <c>y = a ⊕ b</c> with NumPy broadcasting; shapes are row-major, right-aligned, and each input dimension is
    /// either equal to the output's or 1. <paramref name="yShape"/> is the broadcast shape.
    /// </summary>
    void Binary(BinaryOp op, IDeviceBuffer a, ReadOnlySpan<int> aShape, IDeviceBuffer b, ReadOnlySpan<int> bShape,
        IDeviceBuffer y, ReadOnlySpan<int> yShape);

    /// <summary><c>y = op(x)</c> over <paramref name="count"/> elements; y may alias x.</summary>
    void Unary(UnaryOp op, IDeviceBuffer x, IDeviceBuffer y, long count);

    /// <summary><c>y = condition ≠ 0 ? a : b</c> over <paramref name="count"/> elements, all float32, no broadcasting. NaN
    /// in the branch not taken does not leak into y.</summary>
    void Where(IDeviceBuffer condition, IDeviceBuffer a, IDeviceBuffer b, IDeviceBuffer y, long count);

    /// <summary><c>y = alpha·x + beta·z</c> (or <c>alpha·x + beta</c> when <paramref name="z"/> is null) over <paramref name="count"/> elements. y may alias x or z.</summary>
    void ScaleAdd(IDeviceBuffer x, float alpha, IDeviceBuffer? z, float beta, IDeviceBuffer y, long count);

    /// <summary>
    /// <c>y[o, i] = op over a of x[o, a, i]</c> for x viewed as <c>[outer, axis, inner]</c> and y as <c>[outer, inner]</c>.
    /// The bias gradient is <c>Reduce(Sum, dY, 1, rows, cols)</c>. With <paramref name="accumulate"/> the result is added to y.
    /// </summary>
    void Reduce(ReduceOp op, IDeviceBuffer x, int outer, int axis, int inner, IDeviceBuffer y, bool accumulate = false);

    // ---- softmax and losses (one row per sample, classes along the last axis) --------------------------------

    /// <summary>Softmax along the last axis of a <c>[rows, cols]</c> view, with the row maximum subtracted first.</summary>
    void Softmax(IDeviceBuffer x, IDeviceBuffer y, int rows, int cols);

    /// <summary>Softmax gradient from its output: <c>dx = y · (dy − Σ_j dy_j y_j)</c> per row.</summary>
    void SoftmaxBackward(IDeviceBuffer y, IDeviceBuffer dy, IDeviceBuffer dx, int rows, int cols);

    /// <summary>
    /// Fused softmax + cross-entropy from logits: <c>probabilities = softmax(logits)</c> and
    /// <c>rowLoss[r] = logsumexp(logits[r])·Σ_j target[r, j] − Σ_j target[r, j]·logits[r, j]</c>, i.e.
    /// <c>−Σ_j t_j·log_softmax_j</c> as Keras computes it (sparse targets pick one class, Σt = 1).
    /// </summary>
    void SoftmaxCrossEntropy(IDeviceBuffer logits, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        IDeviceBuffer probabilities, IDeviceBuffer rowLoss);

    /// <summary>
    /// Gradient of the fused loss: <c>dLogits[r, j] = rowLossGradient[r] · (probabilities[r, j] − target[r, j])</c>
    /// (for soft targets, times Σ_j target[r, j] on the probability term).
    /// </summary>
    void SoftmaxCrossEntropyBackward(IDeviceBuffer probabilities, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer logitsGradient, int rows, int cols);

    /// <summary>
    /// Cross-entropy of probabilities, as Keras computes it when <c>from_logits=False</c>: each row is renormalised to
    /// sum to 1, clipped to <c>[epsilon, 1 − epsilon]</c>, then <c>rowLoss[r] = −Σ_j target[r, j]·log(p[r, j])</c>.
    /// </summary>
    void CrossEntropy(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind, int rows, int cols,
        float epsilon, IDeviceBuffer rowLoss);

    /// <summary>Gradient of <see cref="CrossEntropy"/> with respect to the predictions (zero where the clip is active).</summary>
    void CrossEntropyBackward(IDeviceBuffer predictions, IDeviceBuffer targets, TargetKind targetKind,
        IDeviceBuffer rowLossGradient, IDeviceBuffer predictionsGradient, int rows, int cols, float epsilon);

    /// <summary>Mean squared error per row: <c>rowLoss[r] = mean_j (pred[r, j] − target[r, j])²</c>.</summary>
    void SquaredError(IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols, IDeviceBuffer rowLoss);

    /// <summary>Gradient of <see cref="SquaredError"/>: <c>dPred[r, j] = rowLossGradient[r] · 2·(pred − target)/cols</c>.</summary>
    void SquaredErrorBackward(IDeviceBuffer predictions, IDeviceBuffer targets, IDeviceBuffer rowLossGradient,
        IDeviceBuffer predictionsGradient, int rows, int cols);

    /// <summary>
    /// Adds the number of correctly classified rows of a batch to <c>accumulator[0]</c> (for <see cref="AccuracyKind.Binary"/>,
    /// the per-row mean of element matches), so accuracy sums stay on the device between progress refreshes.
    /// </summary>
    void AccuracyCount(AccuracyKind kind, IDeviceBuffer predictions, IDeviceBuffer targets, int rows, int cols,
        IDeviceBuffer accumulator);

    // ---- optimizers: one fused update per optimizer, over count parameters --------------------------------------

    /// <summary>
    /// Keras SGD. Without momentum: <c>w −= lr·g</c>. With momentum: <c>m = μ·m − lr·g</c>, then <c>w += m</c>, or for
    /// Nesterov <c>w += μ·m − lr·g</c>. <paramref name="momentum"/> buffer is null when μ = 0.
    /// </summary>
    void SgdUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer? momentum, long count,
        float learningRate, float momentumFactor, bool nesterov);

    /// <summary>
    /// Keras RMSprop: <c>v = ρ·v + (1−ρ)·g²</c>; centered: <c>ḡ = ρ·ḡ + (1−ρ)·g</c>, <c>d = v − ḡ²</c>, else <c>d = v</c>;
    /// <c>inc = lr·g / sqrt(d + ε)</c> (ε inside the square root); with momentum <c>m = μ·m + inc; w −= m</c>, else <c>w −= inc</c>.
    /// Values that decay to float32 denormals are flushed to zero.
    /// </summary>
    void RmsPropUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer velocity, IDeviceBuffer? momentum,
        IDeviceBuffer? averageGradient, long count, float learningRate, float rho, float momentumFactor, float epsilon);

    /// <summary>
    /// Keras Adam ("epsilon-hat" form): <c>m += (g − m)(1−β1)</c>, <c>v += (g² − v)(1−β2)</c>, optionally
    /// <c>v̂ = max(v̂, v)</c> (AMSGrad, used in place of v), then <c>w −= α·m / (sqrt(v) + ε)</c> where the caller passes
    /// <c>α = lr·sqrt(1 − β2^t) / (1 − β1^t)</c>. Moments that decay to float32 denormals are flushed to zero.
    /// </summary>
    void AdamUpdate(IDeviceBuffer weights, IDeviceBuffer gradients, IDeviceBuffer m, IDeviceBuffer v, IDeviceBuffer? vHat,
        long count, float alpha, float beta1, float beta2, float epsilon);

    // ---- random ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Uniform floats in <c>[low, high)</c> from Philox-4x32-10: element <c>i</c> uses counter <c>offset + i/4</c>, word
    /// <c>i mod 4</c>, under <paramref name="key"/>, mapped as <c>(bits &gt;&gt; 8)·2⁻²⁴</c>. Bit-identical on every backend.
    /// </summary>
    void RandomUniform(IDeviceBuffer y, ulong key, ulong offset, float low, float high);
}
