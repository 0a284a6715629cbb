namespace KerasGpu.Regularizers;

/// <summary>
/// The base of every weight regularizer (Keras' <c>keras.regularizers.Regularizer</c>): a penalty on a weight whose value
/// is added to the training loss.
/// </summary>
public abstract class Regularizer
{
    /// <summary>The penalty for <paramref name="x"/>, a scalar tensor (differentiable through the tape).</summary>
    public abstract Tensor Call(Tensor x);

    /// <summary>Keras' <c>get_config()</c>.</summary>
    public abstract IReadOnlyDictionary<string, object?> GetConfig();
}
