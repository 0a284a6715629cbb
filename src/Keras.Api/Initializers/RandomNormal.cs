namespace KerasGpu.Initializers;

/// <summary>Normal values with the given mean and standard deviation (Keras' <c>RandomNormal</c>).</summary>
public sealed class RandomNormal : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean of the values; default 0.</param>
    /// <param name="stddev">Standard deviation; default 0.05.</param>
    /// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
    public RandomNormal(double mean = 0.0, double stddev = 0.05, int? seed = null) : base(seed)
    {
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>Mean of the values.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation of the values.</summary>
    public double Stddev { get; }

    /// <inheritdoc />
    public override string Name => "random_normal";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["mean"] = Mean, ["stddev"] = Stddev };

    internal override void Fill(Tensor tensor) => FillNormal(tensor, Mean, Stddev, truncated: false);
}
