namespace KerasGpu.Backends.Ilgpu.Kernels;

/// <summary>Scalar device functions shared by the kernels. Comparisons are written so that NaN propagates exactly as in
/// the CPU backend (NumPy's rules).</summary>
internal static class KernelMath
{
    public const float SmallestNormal = 1.17549435e-38f;

    /// <summary>The activation of <see cref="KerasGpu.Backend.ActivationKind"/> number <paramref name="kind"/>.</summary>
    public static float Activate(int kind, float x) => kind switch
    {
        1 => float.IsNaN(x) ? x : x > 0f ? x : 0f,
        2 => 1f / (1f + MathF.Exp(-x)),
        3 => MathF.Tanh(x),
        _ => x,
    };

    /// <summary><c>dy·act'(x)</c> from the output <paramref name="y"/>.</summary>
    public static float ActivationGradient(int kind, float y, float dy) => kind switch
    {
        1 => y > 0f ? dy : 0f,
        2 => dy * y * (1f - y),
        3 => dy * (1f - y * y),
        _ => dy,
    };

    /// <summary>NaN-propagating maximum (MathF.Max's rule).</summary>
    public static float Max(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : a > b ? a : b == a ? (a == 0f && !IsNegativeZero(a) ? a : b) : b;

    /// <summary>NaN-propagating minimum (MathF.Min's rule).</summary>
    public static float Min(float a, float b) => float.IsNaN(a) ? a : float.IsNaN(b) ? b : a < b ? a : b == a ? (IsNegativeZero(a) ? a : b) : b;

    private static bool IsNegativeZero(float x) => x == 0f && 1f / x < 0f;

    public static float Binary(int op, float a, float b) => op switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        3 => a / b,
        4 => Max(a, b),
        _ => Min(a, b),
    };

    /// <summary>Denormal flush of the optimizers (as the CPU backend).</summary>
    public static float FlushDenormal(float x) => MathF.Abs(x) < SmallestNormal ? 0f : x;

    public static float Clamp(float v, float lo, float hi) => v < lo ? lo : v > hi ? hi : v;
}
