using KerasGpu.Backend;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Optimizers;

/// <summary>Variables on a private CPU backend, seeded gradients, and the float64 comparison used by the optimizer tests.</summary>
internal static class OptimizerTestUtil
{
    public static readonly int[][] VariableShapes = [[3, 4], [5]];

    public static Variable NewVariable(IBackend backend, string name, double[] values, int[] shape) =>
        new(name, Tensor.FromNDArray(NDArray.FromArray([.. values.Select(v => (float)v)], shape), backend, DType.Float32, scoped: false), true);

    /// <summary>Initial weights in (−1, 1), rounded to float32 so both sides start from the same numbers.</summary>
    public static double[][] InitialWeights(int seed)
    {
        var rng = new Random(seed);
        return [.. VariableShapes.Select(s => Enumerable.Range(0, s.Aggregate(1, (a, b) => a * b)).Select(_ => (double)(float)(rng.NextDouble() * 2 - 1)).ToArray())];
    }

    /// <summary>Per-step gradients of magnitude up to <paramref name="scale"/>, rounded to float32.</summary>
    public static double[][][] Gradients(int steps, int seed, double scale)
    {
        var rng = new Random(seed + 1000);
        return [.. Enumerable.Range(0, steps).Select(_ => VariableShapes.Select(s =>
            Enumerable.Range(0, s.Aggregate(1, (a, b) => a * b)).Select(_ => (double)(float)((rng.NextDouble() * 2 - 1) * scale)).ToArray()).ToArray())];
    }

    public static double[] Read(Variable v) => [.. v.Numpy().ToArray<float>().Select(x => (double)x)];

    public static double[] Read(NDArray a) => [.. a.ToArray<float>().Select(x => (double)x)];

    /// <summary>
    /// Runs <paramref name="optimizer"/> and <paramref name="reference"/> side by side for <paramref name="steps"/> steps and
    /// checks every weight after every step: the float32 displacement from the start must match float64's to 1e−4 of
    /// itself plus a few float32 ulps of the weight.
    /// </summary>
    public static (Variable[] Variables, double[][] Weights) RunSideBySide(Optimizer optimizer, KerasReference reference,
        int steps = 6, int seed = 1, double gradientScale = 1.0, IBackend? backend = null)
    {
        backend ??= new KerasGpu.Backend.Cpu.CpuBackend(maxThreads: 1);
        var start = InitialWeights(seed);
        var weights = start.Select(w => (double[])w.Clone()).ToArray();
        var grads = Gradients(steps, seed, gradientScale);
        var variables = VariableShapes.Select((s, i) => NewVariable(backend, $"v{i}", start[i], s)).ToArray();
        for (int step = 0; step < steps; step++)
        {
            using (var scope = new TensorScope())
            {
                var g = grads[step].Select((gv, i) => (Tensor?)Tensor.FromNDArray(NDArray.FromArray([.. gv.Select(x => (float)x)], VariableShapes[i]), backend)).ToArray();
                optimizer.Apply(g, variables);
            }
            reference.Apply(weights, grads[step]);
            for (int v = 0; v < variables.Length; v++)
                AssertClose($"{optimizer.Name} step {step + 1} variable {v}", Read(variables[v]), weights[v], start[v]);
        }
        Assert.Equal(steps, optimizer.Iterations);
        return (variables, weights);
    }

    public static void AssertClose(string what, double[] actual, double[] expected, double[] start)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double expectedMove = expected[i] - start[i], actualMove = actual[i] - start[i];
            double tolerance = 1e-4 * Math.Abs(expectedMove) + 4e-7 * Math.Max(1.0, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actualMove - expectedMove) <= tolerance,
                $"{what}[{i}]: got {actual[i]:R}, Keras' rule gives {expected[i]:R} (moved {actualMove:R} vs {expectedMove:R}, tolerance {tolerance:R}).");
        }
    }

    /// <summary>Relative comparison for values that are not displacements (slots, averages).</summary>
    public static void AssertRelative(string what, double[] actual, double[] expected, double relative = 1e-4, double absolute = 1e-7)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = relative * Math.Abs(expected[i]) + absolute;
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance, $"{what}[{i}]: got {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance:R}).");
        }
    }
}
