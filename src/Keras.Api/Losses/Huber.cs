namespace KerasGpu.Losses;

/// <summary>
/// Huber loss over the last axis (Keras' <c>keras.losses.Huber</c>): with <c>x = p − t</c>, <c>½x²</c> where
/// <c>|x| ≤ δ</c> and <c>δ·|x| − ½δ²</c> beyond, averaged.
/// </summary>
public sealed class Huber : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear.</param>
    /// <param name="reduction">Keras reduction name.</param>
    /// <param name="name">Loss name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative or not a number.</exception>
    public Huber(float delta = 1f, string reduction = "sum_over_batch_size", string name = "huber_loss") : base(name, reduction)
    {
        if (!(delta >= 0f)) throw new ArgumentOutOfRangeException(nameof(delta), $"`delta` must be a non-negative float. Received: delta={delta}");
        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public float Delta { get; }

    /// <inheritdoc />
    protected internal override Tensor ComputeRowLoss(Tensor yTrue, Tensor yPred)
    {
        LossMath.RequireRank1(yTrue, yPred);
        var error = Ops.Subtract(yPred, yTrue);
        var absError = Ops.Abs(error);
        var quadratic = Ops.Scale(Ops.Square(error), 0.5f);
        var linear = Ops.ScaleAdd(absError, Delta, -0.5f * Delta * Delta);
        return Ops.Mean(Ops.Where(Ops.LessEqual(absError, Ops.Scalar(absError.Backend, Delta)), quadratic, linear), [-1]);
    }
}
