namespace KerasGpu.Constraints;

/// <summary>
/// The base of every weight constraint (Keras' <c>keras.constraints.Constraint</c>): a projection applied to a weight
/// after each optimizer update. Layers take one by object or by Keras name (<c>kernelConstraint: "non_neg"</c>).
/// </summary>
public abstract class Constraint
{
    /// <summary>The projected weight value, of <paramref name="w"/>'s shape.</summary>
    public abstract Tensor Call(Tensor w);

    /// <summary>Keras' <c>get_config()</c>.</summary>
    public abstract IReadOnlyDictionary<string, object?> GetConfig();

    private static readonly Dictionary<string, Func<Constraint>> s_byName = new()
    {
        ["MaxNorm"] = () => new MaxNorm(), ["max_norm"] = () => new MaxNorm(),
        ["MinMaxNorm"] = () => new MinMaxNorm(), ["min_max_norm"] = () => new MinMaxNorm(),
        ["NonNeg"] = () => new NonNeg(), ["non_neg"] = () => new NonNeg(),
        ["UnitNorm"] = () => new UnitNorm(), ["unit_norm"] = () => new UnitNorm(),
    };

    /// <summary>
    /// Resolves a Keras constraint name (case-sensitive, as Keras): <c>"max_norm"</c>, <c>"min_max_norm"</c>,
    /// <c>"non_neg"</c>, <c>"unit_norm"</c> or the class names. Each call returns a new instance with Keras' defaults.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Constraint Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name, out var create) ? create() : throw new ArgumentException(
            $"Could not interpret constraint identifier: {name}. Known constraints: max_norm, min_max_norm, non_neg, unit_norm.", nameof(name));
    }

    /// <summary>Lets a Keras name stand where a constraint is expected.</summary>
    public static implicit operator Constraint(string name) => Get(name);

    /// <summary>
    /// The L2 norms of <paramref name="w"/> over <paramref name="axes"/>, kept as size-1 dimensions so they broadcast
    /// back over <paramref name="w"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An axis is outside <paramref name="w"/>'s rank.</exception>
    private protected static Tensor Norms(Tensor w, int[] axes, string constraintName)
    {
        ArgumentNullException.ThrowIfNull(w);
        foreach (int a in axes)
            if (a < -w.Rank || a >= w.Rank)
                throw new ArgumentException($"{constraintName}: axis {a} is out of bounds for a weight of rank {w.Rank} (shape {Shapes.Format(w.Dims)}).", nameof(w));
        return Ops.Sqrt(Ops.Sum(Ops.Square(w), axes, keepDims: true));
    }

    /// <summary>Checks the axis list given to a norm constraint.</summary>
    private protected static int[] ValidateAxes(int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length == 0) throw new ArgumentException("A norm constraint needs at least one axis; received an empty list.", nameof(axes));
        if (axes.Distinct().Count() != axes.Length) throw new ArgumentException($"Repeated axis in [{string.Join(", ", axes)}].", nameof(axes));
        return (int[])axes.Clone();
    }

    /// <summary>Keras' config value for the axis list: a single axis as an int, several as a list.</summary>
    private protected static object AxisConfig(int[] axes) => axes.Length == 1 ? axes[0] : axes.ToArray();
}
