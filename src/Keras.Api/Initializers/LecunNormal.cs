namespace KerasGpu.Initializers;

/// <summary>
/// LeCun normal: a truncated normal with <c>stddev = sqrt(1 / fan_in) / 0.8796</c> (Keras' <c>LecunNormal</c>): <see cref="VarianceScaling"/> with scale 1.0, mode <c>fan_in</c> and distribution <c>truncated_normal</c>.
/// </summary>
/// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
public sealed class LecunNormal(int? seed = null) : VarianceScaling(1.0, "fan_in", "truncated_normal", seed)
{
    /// <inheritdoc />
    public override string Name => "lecun_normal";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
