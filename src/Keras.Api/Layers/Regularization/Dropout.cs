using KerasGpu.Backend;
using KerasGpu.Tracing;

namespace KerasGpu.Layers;

/// <summary>
/// Randomly sets input units to 0 with probability <see cref="Rate"/> during training and scales the kept ones by
/// <c>1 / (1 − rate)</c>, so the expected sum is unchanged (Keras' <c>keras.layers.Dropout</c>). At inference
/// (<c>training: false</c>, as in Predict and Evaluate) the layer returns its input unchanged.
/// </summary>
/// <remarks>
/// The mask is <c>uniform &lt; 1 − rate</c> with uniforms from the backend's Philox kernel, drawn on the device and
/// bit-identical on every backend. Like Keras' seed generator, the layer holds a key fixed at construction (from
/// <see cref="Seed"/>, or else from the global seed stream, which <see cref="Keras.Utils.SetRandomSeed"/> makes
/// reproducible) and advances a counter on every training call: each call gets a new mask, and two layers built with
/// the same seed produce the same sequence of masks.
/// </remarks>
public sealed class Dropout : Layer
{
    private readonly ulong _key;
    private readonly int?[]? _noiseShape;
    private long _calls;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="rate">Fraction of the input units to drop, in [0, 1].</param>
    /// <param name="noiseShape">Shape of the binary mask, broadcast over the input; null entries take the input's
    /// dimension (e.g. <c>[null, 1, null]</c> for inputs <c>(batch, timesteps, features)</c> drops the same features at
    /// every timestep). Null (default) means the input's shape.</param>
    /// <param name="seed">Optional seed.</param>
    /// <param name="name">Layer name; default <c>dropout</c>, <c>dropout_1</c>, ...</param>
    /// <exception cref="ArgumentException">The rate is outside [0, 1] or a noise dimension is not positive.</exception>
    public Dropout(double rate, int?[]? noiseShape = null, int? seed = null, string? name = null) : base(name)
    {
        if (!(rate >= 0 && rate <= 1))
            throw new ArgumentException($"Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}", nameof(rate));
        if (noiseShape is not null)
            for (int i = 0; i < noiseShape.Length; i++)
                if (noiseShape[i] is int d && d <= 0)
                    throw new ArgumentException($"Invalid value received for argument `noise_shape`. Expected all dimensions to be positive integers or None. Received negative or zero value at index {i}: {d}", nameof(noiseShape));
        Rate = rate;
        _noiseShape = noiseShape is null ? null : [.. noiseShape];
        Seed = seed;
        _key = seed is int s ? RandomState.KeyFromSeed(s) : RandomState.NextKey();
        Built = true;
    }

    /// <summary>Fraction of the input units dropped in training.</summary>
    public double Rate { get; }

    /// <summary>Shape of the mask (null entries follow the input), or null for the input's shape (a copy).</summary>
    public int?[]? NoiseShape => _noiseShape?.ToArray();

    /// <summary>The seed, if any.</summary>
    public int? Seed { get; }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => [.. inputShape];

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex)
    {
        if (_noiseShape is not { } noise) return;
        if (noise.Length != shape.Length)
            throw new ArgumentException($"Input {inputIndex} of layer \"{Name}\" is incompatible with the layer: noise_shape={Shapes.Format(noise)} has rank {noise.Length}, but the input has rank {shape.Length} (shape {FormatInput(shape)}).");
        for (int i = 0; i < shape.Length; i++)
            if (noise[i] is int d && d != 1 && shape[i] >= 0 && d != shape[i])
                throw new ArgumentException($"Input {inputIndex} of layer \"{Name}\" is incompatible with the layer: noise_shape={Shapes.Format(noise)} cannot be broadcast to the input shape {FormatInput(shape)} (axis {i}).");
    }

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training)
    {
        if (!training || Rate == 0) return inputs;
        int[] maskShape = _noiseShape is null ? inputs.Shape : [.. _noiseShape.Select((d, i) => d ?? inputs.Dims[i])];
        double keepProb = 1.0 - Rate;
        var uniform = Tensor.Empty(inputs.Backend, maskShape);
        LaunchRecorder.RandomUniform(inputs.Backend, uniform.Buffer, _nextCallKey ??= NextCallKey, 0f, 1f);
        var keep = Ops.Less(uniform, Ops.Scalar(inputs.Backend, (float)keepProb));
        // Keras selects rather than multiplies, so dropped units are exactly 0 even where the input is inf or NaN.
        var scaled = Ops.Scale(inputs, keepProb > 0 ? (float)(1.0 / keepProb) : 0f);
        return Ops.Where(keep, scaled, Ops.Scalar(inputs.Backend, 0f));
    }

    /// <summary>The key of the next training call: the layer's key advanced by one call.</summary>
    private Func<ulong>? _nextCallKey; // one delegate, so recorded steps compare equal and draw from this layer's stream

    private ulong NextCallKey()
    {
        ulong call = (ulong)Interlocked.Increment(ref _calls);
        var (x0, x1, _, _) = Philox.Block(_key, call);
        return x0 | ((ulong)x1 << 32);
    }

    private static string FormatInput(int[] shape) => Shapes.Format(shape.Select(d => d < 0 ? (int?)null : d).ToArray());

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>(base.GetConfig())
    {
        ["rate"] = Rate, ["seed"] = Seed, ["noise_shape"] = NoiseShape,
    };
}
