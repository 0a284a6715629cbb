using KerasGpu.Backend.Cpu;
using KerasGpu.Optimizers;
using KerasGpu.Optimizers.Schedules;
using static KerasGpu.Tests.Optimizers.OptimizerTestUtil;

namespace KerasGpu.Tests.Optimizers;

/// <summary>Keras' base-optimizer semantics: option checks and messages, learning-rate kinds, EMA, exclusions, bad input.</summary>
public class OptimizerOptionsTests
{
    private static Tensor?[] Grads(CpuBackend backend, double[][] g) =>
        [.. g.Select((gv, i) => (Tensor?)Tensor.FromNDArray(NDArray.FromArray([.. gv.Select(x => (float)x)], VariableShapes[i]), backend))];

    private static Variable[] Variables(CpuBackend backend, int seed = 1)
    {
        var start = InitialWeights(seed);
        return [.. VariableShapes.Select((s, i) => NewVariable(backend, $"v{i}", start[i], s))];
    }

    [Fact]
    public void TwoClipOptions_AreRejectedWithKerasMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new Adam(clipnorm: 1f, clipvalue: 0.5f));
        Assert.StartsWith("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=1.0, clipvalue=0.5, global_clipnorm=None", e.Message);
        Assert.Throws<ArgumentException>(() => new Nadam(clipnorm: 1f, globalClipnorm: 2f));
        Assert.Throws<ArgumentException>(() => new SGD(clipvalue: 1f, globalClipnorm: 2f));
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NegativeOrNonFiniteOptions_AreRejected(float bad)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adamax(clipnorm: bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lion(clipvalue: bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(globalClipnorm: bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adadelta(weightDecay: bad));
    }

    [Fact]
    public void EmaArguments_AreCheckedOnlyWhenEmaIsOn_WithKerasMessages()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(useEma: true, emaMomentum: 1.5f));
        Assert.Contains("`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=1.5", e.Message);
        var f = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(useEma: true, emaOverwriteFrequency: 0));
        Assert.Contains("`ema_overwrite_frequency` must be an integer >= 1 or None. Received: ema_overwrite_frequency=0", f.Message);
        using var unused = new Adam(useEma: false, emaMomentum: 1.5f, emaOverwriteFrequency: 0); // Keras ignores them then
        Assert.False(unused.UseEma);
    }

    [Fact]
    public void OptimizerSpecificArguments_AreCheckedWithKerasMessages()
    {
        Assert.Contains("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1=0.0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Lion(beta1: 0f)).Message);
        Assert.Contains("`learning_rate_power` needs to be negative or zero. Received: learning_rate_power=0.5.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Ftrl(learningRatePower: 0.5f)).Message);
        Assert.Contains("`initial_accumulator_value` needs to be positive or zero. Received: initial_accumulator_value=-0.1.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Ftrl(initialAccumulatorValue: -0.1f)).Message);
        Assert.Contains("`l1_regularization_strength` needs to be positive or zero. Received: l1_regularization_strength=-1.0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Ftrl(l1RegularizationStrength: -1f)).Message);
        Assert.Contains("`l2_shrinkage_regularization_strength` needs to be positive or zero",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Ftrl(l2ShrinkageRegularizationStrength: -1f)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad(initialAccumulatorValue: -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adadelta(rho: 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adamax(beta2: -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nadam(epsilon: -1e-7f));
    }

    [Fact]
    public void KerasDefaults_AndNames()
    {
        using var adamw = new AdamW();
        Assert.Equal(0.004f, adamw.WeightDecay);
        Assert.Equal(0.001f, adamw.LearningRate);
        Assert.Equal((0.9f, 0.999f, 1e-7f, false), (adamw.Beta1, adamw.Beta2, adamw.Epsilon, adamw.Amsgrad));
        Assert.Equal("adam_w", adamw.Name);
        using var adamax = new Adamax();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f, "adamax"), (adamax.LearningRate, adamax.Beta1, adamax.Beta2, adamax.Epsilon, adamax.Name));
        using var nadam = new Nadam();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f, "nadam"), (nadam.LearningRate, nadam.Beta1, nadam.Beta2, nadam.Epsilon, nadam.Name));
        using var adagrad = new Adagrad();
        Assert.Equal((0.001f, 0.1f, 1e-7f, "adagrad"), (adagrad.LearningRate, adagrad.InitialAccumulatorValue, adagrad.Epsilon, adagrad.Name));
        using var adadelta = new Adadelta();
        Assert.Equal((0.001f, 0.95f, 1e-7f, "adadelta"), (adadelta.LearningRate, adadelta.Rho, adadelta.Epsilon, adadelta.Name));
        using var lion = new Lion();
        Assert.Equal((0.001f, 0.9f, 0.99f, "lion"), (lion.LearningRate, lion.Beta1, lion.Beta2, lion.Name));
        using var ftrl = new Ftrl();
        Assert.Equal((0.001f, -0.5f, 0.1f, 0f, 0f, 0f, 0f), (ftrl.LearningRate, ftrl.LearningRatePower, ftrl.InitialAccumulatorValue,
            ftrl.L1RegularizationStrength, ftrl.L2RegularizationStrength, ftrl.L2ShrinkageRegularizationStrength, ftrl.Beta));
        foreach (var o in new Optimizer[] { adamw, adamax, nadam, adagrad, adadelta, lion, ftrl })
        {
            Assert.Equal((false, 0.99f, (int?)null), (o.UseEma, o.EmaMomentum, o.EmaOverwriteFrequency));
            Assert.Null(o.Clipnorm);
            Assert.Null(o.Clipvalue);
            Assert.Null(o.GlobalClipnorm);
        }
        Assert.Null(adamax.WeightDecay);
        var config = adamw.GetConfig();
        Assert.Equal(["name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "use_ema", "ema_momentum",
            "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps", "beta_1", "beta_2", "epsilon", "amsgrad"], config.Keys);
        Assert.Equal((double)0.004f, config["weight_decay"] is float wd ? wd : double.NaN);
        using var scheduled = new Ftrl(new PolynomialDecay(0.1, 100));
        Assert.Equal(new PolynomialDecay(0.1, 100).GetConfig(), (IReadOnlyDictionary<string, object?>)scheduled.GetConfig()["learning_rate"]!);
    }

    [Theory]
    [InlineData("sgd", typeof(SGD))]
    [InlineData("rmsprop", typeof(RMSprop))]
    [InlineData("adam", typeof(Adam))]
    [InlineData("adamw", typeof(AdamW))]
    [InlineData("AdamW", typeof(AdamW))]
    [InlineData("adamax", typeof(Adamax))]
    [InlineData("nadam", typeof(Nadam))]
    [InlineData("adagrad", typeof(Adagrad))]
    [InlineData("adadelta", typeof(Adadelta))]
    [InlineData("lion", typeof(Lion))]
    [InlineData("Ftrl", typeof(Ftrl))]
    public void Get_ResolvesEveryKerasName(string name, Type type)
    {
        using var optimizer = Optimizer.Get(name);
        Assert.IsType(type, optimizer);
    }

    [Fact]
    public void Get_UnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Optimizer.Get("adamz"));
        Assert.StartsWith("Could not interpret optimizer identifier: adamz. Known optimizers: adadelta, adagrad, adam, adamax, adamw, ftrl, lion, nadam, rmsprop, sgd.", e.Message);
    }

    [Fact]
    public void LearningRate_OfASchedule_IsNotSettable_AsInKeras()
    {
        using var optimizer = new SGD(new ExponentialDecay(0.1, 10, 0.5));
        var e = Assert.Throws<InvalidOperationException>(() => optimizer.LearningRate = 0.5f);
        Assert.StartsWith("This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, hence its learning rate is not settable.", e.Message);
        Assert.False(optimizer.HasSettableLearningRate);
        Assert.Equal(0.1f, optimizer.LearningRate);
        using var function = new Adam(new Func<long, float>(step => 0.01f));
        Assert.Throws<InvalidOperationException>(() => function.LearningRate = 0.5f);
    }

    [Fact]
    public void SetLearningRate_SwitchesToAScheduleOrFunction_AsKerasSetterDoes()
    {
        using var optimizer = new Adam(0.01f);
        optimizer.SetLearningRate(0.02f);
        Assert.Equal(0.02f, optimizer.LearningRate);
        optimizer.SetLearningRate(new ExponentialDecay(0.5, 1, 0.5));
        Assert.Equal(0.5f, optimizer.LearningRate);
        Assert.False(optimizer.HasSettableLearningRate);
        Assert.Throws<InvalidOperationException>(() => optimizer.SetLearningRate(0.1f));
        optimizer.SetLearningRate(new Func<long, float>(step => 0.25f));
        Assert.Equal(0.25f, optimizer.LearningRate);
        Assert.Null(optimizer.LearningRateSchedule);
        Assert.Throws<ArgumentException>(() => optimizer.SetLearningRate(default));
    }

    [Fact]
    public void LearningRate_FollowsTheScheduleAtEachIteration()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        var schedule = new InverseTimeDecay(0.2, decaySteps: 1, decayRate: 0.5);
        using var optimizer = new SGD(schedule);
        var variables = Variables(backend);
        var grads = Gradients(4, 1, 1.0);
        for (int step = 0; step < 4; step++)
        {
            Assert.Equal((float)(0.2 / (1 + 0.5 * step)), optimizer.LearningRate);
            using (new TensorScope()) optimizer.Apply(Grads(backend, grads[step]), variables);
        }
        Assert.Same(schedule, optimizer.LearningRateSchedule);
    }

    [Fact]
    public void SettingTheLearningRate_ChangesTheNextUpdate()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new Adagrad(0.05f);
        var reference = new AdagradReference();
        var lrs = new[] { 0.05, 0.05, 0.2, 0.2, 0.01 };
        reference = new AdagradReference { LearningRate = s => lrs[s] };
        var start = InitialWeights(2);
        var weights = start.Select(w => (double[])w.Clone()).ToArray();
        var variables = VariableShapes.Select((s, i) => NewVariable(backend, $"v{i}", start[i], s)).ToArray();
        var grads = Gradients(lrs.Length, 2, 1.0);
        for (int step = 0; step < lrs.Length; step++)
        {
            optimizer.LearningRate = (float)lrs[step];
            using (new TensorScope()) optimizer.Apply(Grads(backend, grads[step]), variables);
            reference.Apply(weights, grads[step]);
        }
        for (int v = 0; v < variables.Length; v++) AssertClose($"v{v}", Read(variables[v]), weights[v], start[v]);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = float.NaN);
    }

    [Fact]
    public void ABadGradient_ChangesNothing()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new Nadam(0.1f, useEma: true);
        var variables = Variables(backend);
        var before = variables.Select(Read).ToArray();
        using var scope = new TensorScope();
        var wrongShape = Tensor.FromNDArray(NDArray.FromArray(new float[12], 4, 3), backend);
        var e = Assert.Throws<ArgumentException>(() => optimizer.Apply([wrongShape, Grads(backend, Gradients(1, 1, 1)[0])[1]], variables));
        Assert.Contains("(4, 3)", e.Message);
        Assert.Contains("(3, 4)", e.Message);
        Assert.Throws<ArgumentException>(() => optimizer.Apply([null, null], variables)); // Keras: no gradients for any variable
        Assert.Throws<ArgumentException>(() => optimizer.Apply([null], variables));
        Assert.Equal(0, optimizer.Iterations);
        Assert.False(optimizer.Built);
        for (int v = 0; v < variables.Length; v++) Assert.Equal(before[v], Read(variables[v]));
    }

    [Fact]
    public void NonFiniteScheduledRate_IsRejectedBeforeAnyChange()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new Adam(new Func<long, float>(step => step == 0 ? float.NaN : 0.1f));
        var variables = Variables(backend);
        var before = variables.Select(Read).ToArray();
        using var scope = new TensorScope();
        var e = Assert.Throws<InvalidOperationException>(() => optimizer.Apply(Grads(backend, Gradients(1, 1, 1)[0]), variables));
        Assert.Contains("nan", e.Message);
        Assert.Equal(0, optimizer.Iterations);
        for (int v = 0; v < variables.Length; v++) Assert.Equal(before[v], Read(variables[v]));
    }

    [Fact]
    public void VariableWithoutGradient_IsLeftAlone_AndOthersUpdate()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new Lion(0.1f, weightDecay: 0.5f);
        var variables = Variables(backend);
        var before = variables.Select(Read).ToArray();
        using (new TensorScope()) optimizer.Apply([Grads(backend, Gradients(1, 1, 1)[0])[0], null], variables);
        Assert.Equal(before[1], Read(variables[1])); // not even weight-decayed, as Keras filters it out first
        Assert.NotEqual(before[0], Read(variables[0]));
        Assert.Null(optimizer.SlotValue(variables[1], 0));
        Assert.Equal(1, optimizer.Iterations);
    }

    [Fact]
    public void ExcludeFromWeightDecay_ByVariableAndByName()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        var start = InitialWeights(6);
        var kernel = NewVariable(backend, "kernel", start[0], VariableShapes[0]);
        var bias = NewVariable(backend, "bias", start[1], VariableShapes[1]);
        var zero = new[] { new double[12], new double[5] };
        using (var byName = new SGD(0.1f, weightDecay: 0.5f))
        {
            byName.ExcludeFromWeightDecay(varNames: ["bi.s"]);
            using (new TensorScope()) byName.Apply(Grads(backend, zero), [kernel, bias]);
            Assert.Equal(start[1].Select(x => (double)(float)x), Read(bias));
            AssertRelative("decayed kernel", Read(kernel), [.. start[0].Select(w => w - w * 0.5 * 0.1)], 1e-6);
            Assert.Throws<InvalidOperationException>(() => byName.ExcludeFromWeightDecay(varNames: ["kernel"]));
        }
        using var byVariable = new SGD(0.1f, weightDecay: 0.5f);
        byVariable.ExcludeFromWeightDecay(varList: [kernel]);
        var kernelBefore = Read(kernel);
        var biasBefore = Read(bias);
        using (new TensorScope()) byVariable.Apply(Grads(backend, zero), [kernel, bias]);
        Assert.Equal(kernelBefore, Read(kernel));
        AssertRelative("decayed bias", Read(bias), [.. biasBefore.Select(w => w - w * 0.5 * 0.1)], 1e-6);
    }

    [Fact]
    public void Ema_FinalizeCopiesTheAverages_AndSwapTwiceRestores()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new RMSprop(0.05f, useEma: true, emaMomentum: 0.5f);
        var reference = new RmspropReference { LearningRate = _ => 0.05, UseEma = true, EmaMomentum = 0.5 };
        var (variables, weights) = RunSideBySide(optimizer, reference, steps: 4, seed: 7, backend: backend);
        var trained = variables.Select(Read).ToArray();
        optimizer.SwapVariablesWithAverages(variables);
        for (int v = 0; v < variables.Length; v++)
        {
            AssertRelative($"swapped in {v}", Read(variables[v]), reference.Averages![v]);
            Assert.Equal(trained[v], Read(optimizer.MovingAverageOf(variables[v])!));
        }
        optimizer.SwapVariablesWithAverages(variables);
        for (int v = 0; v < variables.Length; v++) Assert.Equal(trained[v], Read(variables[v]));
        optimizer.FinalizeVariableValues(variables);
        for (int v = 0; v < variables.Length; v++)
        {
            AssertRelative($"finalized {v}", Read(variables[v]), reference.Averages![v]);
            Assert.NotEqual(weights[v], reference.Averages![v]); // the averages really differ from the weights
        }
        using var plain = new RMSprop();
        Assert.Throws<InvalidOperationException>(() => plain.SwapVariablesWithAverages(variables));
        plain.FinalizeVariableValues(variables); // without EMA: nothing to do
        for (int v = 0; v < variables.Length; v++) AssertRelative($"unchanged {v}", Read(variables[v]), reference.Averages![v]);
    }

    [Theory]
    [InlineData("adamax")]
    [InlineData("nadam")]
    [InlineData("ftrl")]
    [InlineData("adadelta")]
    public void ComposedUpdates_LeakNoBuffers(string name)
    {
        using var backend = new CpuBackend(maxThreads: 1);
        var optimizer = name switch
        {
            "adamax" => (Optimizer)new Adamax(clipnorm: 1f, useEma: true, emaOverwriteFrequency: 2),
            "nadam" => new Nadam(globalClipnorm: 1f, weightDecay: 0.1f),
            "ftrl" => new Ftrl(clipvalue: 0.5f, l1RegularizationStrength: 0.1f),
            _ => new Adadelta(),
        };
        var variables = Variables(backend);
        var grads = Gradients(3, 1, 2.0);
        using (new TensorScope()) optimizer.Apply(Grads(backend, grads[0]), variables);
        long live = backend.LiveBufferCount;
        for (int step = 1; step < 3; step++)
            using (new TensorScope()) optimizer.Apply(Grads(backend, grads[step]), variables);
        Assert.Equal(live, backend.LiveBufferCount);
        optimizer.Dispose();
        foreach (var v in variables) v.Dispose();
        Assert.Equal(0, backend.LiveBufferCount);
    }

    [Fact]
    public void CountParams_CountsTheLearningRateOnlyWhenItIsAVariable()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        long weights = VariableShapes.Sum(s => s.Aggregate(1, (a, b) => a * b));
        using var plain = new Adamax(0.01f);
        using var scheduled = new Adamax(new CosineDecay(0.01, 100));
        using var ema = new Adamax(0.01f, useEma: true);
        foreach (var o in new[] { plain, scheduled, ema })
            using (new TensorScope()) o.Apply(Grads(backend, Gradients(1, 1, 1)[0]), Variables(backend));
        Assert.Equal(2 * weights + 2, plain.CountParams());
        Assert.Equal(2 * weights + 1, scheduled.CountParams());
        Assert.Equal(3 * weights + 2, ema.CountParams()); // plus one average per weight
        // Bytes as Keras' summary counts them: float32 slots and learning rate, an int64 iteration counter.
        Assert.Equal((2 * weights + 1) * 4 + 8, plain.CountParamBytes());
        Assert.Equal(2 * weights * 4 + 8, scheduled.CountParamBytes());
    }

    [Fact]
    public void Fit_WithEma_LeavesTheMovingAveragesInTheModel()
    {
        var (x, y) = Callbacks.LearningRateCallbackTestUtil.Data();
        using var model = Callbacks.LearningRateCallbackTestUtil.Compiled(new SGD(0.2f, useEma: true, emaMomentum: 0.9f));
        using var plain = Callbacks.LearningRateCallbackTestUtil.Compiled(new SGD(0.2f));
        plain.SetWeights(model.GetWeights());
        model.Fit(x, y, epochs: 2, batchSize: 16, shuffle: false, verbose: 0);
        plain.Fit(x, y, epochs: 2, batchSize: 16, shuffle: false, verbose: 0);
        var optimizer = model.Optimizer!;
        var weights = model.TrainableWeights;
        for (int i = 0; i < weights.Count; i++)
        {
            Assert.Equal(optimizer.MovingAverageOf(weights[i])!.ToArray<float>(), weights[i].Numpy().ToArray<float>());
            Assert.NotEqual(plain.TrainableWeights[i].Numpy().ToArray<float>(), weights[i].Numpy().ToArray<float>());
        }
    }

    [Theory]
    [InlineData("adamw")]
    [InlineData("adamax")]
    [InlineData("nadam")]
    [InlineData("adagrad")]
    [InlineData("adadelta")]
    [InlineData("lion")]
    [InlineData("ftrl")]
    public void Compile_ByName_Trains(string name)
    {
        var (x, y) = Callbacks.LearningRateCallbackTestUtil.Data();
        using var model = Callbacks.LearningRateCallbackTestUtil.Compiled(name);
        var before = model.GetWeights().Select(w => w.ToArray<float>()).ToArray();
        var history = model.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0);
        Assert.Equal(6, model.Optimizer!.Iterations);
        Assert.All(history["loss"], l => Assert.True(double.IsFinite(l)));
        var after = model.GetWeights().Select(w => w.ToArray<float>()).ToArray();
        Assert.Contains(Enumerable.Range(0, after.Length), i => !after[i].SequenceEqual(before[i]));
    }
}
