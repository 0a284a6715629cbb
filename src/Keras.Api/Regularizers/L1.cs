namespace KerasGpu.Regularizers;

/// <summary>The L1 penalty <c>l1 · sum(|x|)</c> (Keras' <c>L1</c>).</summary>
public sealed class L1 : Regularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="l1">The factor (finite, non-negative); default 0.01.</param>
    /// <exception cref="ArgumentException"><paramref name="l1"/> is negative or not finite.</exception>
    public L1(double l1 = 0.01) => Factor = ValidateFactor(l1, "l1");

    /// <summary>The L1 factor.</summary>
    public double Factor { get; }

    /// <inheritdoc />
    public override Tensor Call(Tensor x) => Ops.Scale(Ops.Sum(Ops.Abs(x)), (float)Factor);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["l1"] = Factor };
}
