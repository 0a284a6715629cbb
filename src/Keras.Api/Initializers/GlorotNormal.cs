namespace KerasGpu.Initializers;

/// <summary>
/// Glorot (Xavier) normal: a truncated normal with <c>stddev = sqrt(2 / (fan_in + fan_out)) / 0.8796</c> (Keras' <c>GlorotNormal</c>): <see cref="VarianceScaling"/> with scale 1.0, mode <c>fan_avg</c> and distribution <c>truncated_normal</c>.
/// </summary>
/// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
public sealed class GlorotNormal(int? seed = null) : VarianceScaling(1.0, "fan_avg", "truncated_normal", seed)
{
    /// <inheritdoc />
    public override string Name => "glorot_normal";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
