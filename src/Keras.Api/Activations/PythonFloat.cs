using System.Globalization;

namespace KerasGpu.Activations;

/// <summary>Writes a float as Python's <c>repr</c> does (<c>-1.0</c>, <c>0.3</c>, <c>nan</c>), so messages read like Keras'.</summary>
internal static class PythonFloat
{
    /// <summary>The shortest round-trip text, with <c>.0</c> on whole numbers and a lowercase exponent, invariant culture.</summary>
    public static string Repr(float value)
    {
        if (float.IsNaN(value)) return "nan";
        if (float.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E')) return text.Replace('E', 'e');
        return text.Contains('.') ? text : text + ".0";
    }
}
