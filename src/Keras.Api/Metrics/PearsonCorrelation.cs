namespace KerasGpu.Metrics;

/// <summary>
/// Mean Pearson correlation along <c>axis</c> (Keras' <c>PearsonCorrelation</c>): both inputs centred and divided by
/// their (population) standard deviation, then <c>mean(t·p)</c>.
/// </summary>
/// <param name="name">Metric name.</param>
/// <param name="axis">The axis along which the correlation is computed.</param>
public sealed class PearsonCorrelation(string name = "pearson_correlation", int axis = -1) : MeanMetricWrapper(name)
{
    /// <summary>The axis along which the correlation is computed.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc />
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        Tensor Standardize(Tensor x)
        {
            var centred = Ops.Subtract(x, Ops.Mean(x, [Axis], keepDims: true));
            return Ops.Divide(centred, Ops.Sqrt(Ops.Mean(Ops.Square(centred), [Axis], keepDims: true)));
        }
        return Ops.Mean(Ops.Multiply(Standardize(t), Standardize(p)), [Axis]);
    }

    internal override PredictionMetric CloneWithName(string name) => new PearsonCorrelation(name, Axis);
}
