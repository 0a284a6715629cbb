namespace KerasGpu.Initializers;

/// <summary>
/// He uniform: <c>U(−limit, limit)</c> with <c>limit = sqrt(6 / fan_in)</c> (Keras' <c>HeUniform</c>): <see cref="VarianceScaling"/> with scale 2.0, mode <c>fan_in</c> and distribution <c>uniform</c>.
/// </summary>
/// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
public sealed class HeUniform(int? seed = null) : VarianceScaling(2.0, "fan_in", "uniform", seed)
{
    /// <inheritdoc />
    public override string Name => "he_uniform";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
