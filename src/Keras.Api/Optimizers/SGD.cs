namespace KerasGpu.Optimizers;

/// <summary>
/// Gradient descent with optional (Nesterov) momentum (Keras' <c>keras.optimizers.SGD</c>):
/// <c>m = μ·m − lr·g; w += m</c> (Nesterov: <c>w += μ·m − lr·g</c>); without momentum <c>w −= lr·g</c>.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>Creates SGD with Keras' defaults (learning rate 0.01, no momentum).</summary>
    public SGD(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, string name = "SGD") : base(learningRate, name)
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
    protected override void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step) =>
        variable.Value.Backend.SgdUpdate(variable.Value.Buffer, gradient.Buffer, slots[0]?.Buffer, gradient.Size,
            learningRate, Momentum, Nesterov);
}
