using KerasGpu.Regularizers;

namespace KerasGpu.Tests.Training;

/// <summary><c>factor · Σ x²</c> (Keras' L2 formula), so the trainer tests do not depend on the regularizers branch.</summary>
internal sealed class SquaredSumRegularizer(float factor) : Regularizer
{
    public float Factor { get; } = factor;

    public override Tensor Call(Tensor x) => Ops.Scale(Ops.Sum(Ops.Square(x)), Factor);

    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["l2"] = Factor };
}
