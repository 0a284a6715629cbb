namespace KerasGpu.Regularizers;

/// <summary>
/// Both penalties, <c>l1 · sum(|x|) + l2 · sum(x²)</c> (Keras' <c>L1L2</c>); a zero factor's term is skipped. Note that
/// the defaults are 0 and 0 (by name too, as in Keras 3), so <c>"l1_l2"</c> alone gives no penalty.
/// </summary>
public sealed class L1L2 : Regularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="l1">The L1 factor (finite, non-negative); default 0.</param>
    /// <param name="l2">The L2 factor (finite, non-negative); default 0.</param>
    /// <exception cref="ArgumentException">A factor is negative or not finite.</exception>
    public L1L2(double l1 = 0.0, double l2 = 0.0)
    {
        L1 = ValidateFactor(l1, "l1");
        L2 = ValidateFactor(l2, "l2");
    }

    /// <summary>The L1 factor.</summary>
    public double L1 { get; }

    /// <summary>The L2 factor.</summary>
    public double L2 { get; }

    /// <inheritdoc />
    public override Tensor Call(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor? penalty = null;
        if (L1 != 0) penalty = Ops.Scale(Ops.Sum(Ops.Abs(x)), (float)L1);
        if (L2 != 0)
        {
            var l2 = Ops.Scale(Ops.Sum(Ops.Square(x)), (float)L2);
            penalty = penalty is null ? l2 : Ops.Add(penalty, l2);
        }
        return penalty ?? Ops.Scalar(x.Backend, 0f);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["l1"] = L1, ["l2"] = L2 };
}
