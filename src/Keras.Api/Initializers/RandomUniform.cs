namespace KerasGpu.Initializers;

/// <summary>Uniform values in <c>[minval, maxval)</c> (Keras' <c>RandomUniform</c>).</summary>
public sealed class RandomUniform : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="minval">Lower bound (inclusive); default −0.05.</param>
    /// <param name="maxval">Upper bound (exclusive); default 0.05.</param>
    /// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="minval"/> is greater than <paramref name="maxval"/>, or a bound is not finite.</exception>
    public RandomUniform(double minval = -0.05, double maxval = 0.05, int? seed = null) : base(seed)
    {
        if (!double.IsFinite(minval) || !double.IsFinite(maxval) || minval > maxval)
            throw new ArgumentException($"RandomUniform expects finite bounds with minval <= maxval. Received: minval={minval}, maxval={maxval}");
        Minval = minval;
        Maxval = maxval;
    }

    /// <summary>Lower bound (inclusive).</summary>
    public double Minval { get; }

    /// <summary>Upper bound (exclusive).</summary>
    public double Maxval { get; }

    /// <inheritdoc />
    public override string Name => "random_uniform";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["minval"] = Minval, ["maxval"] = Maxval };

    internal override void Fill(Tensor tensor) => FillUniform(tensor, Minval, Maxval);
}
