namespace KerasGpu.Initializers;

/// <summary>
/// He normal: a truncated normal with <c>stddev = sqrt(2 / fan_in) / 0.8796</c> (Keras' <c>HeNormal</c>): <see cref="VarianceScaling"/> with scale 2.0, mode <c>fan_in</c> and distribution <c>truncated_normal</c>.
/// </summary>
/// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
public sealed class HeNormal(int? seed = null) : VarianceScaling(2.0, "fan_in", "truncated_normal", seed)
{
    /// <inheritdoc />
    public override string Name => "he_normal";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
