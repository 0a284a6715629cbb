using KerasGpu.Losses;
using KerasGpu.Optimizers;
using static KerasGpu.Tests.Training.TrainingTestUtil;

namespace KerasGpu.Tests.Training;

/// <summary>
/// The acceptance test of the training path: the same 20-16-4 MLP, trained from identical initial weights on identical
/// batches, agrees with the float64 <see cref="ReferenceMlp"/> step by step.
/// </summary>
/// <remarks>
/// Tolerance: 1e-4 relative. The backend computes in float32 (unit roundoff 6e-8); each forward pass sums at most 20
/// products per unit and the loss, its gradients and each update carry relative errors of order 1e-6, and ten steps
/// accumulate them to order 1e-5 at most. 1e-4 leaves a 10× margin over that, yet a wrong rule or default (a missing
/// bias correction, momentum applied the PyTorch way, lr 1e-2 instead of 1e-3, a wrong β) moves losses and weights by
/// far more. Weight tensors are compared norm-wise (max |Δ| / max |w|) so that elements near zero do not turn rounding
/// into large relative errors; the displacement from the initial weights (what the optimizer alone produced) is also
/// compared, at 1e-3, because it is much smaller than the weights themselves and so exposes update errors that the
/// weights' 1e-4 would hide.
/// </remarks>
public class ReferenceTrainingTests(ITestOutputHelper output)
{
    private const int Inputs = 20, Hidden = 16, Classes = 4, Batch = 16, Steps = 10;
    private const double Tolerance = 1e-4, DisplacementTolerance = 1e-3;

    public static TheoryData<string> OptimizerConfigs =>
    [
        "sgd", "sgd_momentum", "sgd_nesterov", "rmsprop", "rmsprop_momentum", "rmsprop_centered", "adam", "adam_amsgrad",
    ];

    private static (Optimizer Model, ReferenceOptimizer Reference) Optimizers(string config) => config switch
    {
        // Keras' defaults where nothing is passed: SGD lr 0.01; RMSprop lr 1e-3, ρ 0.9, ε 1e-7; Adam lr 1e-3, β 0.9/0.999, ε 1e-7.
        "sgd" => (new SGD(), new ReferenceSgd()),
        "sgd_momentum" => (new SGD(momentum: 0.9f), new ReferenceSgd(momentum: 0.9)),
        "sgd_nesterov" => (new SGD(momentum: 0.9f, nesterov: true), new ReferenceSgd(momentum: 0.9, nesterov: true)),
        "rmsprop" => (new RMSprop(), new ReferenceRmsprop()),
        "rmsprop_momentum" => (new RMSprop(momentum: 0.9f), new ReferenceRmsprop(momentum: 0.9)),
        "rmsprop_centered" => (new RMSprop(centered: true), new ReferenceRmsprop(centered: true)),
        "adam" => (new Adam(), new ReferenceAdam()),
        "adam_amsgrad" => (new Adam(amsgrad: true), new ReferenceAdam(amsgrad: true)),
        _ => throw new ArgumentException(config),
    };

    [Theory]
    [MemberData(nameof(OptimizerConfigs))]
    public void TenSteps_SparseCrossEntropyFromLogits_MatchFloat64Reference(string config)
    {
        var (optimizer, reference) = Optimizers(config);
        var x = Features(Batch * Steps, Inputs, seed: 11);
        var y = Labels(x, Classes, seed: 12);
        var result = TrainBoth(ReferenceHead.SparseCrossEntropyFromLogits, null,
            new SparseCategoricalCrossentropy(fromLogits: true), optimizer, reference, x, y, null, Steps);
        output.WriteLine($"{config}: max relative loss error {result.Loss:E2}, weights {result.Weights:E2}, displacement {result.Displacement:E2}");
    }

    [Fact]
    public void SoftmaxThenCategoricalCrossentropy_MatchesFloat64Reference()
    {
        var x = Features(Batch * 5, Inputs, seed: 21);
        var labels = Labels(x, Classes, seed: 22);
        var result = TrainBoth(ReferenceHead.SoftmaxCategoricalCrossEntropy, "softmax",
            new CategoricalCrossentropy(fromLogits: false), new SGD(learningRate: 0.1f), new ReferenceSgd(learningRate: 0.1),
            x, null, OneHot(labels, Classes), steps: 5);
        output.WriteLine($"softmax+cce: loss {result.Loss:E2}, weights {result.Weights:E2}, displacement {result.Displacement:E2}");
    }

    [Fact]
    public void MeanSquaredError_MatchesFloat64Reference()
    {
        var x = Features(Batch * 5, Inputs, seed: 31);
        var targets = Features(Batch * 5, Classes, seed: 32);
        var result = TrainBoth(ReferenceHead.LinearMeanSquaredError, null,
            new MeanSquaredError(), new Adam(), new ReferenceAdam(), x, null, targets, steps: 5);
        output.WriteLine($"mse: loss {result.Loss:E2}, weights {result.Weights:E2}, displacement {result.Displacement:E2}");
    }

    /// <summary>Trains the model with TrainOnBatch and the reference by hand on the same batches; asserts agreement.</summary>
    private static (double Loss, double Weights, double Displacement) TrainBoth(ReferenceHead head, string? outputActivation,
        Loss loss, Optimizer optimizer, ReferenceOptimizer referenceOptimizer, float[,] x, int[]? labels, float[,]? dense, int steps)
    {
        using var model = Mlp(Inputs, Hidden, Classes, outputActivation);
        model.SetWeights(Weights(Inputs, Hidden, Classes, seed: 5));
        model.Compile(loss: loss, optimizer: optimizer);
        var initial = ToDoubles(model.GetWeights());
        var reference = new ReferenceMlp(Inputs, Hidden, Classes, ToDoubles(model.GetWeights()), head);
        var xd = ToDouble2D(x);
        var denseD = dense is null ? null : ToDouble2D(dense);

        double maxLoss = 0;
        for (int s = 0; s < steps; s++)
        {
            var xb = Rows(x, s * Batch, Batch);
            double got = labels is not null
                ? model.TrainOnBatch(xb, labels[(s * Batch)..((s + 1) * Batch)])[0]
                : model.TrainOnBatch(xb, Rows(dense!, s * Batch, Batch))[0];
            var (expected, gradients) = reference.LossAndGradients(Slice(xd, s * Batch, Batch),
                labels?[(s * Batch)..((s + 1) * Batch)], denseD is null ? null : Slice(denseD, s * Batch, Batch));
            referenceOptimizer.Apply(reference.Parameters, gradients);
            double err = RelativeError(got, expected);
            maxLoss = Math.Max(maxLoss, err);
            Assert.True(err <= Tolerance, $"step {s + 1}: loss {got:R} vs reference {expected:R} (relative error {err:E2})");
        }

        Assert.Equal(steps, model.Optimizer!.Iterations);
        var final = ToDoubles(model.GetWeights());
        string[] names = ["kernel1", "bias1", "kernel2", "bias2"];
        double maxWeights = 0, maxDisplacement = 0;
        for (int v = 0; v < final.Length; v++)
        {
            double err = RelativeError(final[v], reference.Parameters[v]);
            maxWeights = Math.Max(maxWeights, err);
            Assert.True(err <= Tolerance, $"{names[v]}: relative error {err:E2} after {steps} steps");
            double[] moved = [.. final[v].Select((w, i) => w - initial[v][i])];
            double[] referenceMoved = [.. reference.Parameters[v].Select((w, i) => w - initial[v][i])];
            Assert.Contains(referenceMoved, d => d != 0); // the optimizer did move this tensor
            double displacement = RelativeError(moved, referenceMoved);
            maxDisplacement = Math.Max(maxDisplacement, displacement);
            Assert.True(displacement <= DisplacementTolerance, $"{names[v]}: displacement relative error {displacement:E2} after {steps} steps");
        }
        return (maxLoss, maxWeights, maxDisplacement);
    }

    private static double[,] Slice(double[,] x, int start, int count)
    {
        var y = new double[count, x.GetLength(1)];
        for (int r = 0; r < count; r++)
            for (int c = 0; c < x.GetLength(1); c++) y[r, c] = x[start + r, c];
        return y;
    }

    // ---- the reference itself is proven by central differences --------------------------------------------------

    [Theory]
    [InlineData(ReferenceHead.SparseCrossEntropyFromLogits)]
    [InlineData(ReferenceHead.SoftmaxCategoricalCrossEntropy)]
    [InlineData(ReferenceHead.LinearMeanSquaredError)]
    public void ReferenceGradient_MatchesCentralDifferences(ReferenceHead head)
    {
        var parameters = ToDoubles(Weights(Inputs, Hidden, Classes, seed: 42));
        var reference = new ReferenceMlp(Inputs, Hidden, Classes, parameters, head);
        var x = ToDouble2D(Features(Batch, Inputs, seed: 43));
        var labels = Labels(Features(Batch, Inputs, seed: 43), Classes, seed: 44);
        double[,] dense = head == ReferenceHead.LinearMeanSquaredError
            ? ToDouble2D(Features(Batch, Classes, seed: 45))
            : ToDouble2D(OneHot(labels, Classes));
        int[]? sparse = head == ReferenceHead.SparseCrossEntropyFromLogits ? labels : null;
        double[,]? denseTargets = sparse is null ? dense : null;

        var (_, analytic) = reference.LossAndGradients(x, sparse, denseTargets);
        const double h = 1e-5;
        double worst = 0;
        int checkedCount = 0;
        for (int v = 0; v < parameters.Length; v++)
        {
            for (int i = 0; i < parameters[v].Length; i++)
            {
                double saved = parameters[v][i];
                parameters[v][i] = saved + h;
                double plus = reference.Loss(x, sparse, denseTargets);
                parameters[v][i] = saved - h;
                double minus = reference.Loss(x, sparse, denseTargets);
                parameters[v][i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double diff = Math.Abs(numeric - analytic[v][i]);
                worst = Math.Max(worst, diff / (1e-7 + Math.Abs(analytic[v][i])));
                Assert.True(diff <= 1e-8 + 1e-5 * Math.Abs(analytic[v][i]),
                    $"parameter {v}[{i}]: analytic {analytic[v][i]:R}, central difference {numeric:R}");
                checkedCount++;
            }
        }
        Assert.Equal(Inputs * Hidden + Hidden + Hidden * Classes + Classes, checkedCount);
        Assert.Contains(analytic[0], g => g != 0);
        output.WriteLine($"{head}: worst scaled difference {worst:E2}");
    }
}
