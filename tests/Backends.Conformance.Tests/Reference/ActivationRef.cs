using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>Activations; backward is written from the output y (the contract's rule).</summary>
internal static class ActivationRef
{
    public static double Forward(ActivationKind kind, double x) => kind switch
    {
        ActivationKind.Linear => x,                              // y = x
        ActivationKind.Relu => double.IsNaN(x) ? x : x > 0 ? x : 0, // y = max(x, 0), NaN propagates (as tf.nn.relu, jax.nn.relu)
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),       // y = 1 / (1 + e^−x)
        ActivationKind.Tanh => Math.Tanh(x),                    // y = tanh x
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static double Backward(ActivationKind kind, double y, double dy) => kind switch
    {
        ActivationKind.Linear => dy,                 // dx = dy
        ActivationKind.Relu => y > 0 ? dy : 0,       // dx = dy·[y > 0] (a select: 0 where y ≤ 0)
        ActivationKind.Sigmoid => dy * y * (1 - y),  // σ' = σ(1 − σ)
        ActivationKind.Tanh => dy * (1 - y * y),     // tanh' = 1 − tanh²
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Rounding scale of the backward formula: the same expression on absolute values.</summary>
    public static double BackwardMagnitude(ActivationKind kind, double y, double dy) => kind switch
    {
        ActivationKind.Sigmoid => Math.Abs(dy) * Math.Abs(y) * (1 + Math.Abs(y)),
        ActivationKind.Tanh => Math.Abs(dy) * (1 + y * y),
        _ => 0,
    };

    public static double[] Forward(ActivationKind kind, double[] x) => Array.ConvertAll(x, v => Forward(kind, v));
}
