namespace KerasGpu.Regularizers;

/// <summary>The L2 penalty <c>l2 · sum(x²)</c> (Keras' <c>L2</c>; no factor ½).</summary>
public sealed class L2 : Regularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="l2">The factor (finite, non-negative); default 0.01.</param>
    /// <exception cref="ArgumentException"><paramref name="l2"/> is negative or not finite.</exception>
    public L2(double l2 = 0.01) => Factor = ValidateFactor(l2, "l2");

    /// <summary>The L2 factor.</summary>
    public double Factor { get; }

    /// <inheritdoc />
    public override Tensor Call(Tensor x) => Ops.Scale(Ops.Sum(Ops.Square(x)), (float)Factor);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["l2"] = Factor };
}
