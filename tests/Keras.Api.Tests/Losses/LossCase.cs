using KerasGpu.Losses;

namespace KerasGpu.Tests.Losses;

/// <summary>
/// One loss under test: how to build it, a float64 version of Keras' per-sample formula (one value per row of
/// <c>classes</c> values), and inputs in the range the loss is meant for.
/// </summary>
public sealed record LossCase(
    string Name,
    Func<string, Loss> Make,
    Func<double[], double[], double> Row,
    Func<Random, int, int, (double[] YTrue, double[] YPred)> Inputs,
    bool Sparse = false)
{
    public override string ToString() => Name;
}
