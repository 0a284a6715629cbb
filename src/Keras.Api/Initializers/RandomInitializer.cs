namespace KerasGpu.Initializers;

/// <summary>
/// The base of the random initializers (Keras' <c>RandomInitializer</c>). With a <see cref="Seed"/> every call gives the
/// same values; without one each call draws a fresh key from the global seed stream, which
/// <see cref="Keras.Utils.SetRandomSeed"/> makes reproducible for a whole run.
/// </summary>
/// <remarks>
/// Values come from the project's Philox-4x32-10. Uniform values are drawn on the device by the backend's
/// <c>RandomUniform</c> kernel; normal and truncated-normal values (and the orthogonal matrices built from them) are
/// generated on the host and uploaded once. Either way they are bit-identical on every backend for a given key.
/// </remarks>
public abstract class RandomInitializer : Initializer
{
    /// <summary>Stores the seed; null draws from the global seed stream.</summary>
    private protected RandomInitializer(int? seed) => Seed = seed;

    /// <summary>The seed, if any.</summary>
    public int? Seed { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };

    /// <summary>The Philox key of one call: fixed by the seed, else the next key of the global stream.</summary>
    private protected ulong DrawKey() => Seed is int s ? RandomState.KeyFromSeed(s) : RandomState.NextKey();

    /// <summary>Uniform values in <c>[low, high)</c>, drawn on the device.</summary>
    private protected void FillUniform(Tensor tensor, double low, double high)
    {
        ulong key = DrawKey(); // drawn even for an empty range, so the global stream advances the same way
        if ((float)low >= (float)high) tensor.Backend.Fill(tensor.Buffer, (float)low);
        else tensor.Backend.RandomUniform(tensor.Buffer, key, 0, (float)low, (float)high);
    }

    /// <summary>Normal values (truncated at two standard deviations when asked), generated on the host and uploaded.</summary>
    private protected void FillNormal(Tensor tensor, double mean, double stddev, bool truncated)
    {
        var values = new float[tensor.Size];
        PhiloxNormal.Fill(values, DrawKey(), mean, stddev, truncated);
        Upload(tensor, values);
    }
}
