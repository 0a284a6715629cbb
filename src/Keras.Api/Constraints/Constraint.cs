namespace KerasGpu.Constraints;

/// <summary>
/// The base of every weight constraint (Keras' <c>keras.constraints.Constraint</c>): a projection applied to a weight
/// after each optimizer update.
/// </summary>
public abstract class Constraint
{
    /// <summary>The projected weight value, of <paramref name="w"/>'s shape.</summary>
    public abstract Tensor Call(Tensor w);

    /// <summary>Keras' <c>get_config()</c>.</summary>
    public abstract IReadOnlyDictionary<string, object?> GetConfig();
}
