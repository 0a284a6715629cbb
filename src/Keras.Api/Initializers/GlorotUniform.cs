namespace KerasGpu.Initializers;

/// <summary>
/// Glorot (Xavier) uniform, Keras' default kernel initializer: <c>U(−limit, limit)</c> with <c>limit = sqrt(6 / (fan_in + fan_out))</c> (Keras' <c>GlorotUniform</c>): <see cref="VarianceScaling"/> with scale 1.0, mode <c>fan_avg</c> and distribution <c>uniform</c>.
/// </summary>
/// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
public sealed class GlorotUniform(int? seed = null) : VarianceScaling(1.0, "fan_avg", "uniform", seed)
{
    /// <inheritdoc />
    public override string Name => "glorot_uniform";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
