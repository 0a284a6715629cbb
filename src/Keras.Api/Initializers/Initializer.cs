using KerasGpu.Backend;

namespace KerasGpu.Initializers;

/// <summary>Creates a weight's initial values on the device (Keras' <c>keras.initializers.Initializer</c>).</summary>
public abstract class Initializer
{
    /// <summary>Fills <paramref name="tensor"/> (float32) with initial values.</summary>
    internal abstract void Fill(Tensor tensor);

    /// <summary>Keras' name for the initializer, e.g. <c>"glorot_uniform"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Resolves a Keras initializer name.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Initializer Get(string name) => name switch
    {
        "glorot_uniform" or "GlorotUniform" => new GlorotUniform(),
        "zeros" or "Zeros" => new Zeros(),
        _ => throw new ArgumentException($"Could not interpret initializer identifier: {name}. Known initializers: glorot_uniform, zeros."),
    };

    /// <summary>Lets a Keras name stand where an initializer is expected.</summary>
    public static implicit operator Initializer(string name) => Get(name);

    /// <summary>Keras' fan computation: for a 2-D kernel (in, out); for higher ranks the receptive field multiplies both.</summary>
    internal static (double FanIn, double FanOut) Fans(int[] shape) => shape.Length switch
    {
        0 => (1, 1),
        1 => (shape[0], shape[0]),
        2 => (shape[0], shape[1]),
        _ => (shape[^2] * (double)Shapes.Size(shape.AsSpan(0, shape.Length - 2)), shape[^1] * (double)Shapes.Size(shape.AsSpan(0, shape.Length - 2))),
    };
}

/// <summary>All zeros (Keras' default bias initializer).</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc />
    public override string Name => "zeros";

    internal override void Fill(Tensor tensor) => tensor.Backend.Fill(tensor.Buffer, 0f);
}

/// <summary>
/// Glorot (Xavier) uniform: <c>U(−limit, limit)</c> with <c>limit = sqrt(6 / (fan_in + fan_out))</c>, Keras' default
/// kernel initializer. Drawn with Philox on the device, so identical on every backend for a given seed.
/// </summary>
/// <param name="seed">Optional seed; without one each call draws a fresh key from the global seed generator.</param>
public sealed class GlorotUniform(int? seed = null) : Initializer
{
    /// <summary>The seed, if any.</summary>
    public int? Seed { get; } = seed;

    /// <inheritdoc />
    public override string Name => "glorot_uniform";

    internal override void Fill(Tensor tensor)
    {
        var (fanIn, fanOut) = Fans(tensor.Dims);
        float limit = (float)Math.Sqrt(6.0 / Math.Max(1.0, fanIn + fanOut));
        ulong key = Seed is int s ? RandomState.KeyFromSeed(s) : RandomState.NextKey();
        tensor.Backend.RandomUniform(tensor.Buffer, key, 0, -limit, limit);
    }
}
