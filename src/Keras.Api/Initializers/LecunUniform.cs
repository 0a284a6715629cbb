namespace KerasGpu.Initializers;

/// <summary>
/// LeCun uniform: <c>U(−limit, limit)</c> with <c>limit = sqrt(3 / fan_in)</c> (Keras' <c>LecunUniform</c>): <see cref="VarianceScaling"/> with scale 1.0, mode <c>fan_in</c> and distribution <c>uniform</c>.
/// </summary>
/// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
public sealed class LecunUniform(int? seed = null) : VarianceScaling(1.0, "fan_in", "uniform", seed)
{
    /// <inheritdoc />
    public override string Name => "lecun_uniform";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
