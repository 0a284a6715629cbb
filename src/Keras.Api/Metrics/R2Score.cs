namespace KerasGpu.Metrics;

/// <summary>
/// The coefficient of determination, <c>1 − Σ(y − ŷ)² / Σ(y − ȳ)²</c> per output (Keras' <c>R2Score</c>): weighted sums
/// of y, y² and squared residuals accumulate on the device per output column; outputs are combined by
/// <c>class_aggregation</c> (<c>"uniform_average"</c>, <c>"variance_weighted_average"</c>, or null for one score per
/// output, see <see cref="ResultPerOutput"/>), and <c>num_regressors</c> &gt; 0 gives the adjusted R².
/// </summary>
public sealed class R2Score : PredictionMetric
{
    private static readonly string?[] s_aggregations = [null, "uniform_average", "variance_weighted_average"];
    private readonly MetricVariable _numSamples;
    private MetricVariable? _squaredSum, _sum, _residual, _count;
    private int _outputs = -1;

    /// <summary>Creates the metric.</summary>
    /// <param name="classAggregation"><c>"uniform_average"</c>, <c>"variance_weighted_average"</c> or null.</param>
    /// <param name="numRegressors">Independent regressors for the adjusted R² (0: plain R²).</param>
    /// <param name="name">Metric name.</param>
    /// <exception cref="ArgumentException">An argument is outside what Keras accepts.</exception>
    public R2Score(string? classAggregation = "uniform_average", int numRegressors = 0, string name = "r2_score") : base(name)
    {
        if (!s_aggregations.Contains(classAggregation))
            throw new ArgumentException($"Invalid value for argument `class_aggregation`. Expected one of (None, 'uniform_average', 'variance_weighted_average'). Received: class_aggregation={classAggregation}", nameof(classAggregation));
        if (numRegressors < 0)
            throw new ArgumentException($"Invalid value for argument `num_regressors`. Expected a value >= 0. Received: num_regressors={numRegressors}", nameof(numRegressors));
        ClassAggregation = classAggregation;
        NumRegressors = numRegressors;
        _numSamples = AddVariable("num_samples", []);
    }

    /// <summary>How per-output scores are combined.</summary>
    public string? ClassAggregation { get; }

    /// <summary>Independent regressors for the adjusted R².</summary>
    public int NumRegressors { get; }

    /// <inheritdoc />
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        BackendOf(yTrue, yPred, sampleWeight);
        using var scope = new TensorScope();
        var (t, p) = MetricOps.SqueezeOrExpandToSameRank(MetricOps.AsFloat(yTrue), MetricOps.AsFloat(yPred));
        if (t.Rank != 2 || p.Rank != 2)
            throw new ArgumentException($"R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape={Shapes.Format(yPred.Shape)} and y_true.shape={Shapes.Format(yTrue.Shape)}.");
        if (!Shapes.Equal(t.Dims, p.Dims))
            throw new ArgumentException($"R2Score expects y_true and y_pred of one shape; received y_true.shape={Shapes.Format(yTrue.Shape)}, y_pred.shape={Shapes.Format(yPred.Shape)}.");
        if (_outputs >= 0 && t.Dims[1] != _outputs)
            throw new ArgumentException($"R2Score was built for {_outputs} outputs; received y_true.shape={Shapes.Format(yTrue.Shape)}.");
        var backend = t.Backend;
        Tensor w;
        if (sampleWeight is null) w = Ops.Fill(backend, t.Shape, 1f);
        else
        {
            w = MetricOps.AsFloat(sampleWeight);
            if (w.Rank == 1) w = Ops.ExpandDims(w, 1);
            try
            {
                w = Ops.BroadcastTo(w, t.Shape);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"sample_weight of shape {Shapes.Format(sampleWeight.Shape)} does not broadcast to y_true of shape {Shapes.Format(t.Shape)}.", nameof(sampleWeight), e);
            }
        }
        var weighted = Ops.Multiply(t, w);
        var sum = Ops.Sum(weighted, [0]);
        var squaredSum = Ops.Sum(Ops.Multiply(t, weighted), [0]);
        var residual = Ops.Sum(Ops.Multiply(Ops.Square(Ops.Subtract(t, p)), w), [0]);
        var count = Ops.Sum(w, [0]);
        // A sample counts when any of its outputs has a non-zero weight.
        var samples = Ops.Sum(Ops.Max(Ops.NotEqual(w, Ops.Scalar(backend, 0f)), [-1]));
        if (_outputs < 0)
        {
            int[] shape = [t.Dims[1]];
            _squaredSum = AddVariable("squared_sum", shape);
            _sum = AddVariable("sum", shape);
            _residual = AddVariable("residual", shape);
            _count = AddVariable("count", shape);
            _outputs = t.Dims[1];
        }
        _sum!.AssignAdd(sum);
        _squaredSum!.AssignAdd(squaredSum);
        _residual!.AssignAdd(residual);
        _count!.AssignAdd(count);
        _numSamples.AssignAdd(samples);
    }

    /// <summary>The raw score of each output (0 where it is infinite, as Keras; NaN before any update).</summary>
    public double[] ResultPerOutput()
    {
        if (_sum is null) return [];
        double[] sum = _sum.Read(), squaredSum = _squaredSum!.Read(), residual = _residual!.Read(), count = _count!.Read();
        var scores = new double[sum.Length];
        for (int i = 0; i < sum.Length; i++)
        {
            double mean = sum[i] / count[i], total = squaredSum[i] - sum[i] * mean;
            double raw = 1 - residual[i] / total;
            scores[i] = double.IsInfinity(raw) ? 0 : raw;
        }
        return scores;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><c>class_aggregation</c> is null: there is one score per output.</exception>
    public override double Result()
    {
        if (ClassAggregation is null)
            throw new InvalidOperationException($"R2Score \"{Name}\" with class_aggregation=None has one score per output; call ResultPerOutput().");
        var raw = ResultPerOutput();
        if (raw.Length == 0) return double.NaN;
        double score;
        if (ClassAggregation == "uniform_average") score = raw.Average();
        else
        {
            double[] sum = _sum!.Read(), squaredSum = _squaredSum!.Read(), count = _count!.Read();
            double weighted = 0, weights = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                double total = squaredSum[i] - sum[i] * (sum[i] / count[i]);
                weighted += total * raw[i];
                weights += total;
            }
            score = weighted / weights;
        }
        if (NumRegressors == 0) return score;
        double n = _numSamples.Read()[0];
        // Keras falls back to the plain score (with a warning) when the adjusted one is undefined.
        if (NumRegressors >= n - 1) return score;
        return 1 - (1 - score) * (n - 1) / (n - NumRegressors - 1);
    }

    internal override void Resolve(int[] targetShape, int[] predictionShape, bool sparseTargets)
    {
        if (ClassAggregation is null)
            throw new ArgumentException($"R2Score \"{Name}\" with class_aggregation=None gives one score per output, which a training log cannot hold; use \"uniform_average\" or \"variance_weighted_average\" for Compile().");
    }

    internal override PredictionMetric CloneWithName(string name) => new R2Score(ClassAggregation, NumRegressors, name);
}
