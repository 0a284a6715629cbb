namespace KerasGpu.Initializers;

/// <summary>
/// Normal values with the given mean and standard deviation, re-drawn when more than two standard deviations from the
/// mean (Keras' <c>TruncatedNormal</c>). The spread of the result is about 0.88 × <see cref="Stddev"/>.
/// </summary>
public sealed class TruncatedNormal : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean of the untruncated distribution; default 0.</param>
    /// <param name="stddev">Standard deviation of the untruncated distribution; default 0.05.</param>
    /// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
    public TruncatedNormal(double mean = 0.0, double stddev = 0.05, int? seed = null) : base(seed)
    {
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>Mean of the untruncated distribution.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation of the untruncated distribution.</summary>
    public double Stddev { get; }

    /// <inheritdoc />
    public override string Name => "truncated_normal";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?>(base.GetConfig()) { ["mean"] = Mean, ["stddev"] = Stddev };

    internal override void Fill(Tensor tensor) => FillNormal(tensor, Mean, Stddev, truncated: true);
}
