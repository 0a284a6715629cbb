namespace KerasGpu.Optimizers;

/// <summary>
/// Gradient descent with optional (Nesterov) momentum (Keras' <c>keras.optimizers.SGD</c>):
/// <c>m = μ·m − lr·g; w += m</c> (Nesterov: <c>w += μ·m − lr·g</c>); without momentum <c>w −= lr·g</c>. One fused kernel.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>Creates SGD with Keras' defaults (learning rate 0.01, no momentum).</summary>
    /// <param name="learningRate">A float, schedule or function of the step; default 0.01.</param>
    /// <param name="momentum">Momentum factor μ in [0, 1].</param>
    /// <param name="nesterov">Whether to use Nesterov momentum.</param>
    /// <param name="weightDecay">See <see cref="Optimizer.WeightDecay"/>.</param>
    /// <param name="clipnorm">See <see cref="Optimizer.Clipnorm"/>.</param>
    /// <param name="clipvalue">See <see cref="Optimizer.Clipvalue"/>.</param>
    /// <param name="globalClipnorm">See <see cref="Optimizer.GlobalClipnorm"/>.</param>
    /// <param name="useEma">See <see cref="Optimizer.UseEma"/>.</param>
    /// <param name="emaMomentum">See <see cref="Optimizer.EmaMomentum"/>.</param>
    /// <param name="emaOverwriteFrequency">See <see cref="Optimizer.EmaOverwriteFrequency"/>.</param>
    /// <param name="name">Keras' name.</param>
    public SGD(LearningRateSource learningRate = default, float momentum = 0f, bool nesterov = false, float? weightDecay = null,
        float? clipnorm = null, float? clipvalue = null, float? globalClipnorm = null, bool useEma = false,
        float emaMomentum = 0.99f, int? emaOverwriteFrequency = null, string name = "SGD")
        : base(learningRate, 0.01f, name, weightDecay, clipnorm, clipvalue, globalClipnorm, useEma, emaMomentum, emaOverwriteFrequency)
    {
        CheckFactor(momentum, nameof(momentum), 0f, 1f);
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override int SlotCount => 1;

    /// <inheritdoc />
    protected override bool UsesSlot(int index) => Momentum != 0f;

    /// <inheritdoc />
    protected override bool UpdatesInPlace => true;

    /// <inheritdoc />
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step) =>
        variable.Value.Backend.SgdUpdate(variable.Value.Buffer, gradient.Buffer, slots[0]?.Buffer, gradient.Size,
            learningRate, Momentum, Nesterov);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["momentum"] = (double)Momentum, ["nesterov"] = Nesterov };
}
