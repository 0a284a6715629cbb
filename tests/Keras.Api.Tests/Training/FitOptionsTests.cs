using KerasGpu.Callbacks;
using KerasGpu.Layers;
using KerasGpu.Optimizers;

namespace KerasGpu.Tests.Training;

/// <summary>Fit/Evaluate options: sample and class weights, regularization in the loss, steps_per_epoch,
/// validation_freq, and the callback hooks of evaluate and predict.</summary>
public class FitOptionsTests
{
    private static Model Regressor(string name, int inputs = 3)
    {
        var x = Keras.Input(shape: [inputs]);
        return new Model(x, new Dense(1, name: name + "_out").Apply(new Dense(4, activation: "tanh", name: name + "_hidden").Apply(x)), name: name);
    }

    private static NDArray Features(int n, int cols, int seed) => NDArray.From2D(TrainingTestUtil.Features(n, cols, seed));

    private static NDArray Targets(int n, int seed)
    {
        var rng = new Random(seed);
        return NDArray.FromArray([.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1))], n, 1);
    }

    private sealed class Recorder : Callback
    {
        public List<string> Events { get; } = [];
        public List<int> StepsPerEpoch { get; } = [];
        public Logs? TestEndLogs { get; private set; }

        public override void OnEpochBegin(int epoch, Logs logs) => StepsPerEpoch.Add(0);
        public override void OnTrainBatchEnd(int batch, Logs logs) => StepsPerEpoch[^1]++;
        public override void OnTestBegin(Logs logs) => Events.Add("test_begin");
        public override void OnTestBatchBegin(int batch, Logs logs) => Events.Add($"test_batch_begin {batch}");
        public override void OnTestBatchEnd(int batch, Logs logs) => Events.Add($"test_batch_end {batch}");
        public override void OnTestEnd(Logs logs)
        {
            Events.Add("test_end");
            TestEndLogs = logs;
        }
        public override void OnPredictBegin(Logs logs) => Events.Add("predict_begin");
        public override void OnPredictBatchBegin(int batch, Logs logs) => Events.Add($"predict_batch_begin {batch}");
        public override void OnPredictBatchEnd(int batch, Logs logs) => Events.Add($"predict_batch_end {batch}");
        public override void OnPredictEnd(Logs logs) => Events.Add("predict_end");
    }

    [Fact]
    public void SampleWeight_ScalesEachSamplesLoss_SumOverBatchSize()
    {
        // Keras: loss = Σ w_i·(y_i - p_i)² / n (sum_over_batch_size divides by the sample count, not Σw).
        var model = Regressor("sw");
        model.Compile(loss: "mse", optimizer: "sgd");
        var x = Features(10, 3, 1);
        var y = Targets(10, 2);
        var w = NDArray.FromArray([0f, 1f, 2f, 0.5f, 3f, 1f, 1f, 0f, 4f, 2f], 10);
        var p = model.Predict(x, verbose: 0).ToArray<float>();
        var t = y.ToArray<float>();
        var ws = w.ToArray<float>();
        double expected = Enumerable.Range(0, 10).Sum(i => ws[i] * Math.Pow(t[i] - (double)p[i], 2)) / 10;
        Assert.Equal(expected, model.Evaluate(x, y, batchSize: 10, verbose: 0, sampleWeight: w)[0], 1e-5);
        Assert.Equal(expected, model.TestOnBatch(x, y, sampleWeight: w)[0], 1e-5);
        // TrainOnBatch reports the loss of the weights before its update.
        Assert.Equal(expected, model.TrainOnBatch(x, y, sampleWeight: w)[0], 1e-5);
    }

    [Fact]
    public void WeightedMetrics_UseTheSampleWeights_PlainMetricsDoNot()
    {
        // Keras: metrics ignore sample_weight; weighted_metrics average with it (Σ w·v / Σ w), and a weighted metric
        // whose name is taken is logged as "weighted_<name>".
        var model = Regressor("wm");
        model.Compile(loss: "mse", metrics: ["mae"], weightedMetrics: ["mae"]);
        var x = Features(10, 3, 7);
        var y = Targets(10, 8);
        var w = NDArray.FromArray([1f, 0f, 2f, 0.5f, 3f, 1f, 0f, 0f, 4f, 2f], 10);
        var logs = model.Evaluate([x], [y], returnDict: true, batchSize: 4, verbose: 0, sampleWeight: w);
        Assert.Equal(["loss", "mae", "weighted_mae"], logs.Keys);
        var p = model.Predict(x, verbose: 0).ToArray<float>();
        var t = y.ToArray<float>();
        var ws = w.ToArray<float>();
        var errors = Enumerable.Range(0, 10).Select(i => Math.Abs(t[i] - (double)p[i])).ToArray();
        Assert.Equal(errors.Average(), logs["mae"], 1e-5);
        Assert.Equal(errors.Select((e, i) => e * ws[i]).Sum() / ws.Sum(v => (double)v), logs["weighted_mae"], 1e-5);
        Assert.Equal(["loss", "mae", "weighted_mae"], model.MetricsNames);
    }

    [Fact]
    public void RegularizationPenalty_IsAddedToTheLoss()
    {
        var model = Regressor("reg");
        var hidden = (Dense)model.GetLayer("reg_hidden");
        hidden.Kernel!.Regularizer = new SquaredSumRegularizer(0.01f);
        model.Compile(loss: "mse");
        var x = Features(8, 3, 3);
        var y = Targets(8, 4);
        var p = model.Predict(x, verbose: 0).ToArray<float>();
        var t = y.ToArray<float>();
        double mse = Enumerable.Range(0, 8).Average(i => Math.Pow(t[i] - (double)p[i], 2));
        double penalty = 0.01 * hidden.Kernel.Numpy().ToArray<float>().Sum(v => (double)v * v);
        Assert.Equal(mse + penalty, model.Evaluate(x, y, verbose: 0)[0], 1e-5);
    }

    [Fact]
    public void ClassWeight_BuildsSampleWeightsFromLabels_LikeKeras()
    {
        var weights = new Dictionary<int, double> { [0] = 0.5, [2] = 3 };
        Assert.Equal([0.5f, 1f, 3f, 0.5f], KerasGpu.Training.ArrayData.ClassWeightsToSampleWeights(NDArray.FromArray([0, 1, 2, 0], 4), weights).ToArray<float>());
        Assert.Equal([3f, 0.5f], KerasGpu.Training.ArrayData.ClassWeightsToSampleWeights(NDArray.FromArray([0f, 0.2f, 0.8f, 0.9f, 0.1f, 0f], 2, 3), weights).ToArray<float>());
        Assert.Equal([1f, 3f], KerasGpu.Training.ArrayData.ClassWeightsToSampleWeights(NDArray.FromArray([1f, 2f], 2, 1), weights).ToArray<float>());
    }

    [Fact]
    public void ClassWeight_TrainsExactlyLikeTheEquivalentSampleWeights()
    {
        var x = Features(12, 3, 5);
        var labels = TrainingTestUtil.Labels(TrainingTestUtil.Features(12, 3, 5), 3, 6);
        var classWeight = new Dictionary<int, double> { [0] = 2, [1] = 0.25 };
        var sampleWeight = NDArray.FromArray([.. labels.Select(l => (float)classWeight.GetValueOrDefault(l, 1.0))], 12);
        NDArray[] Train(IReadOnlyDictionary<int, double>? cw, NDArray? sw, IReadOnlyList<NDArray> init)
        {
            var inputs = Keras.Input(shape: [3]);
            var model = new Model(inputs, new Dense(3, activation: "softmax").Apply(inputs));
            if (init.Count > 0) model.SetWeights(init);
            model.Compile(loss: "sparse_categorical_crossentropy", optimizer: new SGD(learningRate: 0.5f));
            model.Fit(x, labels, batchSize: 4, epochs: 2, verbose: 0, shuffle: false, classWeight: cw, sampleWeight: sw);
            return [.. model.GetWeights()];
        }
        var initial = Train(null, null, []);
        var byClass = Train(classWeight, null, initial);
        var bySample = Train(null, sampleWeight, initial);
        var unweighted = Train(null, null, initial);
        Assert.Equal(bySample[0].ToArray<float>(), byClass[0].ToArray<float>());
        Assert.NotEqual(unweighted[0].ToArray<float>(), byClass[0].ToArray<float>());
    }

    [Fact]
    public void ClassWeight_DoesNotWeighTheValidationSplit()
    {
        var features = TrainingTestUtil.Features(16, 3, 9);
        var labels = TrainingTestUtil.Labels(features, 3, 10);
        var inputs = Keras.Input(shape: [3]);
        var model = new Model(inputs, new Dense(3, activation: "softmax").Apply(inputs));
        model.Compile(loss: "sparse_categorical_crossentropy", optimizer: "sgd");
        var x = NDArray.From2D(features);
        var y = NDArray.FromArray(labels, 16);
        var history = model.Fit(x, y, epochs: 1, verbose: 0, validationSplit: 0.25, classWeight: new Dictionary<int, double> { [0] = 5, [1] = 0.1, [2] = 3 });
        Assert.Equal(model.Evaluate(x[12..], y[12..], verbose: 0)[0], history["val_loss"][0], 1e-6);
    }

    [Fact]
    public void ClassWeight_Rules()
    {
        var model = Regressor("cw");
        model.Compile(loss: "mse");
        var x = Features(4, 3, 1);
        var y = Targets(4, 1);
        var cw = new Dictionary<int, double> { [0] = 1 };
        Assert.Equal("You cannot `class_weight` and `sample_weight` at the same time. (Parameter 'classWeight')",
            Assert.Throws<ArgumentException>(() => model.Fit(x, y, verbose: 0, classWeight: cw, sampleWeight: NDArray.FromArray(new float[4], 4))).Message);
        var input = Keras.Input(shape: [3]);
        var twoHeads = new Model([input], [new Dense(1).Apply(input), new Dense(1).Apply(input)]);
        twoHeads.Compile(loss: "mse");
        Assert.StartsWith("`class_weight` is only supported for Models with a single output.",
            Assert.Throws<ArgumentException>(() => twoHeads.Fit([x], [y, y], verbose: 0, classWeight: cw)).Message);
    }

    [Fact]
    public void StepsPerEpoch_ContinuesThePass_AndStopsAtItsEnd()
    {
        // 10 samples in batches of 4: 3 batches per pass. With 2 steps per epoch Keras runs 2, then the 1 left, then 2.
        var model = Regressor("spe");
        model.Compile(loss: "mse", optimizer: "sgd");
        var recorder = new Recorder();
        var history = model.Fit(Features(10, 3, 1), Targets(10, 2), batchSize: 4, epochs: 3, verbose: 0, stepsPerEpoch: 2, callbacks: [recorder]);
        Assert.Equal([2, 1, 2], recorder.StepsPerEpoch);
        Assert.Equal(2, recorder.Params["steps"]);
        Assert.Equal(3, history["loss"].Count);
    }

    [Fact]
    public void StepsPerEpoch_WithoutBatchSize_SplitsThePassIntoThatManyBatches()
    {
        var model = Regressor("spe2");
        model.Compile(loss: "mse", optimizer: "sgd");
        var recorder = new Recorder();
        model.Fit(Features(10, 3, 1), Targets(10, 2), epochs: 2, verbose: 0, stepsPerEpoch: 3, callbacks: [recorder]);
        Assert.Equal([3, 3], recorder.StepsPerEpoch); // batch size ceil(10 / 3) = 4
    }

    [Fact]
    public void ValidationFreq_ValidatesEveryNthEpoch()
    {
        var model = Regressor("vf");
        model.Compile(loss: "mse", optimizer: "sgd");
        var recorder = new Recorder();
        var history = model.Fit(Features(12, 3, 1), Targets(12, 2), epochs: 5, verbose: 0, validationSplit: 0.25, validationFreq: 2, callbacks: [recorder]);
        Assert.Equal(5, history["loss"].Count);
        Assert.Equal(2, history["val_loss"].Count); // epochs 2 and 4
        Assert.Equal(2, recorder.Events.Count(e => e == "test_begin"));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(Features(12, 3, 1), Targets(12, 2), verbose: 0, validationFreq: 0));
    }

    [Fact]
    public void EvaluateAndPredict_RunTheirCallbackHooks()
    {
        var model = Regressor("hooks");
        model.Compile(loss: "mse");
        var recorder = new Recorder();
        var x = Features(5, 3, 1);
        double loss = model.Evaluate(x, Targets(5, 2), batchSize: 3, verbose: 0, callbacks: [recorder])[0];
        Assert.Equal(["test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1", "test_end"], recorder.Events);
        Assert.Equal(loss, recorder.TestEndLogs!["loss"]);
        recorder.Events.Clear();
        model.Predict(x, batchSize: 3, verbose: 0, callbacks: [recorder]);
        Assert.Equal(["predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_batch_begin 1", "predict_batch_end 1", "predict_end"], recorder.Events);
    }

    [Fact]
    public void OnBatchMethods_MatchTheirLoopCounterparts()
    {
        var model = Regressor("onbatch");
        model.Compile(loss: "mse", metrics: ["accuracy"]);
        var x = Features(6, 3, 1);
        var y = Targets(6, 2);
        Assert.Equal(model.Evaluate(x, y, batchSize: 6, verbose: 0), model.TestOnBatch(x, y));
        Assert.Equal(["accuracy", "loss"], model.TestOnBatch([x], [y], returnDict: true).Keys);
        Assert.Equal(model.Predict(x, verbose: 0).ToArray<float>(), model.PredictOnBatch(x).ToArray<float>());
        Assert.Throws<ArgumentException>(() => model.Evaluate(x, y, returnDict: false));
    }
}
