using KerasGpu.Metrics;

namespace KerasGpu.Tests.Training;

/// <summary>
/// mean(|y_true - y_pred|) per sample, averaged over samples (Keras' <c>MeanAbsoluteError</c> metric), built from
/// public ops so the multi-output tests do not depend on the metrics branch.
/// </summary>
internal sealed class MeanAbsoluteErrorForTests(string name = "mean_absolute_error") : PredictionMetric(name)
{
    private readonly Mean _mean = new(name);

    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        var perSample = Ops.Mean(Ops.Abs(Ops.Subtract(yTrue, yPred)), [-1]);
        _mean.UpdateState(Ops.Mean(perSample), perSample.Size);
    }

    public override double Result() => _mean.Result();

    public override void ResetState() => _mean.ResetState();
}
