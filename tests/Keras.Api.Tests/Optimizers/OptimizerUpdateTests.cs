using KerasGpu.Backend.Cpu;
using KerasGpu.Optimizers;
using KerasGpu.Optimizers.Schedules;
using static KerasGpu.Tests.Optimizers.OptimizerTestUtil;

namespace KerasGpu.Tests.Optimizers;

/// <summary>
/// Each optimizer's first steps, with and without each common option, against <see cref="KerasReference"/>: Keras 3's
/// update rules re-implemented in float64 from keras/src/optimizers/*.py.
/// </summary>
public class OptimizerUpdateTests
{
    /// <summary>Named configurations: the C# optimizer and the float64 Keras rule with the same arguments.</summary>
    private static (Optimizer Optimizer, KerasReference Reference, double GradientScale) Build(string config) => config switch
    {
        "sgd" => (new SGD(0.1f), new SgdReference { LearningRate = _ => 0.1 }, 1),
        "sgd nesterov" => (new SGD(0.05f, momentum: 0.9f, nesterov: true), new SgdReference(0.9, true) { LearningRate = _ => 0.05 }, 1),
        "rmsprop centered momentum" => (new RMSprop(0.01f, momentum: 0.5f, centered: true),
            new RmspropReference(momentum: 0.5, centered: true) { LearningRate = _ => 0.01 }, 1),
        "adam" => (new Adam(0.01f), new AdamReference { LearningRate = _ => 0.01 }, 1),
        "adam amsgrad" => (new Adam(0.01f, amsgrad: true), new AdamReference(amsgrad: true) { LearningRate = _ => 0.01 }, 1),
        "adamw" => (new AdamW(0.01f), new AdamReference { LearningRate = _ => 0.01, WeightDecay = 0.004 }, 1),
        "adamw strong decay" => (new AdamW(0.05f, weightDecay: 0.5f, beta1: 0.8f, beta2: 0.99f),
            new AdamReference(0.8, 0.99) { LearningRate = _ => 0.05, WeightDecay = 0.5 }, 1),
        "adamax" => (new Adamax(0.02f), new AdamaxReference { LearningRate = _ => 0.02 }, 1),
        "adamax betas" => (new Adamax(0.02f, beta1: 0.5f, beta2: 0.9f, epsilon: 1e-3f),
            new AdamaxReference(0.5, 0.9, 1e-3) { LearningRate = _ => 0.02 }, 1),
        "nadam" => (new Nadam(0.02f), new NadamReference { LearningRate = _ => 0.02 }, 1),
        "nadam betas" => (new Nadam(0.02f, beta1: 0.7f, beta2: 0.95f, epsilon: 1e-4f),
            new NadamReference(0.7, 0.95, 1e-4) { LearningRate = _ => 0.02 }, 1),
        "adagrad" => (new Adagrad(0.05f), new AdagradReference { LearningRate = _ => 0.05 }, 1),
        "adagrad initial" => (new Adagrad(0.05f, initialAccumulatorValue: 0.5f, epsilon: 1e-3f),
            new AdagradReference(0.5, 1e-3) { LearningRate = _ => 0.05 }, 1),
        "adadelta" => (new Adadelta(1.0f), new AdadeltaReference { LearningRate = _ => 1.0 }, 1),
        "adadelta rho" => (new Adadelta(1.0f, rho: 0.5f, epsilon: 1e-4f), new AdadeltaReference(0.5, 1e-4) { LearningRate = _ => 1.0 }, 1),
        "lion" => (new Lion(0.01f), new LionReference { LearningRate = _ => 0.01 }, 1),
        "lion betas" => (new Lion(0.01f, beta1: 0.5f, beta2: 0.8f), new LionReference(0.5, 0.8) { LearningRate = _ => 0.01 }, 1),
        "ftrl" => (new Ftrl(0.05f), new FtrlReference { LearningRate = _ => 0.05 }, 1),
        "ftrl regularised" => (new Ftrl(0.05f, learningRatePower: -0.7f, initialAccumulatorValue: 0.2f, l1RegularizationStrength: 0.05f,
                l2RegularizationStrength: 0.02f, l2ShrinkageRegularizationStrength: 0.03f, beta: 0.1f),
            new FtrlReference(-0.7, 0.2, 0.05, 0.02, 0.03, 0.1) { LearningRate = _ => 0.05 }, 1),
        "ftrl fixed rate" => (new Ftrl(0.05f, learningRatePower: 0f), new FtrlReference(learningRatePower: 0) { LearningRate = _ => 0.05 }, 1),
        // Common options on fused and composed optimizers.
        "sgd clipnorm" => (new SGD(0.1f, momentum: 0.5f, clipnorm: 0.5f), new SgdReference(0.5) { LearningRate = _ => 0.1, Clipnorm = 0.5 }, 2),
        "adamax clipnorm" => (new Adamax(0.02f, clipnorm: 0.5f), new AdamaxReference { LearningRate = _ => 0.02, Clipnorm = 0.5 }, 2),
        "nadam clipnorm" => (new Nadam(0.02f, clipnorm: 0.5f), new NadamReference { LearningRate = _ => 0.02, Clipnorm = 0.5 }, 2),
        "adagrad clipvalue" => (new Adagrad(0.05f, clipvalue: 0.3f), new AdagradReference { LearningRate = _ => 0.05, Clipvalue = 0.3 }, 2),
        "lion clipvalue" => (new Lion(0.01f, clipvalue: 0.3f), new LionReference { LearningRate = _ => 0.01, Clipvalue = 0.3 }, 2),
        "rmsprop clipvalue" => (new RMSprop(0.01f, clipvalue: 0.3f), new RmspropReference { LearningRate = _ => 0.01, Clipvalue = 0.3 }, 2),
        "adam global clipnorm" => (new Adam(0.01f, globalClipnorm: 0.7f), new AdamReference { LearningRate = _ => 0.01, GlobalClipnorm = 0.7 }, 2),
        "adadelta global clipnorm" => (new Adadelta(1f, globalClipnorm: 0.7f), new AdadeltaReference { LearningRate = _ => 1.0, GlobalClipnorm = 0.7 }, 2),
        "sgd weight decay" => (new SGD(0.1f, weightDecay: 0.05f), new SgdReference { LearningRate = _ => 0.1, WeightDecay = 0.05 }, 1),
        "lion weight decay" => (new Lion(0.01f, weightDecay: 0.3f), new LionReference { LearningRate = _ => 0.01, WeightDecay = 0.3 }, 1),
        "ftrl weight decay" => (new Ftrl(0.05f, weightDecay: 0.1f), new FtrlReference { LearningRate = _ => 0.05, WeightDecay = 0.1 }, 1),
        "adamax schedule" => (new Adamax(new ExponentialDecay(0.05, decaySteps: 2, decayRate: 0.5)),
            new AdamaxReference { LearningRate = s => 0.05 * Math.Pow(0.5, s / 2.0) }, 1),
        "sgd function of step" => (new SGD(new Func<long, float>(step => 0.1f / (step + 1)), momentum: 0.9f),
            new SgdReference(0.9) { LearningRate = s => (double)(0.1f / (s + 1)) }, 1),
        "adamw schedule decays weights with the scheduled rate" => (new AdamW(new PiecewiseConstantDecay([1, 3], [0.1, 0.05, 0.01]), weightDecay: 0.2f),
            new AdamReference { LearningRate = s => s <= 1 ? 0.1 : s <= 3 ? 0.05 : 0.01, WeightDecay = 0.2 }, 1),
        "adam ema" => (new Adam(0.01f, useEma: true, emaMomentum: 0.9f), new AdamReference { LearningRate = _ => 0.01, UseEma = true, EmaMomentum = 0.9 }, 1),
        "nadam ema overwrite" => (new Nadam(0.02f, useEma: true, emaMomentum: 0.8f, emaOverwriteFrequency: 3),
            new NadamReference { LearningRate = _ => 0.02, UseEma = true, EmaMomentum = 0.8, EmaOverwriteFrequency = 3 }, 1),
        "sgd ema overwrite every step" => (new SGD(0.1f, useEma: true, emaOverwriteFrequency: 1),
            new SgdReference { LearningRate = _ => 0.1, UseEma = true, EmaOverwriteFrequency = 1 }, 1),
        _ => throw new ArgumentException(config),
    };

    public static TheoryData<string> Configs() =>
    [
        "sgd", "sgd nesterov", "rmsprop centered momentum", "adam", "adam amsgrad", "adamw", "adamw strong decay", "adamax",
        "adamax betas", "nadam", "nadam betas", "adagrad", "adagrad initial", "adadelta", "adadelta rho", "lion", "lion betas",
        "ftrl", "ftrl regularised", "ftrl fixed rate", "sgd clipnorm", "adamax clipnorm", "nadam clipnorm", "adagrad clipvalue",
        "lion clipvalue", "rmsprop clipvalue", "adam global clipnorm", "adadelta global clipnorm", "sgd weight decay",
        "lion weight decay", "ftrl weight decay", "adamax schedule", "sgd function of step",
        "adamw schedule decays weights with the scheduled rate", "adam ema", "nadam ema overwrite", "sgd ema overwrite every step",
    ];

    [Theory]
    [MemberData(nameof(Configs))]
    public void FirstSteps_MatchKerasUpdateRule(string config)
    {
        using var backend = new CpuBackend(maxThreads: 1);
        var (optimizer, reference, scale) = Build(config);
        using (optimizer)
        {
            var (variables, _) = RunSideBySide(optimizer, reference, steps: 7, seed: config.Length, gradientScale: scale, backend: backend);
            if (reference.UseEma)
                for (int v = 0; v < variables.Length; v++)
                    AssertRelative($"{config} average {v}", Read(optimizer.MovingAverageOf(variables[v])!), reference.Averages![v]);
            foreach (var v in variables) v.Dispose();
        }
    }

    [Fact]
    public void Adagrad_AccumulatorStartsAtInitialValue_AndSumsSquares()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new Adagrad(0.05f, initialAccumulatorValue: 0.25f);
        var reference = new AdagradReference(0.25) { LearningRate = _ => 0.05 };
        var (variables, _) = RunSideBySide(optimizer, reference, steps: 3, seed: 4, backend: backend);
        for (int v = 0; v < variables.Length; v++)
            AssertRelative($"accumulator {v}", Read(optimizer.SlotValue(variables[v], 0)!), reference.Slot(v, 0));
    }

    [Fact]
    public void Ftrl_AccumulatorAndLinearSlots_MatchKeras()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new Ftrl(0.1f, l1RegularizationStrength: 0.1f, l2ShrinkageRegularizationStrength: 0.05f);
        var reference = new FtrlReference(l1: 0.1, l2Shrinkage: 0.05) { LearningRate = _ => 0.1 };
        var (variables, weights) = RunSideBySide(optimizer, reference, steps: 5, seed: 9, backend: backend);
        for (int v = 0; v < variables.Length; v++)
        {
            AssertRelative($"accumulator {v}", Read(optimizer.SlotValue(variables[v], 0)!), reference.Slot(v, 0));
            AssertRelative($"linear {v}", Read(optimizer.SlotValue(variables[v], 1)!), reference.Slot(v, 1), absolute: 1e-6);
        }
        // L1 zeroes the weights whose |linear| stays below the strength: make sure the test exercised both branches.
        var all = weights.SelectMany(w => w).ToArray();
        Assert.Contains(all, w => w == 0);
        Assert.Contains(all, w => w != 0);
    }

    [Fact]
    public void Lion_MovesEveryWeightByExactlyTheLearningRateOnTheFirstStep()
    {
        // With zero momentum the first Lion step is w −= lr·sign(g): a documented property of the rule.
        using var backend = new CpuBackend(maxThreads: 1);
        using var optimizer = new Lion(0.125f);
        var start = InitialWeights(3);
        var grads = Gradients(1, 3, 1.0);
        var variables = VariableShapes.Select((s, i) => NewVariable(backend, $"v{i}", start[i], s)).ToArray();
        using (new TensorScope())
            optimizer.Apply([.. grads[0].Select((g, i) => (Tensor?)Tensor.FromNDArray(NDArray.FromArray([.. g.Select(x => (float)x)], VariableShapes[i]), backend))], variables);
        for (int v = 0; v < variables.Length; v++)
        {
            var after = Read(variables[v]);
            for (int i = 0; i < after.Length; i++)
                Assert.Equal((float)(start[v][i] - 0.125 * Math.Sign(grads[0][v][i])), (float)after[i]);
        }
    }

    [Fact]
    public void Nadam_CountsItsMomentumProductAsAnOptimizerVariable()
    {
        using var backend = new CpuBackend(maxThreads: 1);
        using var nadam = new Nadam();
        using var adam = new Adam();
        RunSideBySide(nadam, new NadamReference(), steps: 1, backend: backend);
        RunSideBySide(adam, new AdamReference(), steps: 1, backend: backend);
        long weights = VariableShapes.Sum(s => s.Aggregate(1, (a, b) => a * b));
        Assert.Equal(2 * weights + 2 + 1, nadam.CountParams()); // m, v, iteration, learning rate, u_product
        Assert.Equal(2 * weights + 2, adam.CountParams());
    }
}
