using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Metrics;
using KerasGpu.Optimizers;
using CategoricalCrossentropy = KerasGpu.Losses.CategoricalCrossentropy;
using SparseCategoricalCrossentropy = KerasGpu.Losses.SparseCategoricalCrossentropy;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Models;

/// <summary>
/// reliability.md §6: every bad input throws the documented exception with a message naming what was expected and
/// received, before any state changes — weights identical, optimizer iterations unchanged, and the model still
/// predicts normally afterwards.
/// </summary>
public class BadInputTests
{
    private const int Features = 20, Classes = 4, N = 64;

    /// <summary>A compiled 20-16-4 model that has already taken one step (so its optimizer is built).</summary>
    private static (Sequential Model, float[,] X, int[] Y) Trained(bool withInput = true)
    {
        var model = Mlp(Features, 16, Classes, withInput: withInput);
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new Adam(), metrics: ["accuracy"]);
        var x = Features(N, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        model.TrainOnBatch(Rows(x, 0, 16), y[..16]);
        Assert.Equal(1, model.Optimizer!.Iterations);
        return (model, x, y);
    }

    /// <summary>Runs <paramref name="act"/>, expecting <typeparamref name="T"/> exactly, and checks that nothing changed.</summary>
    private static T AssertRejected<T>(Model model, Action act, params string[] messageParts) where T : Exception
    {
        var before = Snapshot(model);
        long iterations = model.Optimizer?.Iterations ?? 0;
        var predictionBefore = model.Predict(Features(8, Features, seed: 99), verbose: 0).ToArray<float>();
        var e = Assert.Throws<T>(act);
        foreach (var part in messageParts) Assert.Contains(part, e.Message, StringComparison.Ordinal);
        var after = Snapshot(model);
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
        Assert.Equal(iterations, model.Optimizer?.Iterations ?? 0);
        var predictionAfter = model.Predict(Features(8, Features, seed: 99), verbose: 0);
        Assert.Equal(new[] { 8, Classes }, predictionAfter.Shape);
        Assert.Equal(predictionBefore, predictionAfter.ToArray<float>());
        return e;
    }

    // ---- data shape ---------------------------------------------------------------------------------------------

    [Fact]
    public void CardinalityMismatch_FitEvaluateTrainOnBatch_Throw()
    {
        var (model, x, y) = Trained();
        using var _ = model;
        const string expected = "Data cardinality is ambiguous: x sizes: 64 y sizes: 50. Make sure all arrays contain the same number of samples.";
        var e = AssertRejected<ArgumentException>(model, () => model.Fit(x, y[..50], verbose: 0));
        Assert.Equal(expected, e.Message);
        e = AssertRejected<ArgumentException>(model, () => model.Evaluate(x, y[..50], verbose: 0));
        Assert.Equal(expected, e.Message);
        AssertRejected<ArgumentException>(model, () => model.TrainOnBatch(x, y[..50]), "x sizes: 64", "y sizes: 50");
        // validation data is checked the same way, before the first step
        AssertRejected<ArgumentException>(model, () => model.Fit(x, y, verbose: 0, validationData: (Rows(x, 0, 10), y[..9])),
            "Data cardinality is ambiguous: validation x sizes: 10 y sizes: 9");
    }

    [Fact]
    public void WrongFeatureCount_WithInputLayer_Throws()
    {
        var (model, _, y) = Trained();
        using var _m = model;
        var wide = Features(N, Features + 1, seed: 3);
        string[] parts = ["expected shape=(None, 20)", "found shape=(64, 21)"];
        AssertRejected<ArgumentException>(model, () => model.Fit(wide, y, verbose: 0), parts);
        AssertRejected<ArgumentException>(model, () => model.Evaluate(wide, y, verbose: 0), parts);
        AssertRejected<ArgumentException>(model, () => model.Predict(wide, verbose: 0), parts);
        AssertRejected<ArgumentException>(model, () => model.TrainOnBatch(wide, y), parts);
        AssertRejected<ArgumentException>(model, () => model.Fit(Features(N, Features, seed: 1), y, verbose: 0,
            validationData: (Features(8, 19, seed: 4), y[..8])), "expected shape=(None, 20)", "found shape=(8, 19)");
    }

    [Fact]
    public void WrongFeatureCount_SequentialBuiltFromData_ThrowsKerasInputSpecMessage()
    {
        var (model, _, y) = Trained(withInput: false);
        using var _m = model;
        var wide = Features(N, Features + 1, seed: 3);
        const string part = "expected axis -1 of input shape to have value 20, but received input with shape (64, 21)";
        AssertRejected<ArgumentException>(model, () => model.Fit(wide, y, verbose: 0), part);
        AssertRejected<ArgumentException>(model, () => model.Predict(wide, verbose: 0), part);
        AssertRejected<ArgumentException>(model, () => model.Evaluate(wide, y, verbose: 0), part);
    }

    [Fact]
    public void EmptyDataset_Throws()
    {
        var (model, _, _) = Trained();
        using var _m = model;
        var x = new float[0, Features];
        var y = Array.Empty<int>();
        AssertRejected<ArgumentException>(model, () => model.Fit(x, y, verbose: 0), "The dataset is empty", "0 samples");
        AssertRejected<ArgumentException>(model, () => model.Evaluate(x, y, verbose: 0), "The dataset is empty");
        AssertRejected<ArgumentException>(model, () => model.Predict(x, verbose: 0), "The dataset is empty");
    }

    // ---- labels and targets -------------------------------------------------------------------------------------

    [Theory]
    [InlineData(4)]
    [InlineData(100)]
    [InlineData(-1)]
    public void SparseLabelOutsideRange_ThrowsArgumentOutOfRange(int bad)
    {
        var (model, x, y) = Trained();
        using var _ = model;
        var labels = (int[])y.Clone();
        labels[37] = bad;
        string[] parts = [$"label value of {bad} at index 37", "[0, 4)"];
        AssertRejected<ArgumentOutOfRangeException>(model, () => model.Fit(x, labels, verbose: 0), parts);
        AssertRejected<ArgumentOutOfRangeException>(model, () => model.Evaluate(x, labels, verbose: 0), parts);
        AssertRejected<ArgumentOutOfRangeException>(model, () => model.TrainOnBatch(x, labels), parts);
        // also in validation data, before any training step
        AssertRejected<ArgumentOutOfRangeException>(model, () => model.Fit(x, y, verbose: 0, validationData: (x, labels)), parts);
        // byte and float labels go through the same check
        var floats = labels.Select(v => (float)v).ToArray();
        AssertRejected<ArgumentOutOfRangeException>(model, () => model.Fit(x, floats, verbose: 0), parts);
    }

    [Theory]
    [InlineData(1.5f, "1.5")]
    [InlineData(float.NaN, "NaN")]
    public void NonIntegerFloatLabels_SparseCrossEntropy_ThrowsArgumentException(float bad, string shown)
    {
        var (model, x, y) = Trained();
        using var _ = model;
        var labels = y.Select(v => (float)v).ToArray();
        labels[5] = bad;
        var e = AssertRejected<ArgumentException>(model, () => model.Fit(x, labels, verbose: 0), "integer class indices", shown, "index 5");
        Assert.IsNotType<ArgumentOutOfRangeException>(e);
    }

    [Fact]
    public void CategoricalCrossentropy_WrongTargetShape_Throws()
    {
        var model = Mlp(Features, 16, Classes);
        using var _ = model;
        model.Compile(loss: new CategoricalCrossentropy(fromLogits: true), optimizer: new SGD());
        var x = Features(N, Features, seed: 1);
        var labels = Labels(x, Classes, seed: 2);
        model.TrainOnBatch(x, OneHot(labels, Classes));
        AssertRejected<ArgumentException>(model, () => model.Fit(x, Features(N, 3, seed: 5), verbose: 0),
            "Arguments `target` and `output` must have the same shape. Received: target.shape=(64, 3), output.shape=(64, 4)");
        AssertRejected<ArgumentException>(model, () => model.Fit(x, labels, verbose: 0),
            "target.shape=(64,)", "output.shape=(64, 4)");
        // Same number of elements, different shape: still not the output's shape.
        var reshaped = NDArray.From2D(OneHot(labels, Classes)).Reshape(N, 2, 2);
        AssertRejected<ArgumentException>(model, () => model.Fit(x, reshaped, verbose: 0),
            "target.shape=(64, 2, 2)", "output.shape=(64, 4)");
        AssertRejected<ArgumentException>(model, () => model.Evaluate(x, reshaped, verbose: 0), "target.shape=(64, 2, 2)");
    }

    [Fact]
    public void NaNInInputs_TrainsWithoutCrashing_LossIsNaN()
    {
        // Keras does not validate inputs: training proceeds and the loss becomes NaN.
        var model = Mlp(Features, 16, Classes);
        using var _ = model;
        model.Compile(loss: new SparseCategoricalCrossentropy(fromLogits: true), optimizer: new RMSprop(), metrics: ["accuracy"]);
        var x = Features(N, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        x[3, 7] = float.NaN;
        var history = model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0, shuffle: false);
        Assert.True(double.IsNaN(history["loss"][0]), history.ToString());
        Assert.Equal(4, model.Optimizer!.Iterations);
        Assert.True(double.IsNaN(model.Evaluate(x, y, verbose: 0)[0]));
        Assert.Equal(new[] { N, Classes }, model.Predict(x, verbose: 0).Shape);
    }

    // ---- arguments ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NonPositiveBatchSize_ThrowsArgumentOutOfRange(int batchSize)
    {
        var (model, x, y) = Trained();
        using var _ = model;
        foreach (var act in new Action[]
        {
            () => model.Fit(x, y, batchSize: batchSize, verbose: 0),
            () => model.Evaluate(x, y, batchSize: batchSize, verbose: 0),
            () => model.Predict(x, batchSize: batchSize, verbose: 0),
        })
        {
            var e = AssertRejected<ArgumentOutOfRangeException>(model, act, "positive batch size");
            Assert.Equal("batchSize", e.ParamName);
            Assert.Equal(batchSize, e.ActualValue);
        }
    }

    [Fact]
    public void NegativeEpochs_ThrowsArgumentOutOfRange()
    {
        var (model, x, y) = Trained();
        using var _ = model;
        var e = AssertRejected<ArgumentOutOfRangeException>(model, () => model.Fit(x, y, epochs: -1, verbose: 0), "-1");
        Assert.Equal("epochs", e.ParamName);
        e = AssertRejected<ArgumentOutOfRangeException>(model, () => model.Fit(x, y, epochs: 2, initialEpoch: -1, verbose: 0));
        Assert.Equal("initialEpoch", e.ParamName);
    }

    [Fact]
    public void BadVerbose_ThrowsArgumentOutOfRange()
    {
        var (model, x, y) = Trained();
        using var _ = model;
        var e = AssertRejected<ArgumentOutOfRangeException>(model, () => model.Fit(x, y, verbose: 3), "verbose 0, 1 or 2");
        Assert.Equal("verbose", e.ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ValidationSplitOutsideUnitInterval_ThrowsArgumentOutOfRange(double split)
    {
        var (model, x, y) = Trained();
        using var _ = model;
        var e = AssertRejected<ArgumentOutOfRangeException>(model, () => model.Fit(x, y, validationSplit: split, verbose: 0), "[0, 1)");
        Assert.Equal("validationSplit", e.ParamName);
    }

    [Theory]
    [InlineData(1, 0.5)]   // floor(0.5) = 0 training samples
    [InlineData(10, 0.95)] // floor(0.5) = 0 training samples
    [InlineData(10, 1e-17)] // 1 − 1e-17 == 1.0: 0 validation samples
    public void SplitLeavingNoTrainingOrValidationSamples_Throws(int n, double split)
    {
        var (model, x, y) = Trained();
        using var _ = model;
        AssertRejected<ArgumentException>(model, () => model.Fit(Rows(x, 0, n), y[..n], validationSplit: split, verbose: 0),
            $"Training data contains {n} samples, which is not sufficient to split it into a validation and training set",
            $"`validation_split={split}`");
    }

    [Fact]
    public void EpochsZero_OrInitialEpochAtOrPastEpochs_IsANoOpWithEmptyHistory()
    {
        var (model, x, y) = Trained();
        using var _ = model;
        var before = Snapshot(model);
        foreach (var (epochs, initial) in new[] { (0, 0), (2, 2), (2, 5) })
        {
            var history = model.Fit(x, y, epochs: epochs, initialEpoch: initial, verbose: 0);
            Assert.Empty(history.Keys);
            Assert.Empty(history.Epoch);
        }
        Assert.Equal(1, model.Optimizer!.Iterations);
        var after = Snapshot(model);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
    }

    // ---- compile ------------------------------------------------------------------------------------------------

    [Fact]
    public void FitEvaluateTrainOnBatch_BeforeCompile_ThrowInvalidOperation()
    {
        var model = Mlp(Features, 16, Classes);
        using var _ = model;
        var x = Features(N, Features, seed: 1);
        var y = Labels(x, Classes, seed: 2);
        var before = Snapshot(model);
        Assert.Equal("You must call Compile() before calling Fit().", Assert.Throws<InvalidOperationException>(() => model.Fit(x, y, verbose: 0)).Message);
        Assert.Equal("You must call Compile() before calling Evaluate().", Assert.Throws<InvalidOperationException>(() => model.Evaluate(x, y, verbose: 0)).Message);
        Assert.Contains("You must call Compile()", Assert.Throws<InvalidOperationException>(() => model.TrainOnBatch(x, y)).Message);
        Assert.Null(model.Optimizer);
        var after = Snapshot(model);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
        Assert.Equal(new[] { N, Classes }, model.Predict(x, verbose: 0).Shape); // Predict needs no Compile
    }

    [Fact]
    public void CompileWithoutLoss_Throws_AndKeepsThePreviousCompile()
    {
        var (model, x, y) = Trained();
        using var _ = model;
        var optimizer = model.Optimizer;
        var e = AssertRejected<ArgumentException>(model, () => model.Compile(optimizer: new SGD()), "needs a loss", "sparse_categorical_crossentropy");
        Assert.Equal("loss", e.ParamName);
        Assert.Same(optimizer, model.Optimizer);
        model.TrainOnBatch(Rows(x, 0, 16), y[..16]); // still trainable with the previous compile
        Assert.Equal(2, model.Optimizer!.Iterations);
    }

    [Fact]
    public void UnknownNames_ThrowArgumentException_ListingKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dense(4, activation: "relux"));
        Assert.StartsWith("Could not interpret activation function identifier: relux.", e.Message);
        Assert.Contains("leaky_relu, linear, log_sigmoid, log_softmax, mish, relu, relu6, selu, sigmoid", e.Message);

        var (model, x, y) = Trained();
        using var _ = model;
        var optimizer = model.Optimizer;
        AssertRejected<ArgumentException>(model, () => model.Compile(loss: "foo", optimizer: "adam"),
            "Could not interpret loss identifier: foo", "categorical_crossentropy", "mse", "sparse_categorical_crossentropy");
        AssertRejected<ArgumentException>(model, () => model.Compile(loss: "mse", optimizer: "adamx"),
            "Could not interpret optimizer identifier: adamx", "adam, rmsprop, sgd");
        AssertRejected<ArgumentException>(model, () => model.Compile(loss: "mse", metrics: ["acuracy"]),
            "Could not interpret metric identifier: acuracy", "accuracy");
        Assert.Same(optimizer, model.Optimizer); // none of these replaced the compiled state
        model.TrainOnBatch(Rows(x, 0, 16), y[..16]);
        Assert.Equal(2, model.Optimizer!.Iterations);
    }

    [Fact]
    public void MetricThatIsNotAPredictionMetric_IsRejectedByCompile()
    {
        var (model, _, _) = Trained();
        using var _m = model;
        using var mean = new Mean();
        AssertRejected<ArgumentException>(model, () => model.Compile(loss: "mse", metrics: [mean]), "does not compare targets and predictions");
    }

    // ---- weights ------------------------------------------------------------------------------------------------

    [Fact]
    public void SetWeights_WrongShapesOrCount_ChangesNothing()
    {
        var (model, _, _) = Trained();
        using var _ = model;
        var good = model.GetWeights();
        NDArray[] wrongShapes = [good[0], NDArray.Zeros(DType.Float32, 17), NDArray.Zeros(DType.Float32, 16, 5), good[3]];
        AssertRejected<ArgumentException>(model, () => model.SetWeights(wrongShapes),
            "bias: expected (16,), received (17,)", "kernel: expected (16, 4), received (16, 5)");
        AssertRejected<ArgumentException>(model, () => model.SetWeights([.. good.Take(3)]), "expects 4 weights, but received 3");
    }
}
