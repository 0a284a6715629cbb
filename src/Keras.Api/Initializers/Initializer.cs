namespace KerasGpu.Initializers;

/// <summary>
/// Creates a weight's initial values (Keras' <c>keras.initializers.Initializer</c>). Layers take one by object or by
/// Keras name (<c>kernelInitializer: "he_normal"</c>); <see cref="Call"/> gives the values as a tensor.
/// </summary>
public abstract class Initializer
{
    /// <summary>Fills <paramref name="tensor"/> (float32) with initial values.</summary>
    internal abstract void Fill(Tensor tensor);

    /// <summary>Keras' name for the initializer, e.g. <c>"glorot_uniform"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Keras' <c>get_config()</c>: the constructor arguments that recreate this initializer.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();

    /// <summary>
    /// A new float32 tensor of <paramref name="shape"/> on the current backend holding initial values (Keras'
    /// <c>initializer(shape)</c>). It belongs to the current <see cref="TensorScope"/>, if any.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative, or the initializer does not accept the shape.</exception>
    public Tensor Call(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"Initializer shapes must have non-negative dimensions; received shape={Shapes.Format(shape)}.", nameof(shape));
        CheckShape(shape);
        var tensor = Tensor.Empty(Keras.Config.CurrentBackend, shape);
        Fill(tensor);
        return tensor;
    }

    /// <summary>Rejects shapes the initializer cannot fill (before any memory is allocated).</summary>
    internal virtual void CheckShape(int[] shape) { }

    private static readonly Dictionary<string, Func<Initializer>> s_byName = new()
    {
        ["Constant"] = () => new Constant(), ["constant"] = () => new Constant(),
        ["Identity"] = () => new Identity(), ["identity"] = () => new Identity(), ["IdentityInitializer"] = () => new Identity(),
        ["Ones"] = () => new Ones(), ["ones"] = () => new Ones(), ["one"] = () => new Ones(),
        ["Zeros"] = () => new Zeros(), ["zeros"] = () => new Zeros(), ["zero"] = () => new Zeros(),
        ["GlorotNormal"] = () => new GlorotNormal(), ["glorot_normal"] = () => new GlorotNormal(),
        ["GlorotUniform"] = () => new GlorotUniform(), ["glorot_uniform"] = () => new GlorotUniform(),
        ["HeNormal"] = () => new HeNormal(), ["he_normal"] = () => new HeNormal(),
        ["HeUniform"] = () => new HeUniform(), ["he_uniform"] = () => new HeUniform(),
        ["LecunNormal"] = () => new LecunNormal(), ["lecun_normal"] = () => new LecunNormal(),
        ["LecunUniform"] = () => new LecunUniform(), ["lecun_uniform"] = () => new LecunUniform(),
        ["Orthogonal"] = () => new Orthogonal(), ["orthogonal"] = () => new Orthogonal(), ["OrthogonalInitializer"] = () => new Orthogonal(),
        ["RandomNormal"] = () => new RandomNormal(), ["random_normal"] = () => new RandomNormal(), ["normal"] = () => new RandomNormal(),
        ["RandomUniform"] = () => new RandomUniform(), ["random_uniform"] = () => new RandomUniform(), ["uniform"] = () => new RandomUniform(),
        ["TruncatedNormal"] = () => new TruncatedNormal(), ["truncated_normal"] = () => new TruncatedNormal(),
        ["VarianceScaling"] = () => new VarianceScaling(), ["variance_scaling"] = () => new VarianceScaling(),
    };

    /// <summary>
    /// Resolves a Keras initializer name (case-sensitive, as Keras): the class name (<c>"HeNormal"</c>), its snake_case
    /// (<c>"he_normal"</c>) or Keras' aliases (<c>"normal"</c>, <c>"uniform"</c>, <c>"one"</c>, <c>"zero"</c>). Each call
    /// returns a new instance with default arguments.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Initializer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name, out var create) ? create() : throw new ArgumentException(
            $"Could not interpret initializer identifier: {name}. Known initializers: {string.Join(", ", s_byName.Keys.Where(k => k.Contains('_') || k.All(char.IsLower)).Order())}.",
            nameof(name));
    }

    /// <summary>Lets a Keras name stand where an initializer is expected.</summary>
    public static implicit operator Initializer(string name) => Get(name);

    /// <summary>
    /// Keras' <c>compute_fans</c>: a scalar counts as (1, 1), a vector of n as (n, n), a matrix as (rows, columns); for
    /// higher ranks (convolution kernels <c>[..spatial, in, out]</c>) the product of the leading dimensions (the
    /// receptive field) multiplies both.
    /// </summary>
    internal static (double FanIn, double FanOut) Fans(int[] shape) => shape.Length switch
    {
        0 => (1, 1),
        1 => (shape[0], shape[0]),
        2 => (shape[0], shape[1]),
        _ => (shape[^2] * (double)Shapes.Size(shape.AsSpan(0, shape.Length - 2)), shape[^1] * (double)Shapes.Size(shape.AsSpan(0, shape.Length - 2))),
    };

    /// <summary>Copies host values into <paramref name="tensor"/>.</summary>
    private protected static void Upload(Tensor tensor, ReadOnlySpan<float> values) => tensor.Backend.Upload(values, tensor.Buffer);
}
