using KerasGpu.Activations;
using KerasGpu.Layers;

namespace KerasGpu.Tests.Training;

/// <summary>Small models, seeded data and comparisons shared by the trainer tests. Nothing here touches global state.</summary>
internal static class TrainingTestUtil
{
    /// <summary><c>Input(inputs) → Dense(hidden, relu) → Dense(outputs, outputActivation)</c>.</summary>
    public static Sequential Mlp(int inputs, int hidden, int outputs, string? outputActivation = null, bool withInput = true)
    {
        var model = new Sequential();
        if (withInput) model.Add(Keras.Input(shape: [inputs]));
        model.Add(new Dense(hidden, activation: "relu"));
        model.Add(new Dense(outputs, activation: outputActivation is null ? null : ActivationFunction.Get(outputActivation)));
        return model;
    }

    /// <summary>Features of roughly unit scale, from System.Random with a fixed seed (independent of Keras' seed).</summary>
    public static float[,] Features(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) x[r, c] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Labels in [0, classes) that depend on the features (so a model can learn them), with a little noise.</summary>
    public static int[] Labels(float[,] x, int classes, int seed)
    {
        var rng = new Random(seed);
        var y = new int[x.GetLength(0)];
        for (int r = 0; r < y.Length; r++)
        {
            int best = 0;
            for (int k = 1; k < classes; k++) if (x[r, k] > x[r, best]) best = k;
            y[r] = rng.NextDouble() < 0.1 ? rng.Next(classes) : best;
        }
        return y;
    }

    public static float[,] OneHot(int[] labels, int classes)
    {
        var t = new float[labels.Length, classes];
        for (int r = 0; r < labels.Length; r++) t[r, labels[r]] = 1f;
        return t;
    }

    /// <summary>Weights for an inputs→hidden→outputs MLP: kernels ~U(±sqrt(6/(in+out))) like glorot, small non-zero biases.</summary>
    public static NDArray[] Weights(int inputs, int hidden, int outputs, int seed)
    {
        var rng = new Random(seed);
        NDArray Uniform(double limit, params int[] shape)
        {
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)((rng.NextDouble() * 2 - 1) * limit);
            return NDArray.FromArray(data, shape);
        }
        return
        [
            Uniform(Math.Sqrt(6.0 / (inputs + hidden)), inputs, hidden), Uniform(0.1, hidden),
            Uniform(Math.Sqrt(6.0 / (hidden + outputs)), hidden, outputs), Uniform(0.1, outputs),
        ];
    }

    public static double[] ToDoubles(NDArray a) => [.. a.AsType<float>().ToArray<float>().Select(v => (double)v)];

    public static double[][] ToDoubles(IEnumerable<NDArray> arrays) => [.. arrays.Select(ToDoubles)];

    public static double[,] ToDouble2D(float[,] x)
    {
        var d = new double[x.GetLength(0), x.GetLength(1)];
        for (int r = 0; r < x.GetLength(0); r++)
            for (int c = 0; c < x.GetLength(1); c++) d[r, c] = x[r, c];
        return d;
    }

    public static float[,] Rows(float[,] x, int start, int count)
    {
        var y = new float[count, x.GetLength(1)];
        for (int r = 0; r < count; r++)
            for (int c = 0; c < x.GetLength(1); c++) y[r, c] = x[start + r, c];
        return y;
    }

    /// <summary>Copies of the model's weights as float arrays (a snapshot that later training cannot change).</summary>
    public static float[][] Snapshot(Model model) => [.. model.GetWeights().Select(w => w.ToArray<float>())];

    /// <summary>|a − b| / |b|, with 0 when both are 0.</summary>
    public static double RelativeError(double got, double expected) =>
        got == expected ? 0 : Math.Abs(got - expected) / Math.Abs(expected);

    /// <summary>Norm-wise relative error of a tensor: <c>max|got − ref| / max|ref|</c>.</summary>
    public static double RelativeError(double[] got, double[] expected)
    {
        Assert.Equal(expected.Length, got.Length);
        double maxDiff = 0, scale = 0;
        for (int i = 0; i < got.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(got[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return maxDiff == 0 ? 0 : maxDiff / scale;
    }
}
