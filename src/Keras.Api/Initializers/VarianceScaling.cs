namespace KerasGpu.Initializers;

/// <summary>
/// Keras' <c>VarianceScaling</c>: values whose variance is <c>scale / n</c>, where n is the fan-in, the fan-out or their
/// average (<see cref="Mode"/>). <c>truncated_normal</c> draws a normal truncated at two standard deviations with
/// <c>stddev = sqrt(scale / n) / 0.87962566103423978</c> (the standard deviation of a unit normal truncated to
/// [−2, 2], so the result keeps the intended variance); <c>untruncated_normal</c> uses <c>stddev = sqrt(scale / n)</c>;
/// <c>uniform</c> draws from <c>[−limit, limit)</c> with <c>limit = sqrt(3 · scale / n)</c>. n is at least 1.
/// </summary>
public class VarianceScaling : RandomInitializer
{
    private static readonly string[] s_modes = ["fan_in", "fan_out", "fan_avg"];
    private static readonly string[] s_distributions = ["uniform", "truncated_normal", "untruncated_normal"];

    /// <summary>The standard deviation of a unit normal truncated to [−2, 2] (Keras' constant).</summary>
    public const double TruncatedStddevCorrection = 0.87962566103423978;

    /// <summary>Creates the initializer.</summary>
    /// <param name="scale">Scaling factor (positive); default 1.</param>
    /// <param name="mode">One of <c>fan_in</c> (default), <c>fan_out</c>, <c>fan_avg</c>.</param>
    /// <param name="distribution">One of <c>truncated_normal</c> (default; <c>normal</c> is an alias),
    /// <c>untruncated_normal</c>, <c>uniform</c>; case-insensitive.</param>
    /// <param name="seed">Optional seed (see <see cref="RandomInitializer"/>).</param>
    /// <exception cref="ArgumentException">An argument is out of its domain; the message says which and why.</exception>
    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", int? seed = null) : base(seed)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(distribution);
        if (!(scale > 0.0))
            throw new ArgumentException($"Argument `scale` must be positive float. Received: scale={scale}", nameof(scale));
        if (!s_modes.Contains(mode))
            throw new ArgumentException($"Invalid `mode` argument: {mode}. Please use one of {{{string.Join(", ", s_modes.Select(m => $"'{m}'"))}}}", nameof(mode));
        distribution = distribution.ToLowerInvariant();
        if (distribution == "normal") distribution = "truncated_normal";
        if (!s_distributions.Contains(distribution))
            throw new ArgumentException($"Invalid `distribution` argument: {distribution}. Please use one of {{{string.Join(", ", s_distributions.Select(d => $"'{d}'"))}}}", nameof(distribution));
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
    }

    /// <summary>The scaling factor.</summary>
    public double Scale { get; }

    /// <summary><c>fan_in</c>, <c>fan_out</c> or <c>fan_avg</c>.</summary>
    public string Mode { get; }

    /// <summary><c>truncated_normal</c>, <c>untruncated_normal</c> or <c>uniform</c>.</summary>
    public string Distribution { get; }

    /// <inheritdoc />
    public override string Name => "variance_scaling";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["scale"] = Scale, ["mode"] = Mode, ["distribution"] = Distribution,
    };

    /// <summary>The variance target <c>scale / max(1, n)</c> for a weight of <paramref name="shape"/>.</summary>
    internal double ScaledVariance(int[] shape)
    {
        var (fanIn, fanOut) = Fans(shape);
        double n = Mode switch { "fan_in" => fanIn, "fan_out" => fanOut, _ => (fanIn + fanOut) / 2.0 };
        return Scale / Math.Max(1.0, n);
    }

    internal override void Fill(Tensor tensor)
    {
        double variance = ScaledVariance(tensor.Dims);
        switch (Distribution)
        {
            case "truncated_normal": FillNormal(tensor, 0.0, Math.Sqrt(variance) / TruncatedStddevCorrection, truncated: true); break;
            case "untruncated_normal": FillNormal(tensor, 0.0, Math.Sqrt(variance), truncated: false); break;
            default:
                double limit = Math.Sqrt(3.0 * variance);
                FillUniform(tensor, -limit, limit);
                break;
        }
    }
}
