namespace KerasGpu.Metrics;

/// <summary>
/// Mean concordance correlation along <c>axis</c> (Keras' <c>ConcordanceCorrelation</c>):
/// <c>mean(2·(t − mean(p))·(p − mean(p)) / (var(t) + var(p) + (mean(t) − mean(p))² + ε))</c>, with Keras' centring of
/// both factors on the prediction mean kept as it is.
/// </summary>
/// <param name="name">Metric name.</param>
/// <param name="axis">The axis along which the coefficient is computed.</param>
public sealed class ConcordanceCorrelation(string name = "concordance_correlation", int axis = -1) : MeanMetricWrapper(name)
{
    /// <summary>The axis along which the coefficient is computed.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        var trueMean = Ops.Mean(t, [Axis], keepDims: true);
        var predMean = Ops.Mean(p, [Axis], keepDims: true);
        Tensor Variance(Tensor x, Tensor mean)
        {
            var centred = Ops.Subtract(x, mean);
            var m = Ops.Mean(centred, [Axis], keepDims: true);
            return Ops.Mean(Ops.Square(Ops.Subtract(centred, m)), [Axis], keepDims: true);
        }
        var covariance = Ops.Multiply(Ops.Subtract(t, predMean), Ops.Subtract(p, predMean));
        var norm = Ops.Add(Ops.Add(Variance(t, trueMean), Variance(p, predMean)), Ops.Square(Ops.Subtract(trueMean, predMean)));
        return Ops.Mean(Ops.Divide(Ops.Scale(covariance, 2f), Ops.Add(norm, MetricOps.Epsilon)), [Axis]);
    }

    internal override PredictionMetric CloneWithName(string name) => new ConcordanceCorrelation(name, Axis);
}
