namespace KerasGpu.Tests.Training;

/// <summary>What sits on top of the reference MLP's second Dense layer, and which loss is applied.</summary>
public enum ReferenceHead
{
    /// <summary>Linear logits, SparseCategoricalCrossentropy(fromLogits: true).</summary>
    SparseCrossEntropyFromLogits,

    /// <summary>Softmax activation, CategoricalCrossentropy(fromLogits: false) with Keras' renormalise-and-clip.</summary>
    SoftmaxCategoricalCrossEntropy,

    /// <summary>Linear output, MeanSquaredError (mean over the last axis).</summary>
    LinearMeanSquaredError,
}

/// <summary>
/// A plain float64 two-layer perceptron, <c>Dense(hidden, relu) → Dense(outputs[, softmax])</c>, with its forward and
/// backward pass written out by hand: the reference the float32 backends are compared against. Parameters are kept in
/// Keras' weight order and layout: kernel1 (inputs×hidden, row-major), bias1, kernel2 (hidden×outputs), bias2.
/// Losses are means over the batch ("sum_over_batch_size").
/// </summary>
internal sealed class ReferenceMlp(int inputs, int hidden, int outputs, double[][] parameters, ReferenceHead head)
{
    /// <summary>Keras' fuzz factor (<c>keras.config.epsilon()</c>), used to clip probabilities.</summary>
    public const double Epsilon = 1e-7;

    public int Inputs { get; } = inputs;
    public int Hidden { get; } = hidden;
    public int Outputs { get; } = outputs;
    public ReferenceHead Head { get; } = head;

    /// <summary>kernel1, bias1, kernel2, bias2 (updated in place by the optimizers).</summary>
    public double[][] Parameters { get; } = parameters;

    /// <summary>The shapes of <see cref="Parameters"/>, as Keras reports them.</summary>
    public int[][] Shapes => [[Inputs, Hidden], [Hidden], [Hidden, Outputs], [Outputs]];

    /// <summary>The model's output (logits, probabilities or regression values) for each row of x (rows × inputs).</summary>
    public double[,] Predict(double[,] x) => Forward(x).Output;

    /// <summary>The batch-mean loss.</summary>
    /// <param name="x">Rows × inputs.</param>
    /// <param name="labels">Class indices (sparse head only).</param>
    /// <param name="dense">Rows × outputs targets (the other heads).</param>
    public double Loss(double[,] x, int[]? labels, double[,]? dense) => LossAndGradients(x, labels, dense, withGradients: false).Loss;

    /// <summary>The batch-mean loss and its gradient with respect to each parameter tensor.</summary>
    public (double Loss, double[][] Gradients) LossAndGradients(double[,] x, int[]? labels, double[,]? dense) =>
        LossAndGradients(x, labels, dense, withGradients: true);

    private (double[,] PreActivation, double[,] HiddenOut, double[,] Logits, double[,] Output) Forward(double[,] x)
    {
        int n = x.GetLength(0);
        if (x.GetLength(1) != Inputs) throw new ArgumentException("x has the wrong number of features.");
        double[] w1 = Parameters[0], b1 = Parameters[1], w2 = Parameters[2], b2 = Parameters[3];
        var a1 = new double[n, Hidden];
        var h = new double[n, Hidden];
        var z = new double[n, Outputs];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < Hidden; j++)
            {
                double s = b1[j];
                for (int i = 0; i < Inputs; i++) s += x[r, i] * w1[i * Hidden + j];
                a1[r, j] = s;
                h[r, j] = Math.Max(s, 0);
            }
            for (int k = 0; k < Outputs; k++)
            {
                double s = b2[k];
                for (int j = 0; j < Hidden; j++) s += h[r, j] * w2[j * Outputs + k];
                z[r, k] = s;
            }
        }
        var output = z;
        if (Head == ReferenceHead.SoftmaxCategoricalCrossEntropy)
        {
            output = new double[n, Outputs];
            for (int r = 0; r < n; r++)
            {
                var p = Softmax(Row(z, r));
                for (int k = 0; k < Outputs; k++) output[r, k] = p[k];
            }
        }
        return (a1, h, z, output);
    }

    private (double Loss, double[][] Gradients) LossAndGradients(double[,] x, int[]? labels, double[,]? dense, bool withGradients)
    {
        var (a1, h, z, output) = Forward(x);
        int n = x.GetLength(0);
        var dz = new double[n, Outputs]; // d(mean loss)/d(logits)
        double total = 0;
        for (int r = 0; r < n; r++)
        {
            var zr = Row(z, r);
            switch (Head)
            {
                case ReferenceHead.SparseCrossEntropyFromLogits:
                {
                    // loss = logsumexp(z) − z[label]; dloss/dz = softmax(z) − onehot(label).
                    int label = labels![r];
                    double max = zr.Max();
                    double lse = max + Math.Log(zr.Sum(v => Math.Exp(v - max)));
                    total += lse - zr[label];
                    var p = Softmax(zr);
                    for (int k = 0; k < Outputs; k++) dz[r, k] = (p[k] - (k == label ? 1 : 0)) / n;
                    break;
                }
                case ReferenceHead.SoftmaxCategoricalCrossEntropy:
                {
                    // Keras (from_logits=False): q = p / Σp, clipped to [ε, 1−ε]; loss = −Σ t·log q.
                    var p = Row(output, r);
                    double sum = p.Sum();
                    var u = new double[Outputs]; // dloss/dq (zero where the clip is active)
                    for (int k = 0; k < Outputs; k++)
                    {
                        double q = p[k] / sum, t = dense![r, k];
                        double clipped = Math.Clamp(q, Epsilon, 1 - Epsilon);
                        total -= t * Math.Log(clipped);
                        u[k] = q > Epsilon && q < 1 - Epsilon ? -t / q : 0;
                    }
                    // Through the renormalisation: dloss/dp_k = (u_k − Σ_j u_j q_j) / Σp.
                    double uq = 0;
                    for (int k = 0; k < Outputs; k++) uq += u[k] * p[k] / sum;
                    var dp = new double[Outputs];
                    for (int k = 0; k < Outputs; k++) dp[k] = (u[k] - uq) / sum;
                    // Through the softmax: dz = p·(dp − Σ dp·p).
                    double dot = 0;
                    for (int k = 0; k < Outputs; k++) dot += dp[k] * p[k];
                    for (int k = 0; k < Outputs; k++) dz[r, k] = p[k] * (dp[k] - dot) / n;
                    break;
                }
                case ReferenceHead.LinearMeanSquaredError:
                {
                    double s = 0;
                    for (int k = 0; k < Outputs; k++)
                    {
                        double d = zr[k] - dense![r, k];
                        s += d * d;
                        dz[r, k] = 2 * d / Outputs / n;
                    }
                    total += s / Outputs;
                    break;
                }
            }
        }
        double loss = total / n;
        if (!withGradients) return (loss, []);

        double[] w2 = Parameters[2];
        var dw1 = new double[Inputs * Hidden];
        var db1 = new double[Hidden];
        var dw2 = new double[Hidden * Outputs];
        var db2 = new double[Outputs];
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < Outputs; k++)
            {
                db2[k] += dz[r, k];
                for (int j = 0; j < Hidden; j++) dw2[j * Outputs + k] += h[r, j] * dz[r, k];
            }
            for (int j = 0; j < Hidden; j++)
            {
                if (a1[r, j] <= 0) continue; // relu'(a) = 1 for a > 0, else 0 (as Keras/TensorFlow)
                double dh = 0;
                for (int k = 0; k < Outputs; k++) dh += dz[r, k] * w2[j * Outputs + k];
                db1[j] += dh;
                for (int i = 0; i < Inputs; i++) dw1[i * Hidden + j] += x[r, i] * dh;
            }
        }
        return (loss, [dw1, db1, dw2, db2]);
    }

    private static double[] Row(double[,] a, int r)
    {
        var row = new double[a.GetLength(1)];
        for (int k = 0; k < row.Length; k++) row[k] = a[r, k];
        return row;
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }
}

/// <summary>A float64 optimizer with Keras 3's update rule (keras/src/optimizers/*.py, <c>update_step</c>).</summary>
internal abstract class ReferenceOptimizer
{
    private double[][]? _slots0, _slots1, _slots2;

    /// <summary>Number of updates applied so far; the step passed to the rule is Iterations + 1.</summary>
    public long Iterations { get; private set; }

    /// <summary>Updates every parameter in place from its gradient.</summary>
    public void Apply(double[][] parameters, double[][] gradients)
    {
        _slots0 ??= [.. parameters.Select(p => new double[p.Length])];
        _slots1 ??= [.. parameters.Select(p => new double[p.Length])];
        _slots2 ??= [.. parameters.Select(p => new double[p.Length])];
        long step = Iterations + 1;
        for (int v = 0; v < parameters.Length; v++)
            for (int i = 0; i < parameters[v].Length; i++)
                parameters[v][i] = Update(parameters[v][i], gradients[v][i], ref _slots0[v][i], ref _slots1[v][i], ref _slots2[v][i], step);
        Iterations = step;
    }

    /// <summary>One element's update; the three slots start at zero.</summary>
    protected abstract double Update(double w, double g, ref double s0, ref double s1, ref double s2, long step);
}

/// <summary>Keras' SGD: <c>m = μ·m − lr·g; w += m</c>; Nesterov <c>w += μ·m − lr·g</c>; plain <c>w −= lr·g</c>.</summary>
internal sealed class ReferenceSgd(double learningRate = 0.01, double momentum = 0, bool nesterov = false) : ReferenceOptimizer
{
    protected override double Update(double w, double g, ref double m, ref double s1, ref double s2, long step)
    {
        if (momentum == 0) return w - learningRate * g;
        m = momentum * m - learningRate * g;
        return nesterov ? w + (momentum * m - learningRate * g) : w + m;
    }
}

/// <summary>
/// Keras' RMSprop: <c>v = ρ·v + (1−ρ)·g²</c>; centred: <c>a = ρ·a + (1−ρ)·g</c>, denominator <c>v − a² + ε</c>, else
/// <c>v + ε</c> (ε inside the square root); <c>inc = lr·g/sqrt(denominator)</c>; momentum: <c>m = μ·m + inc; w −= m</c>,
/// else <c>w −= inc</c>.
/// </summary>
internal sealed class ReferenceRmsprop(double learningRate = 1e-3, double rho = 0.9, double momentum = 0,
    double epsilon = 1e-7, bool centered = false) : ReferenceOptimizer
{
    protected override double Update(double w, double g, ref double v, ref double m, ref double a, long step)
    {
        v = rho * v + (1 - rho) * g * g;
        double denominator;
        if (centered)
        {
            a = rho * a + (1 - rho) * g;
            denominator = v - a * a + epsilon;
        }
        else denominator = v + epsilon;
        double increment = learningRate * g / Math.Sqrt(denominator);
        if (momentum > 0)
        {
            m = momentum * m + increment;
            return w - m;
        }
        return w - increment;
    }
}

/// <summary>
/// Keras' Adam ("epsilon-hat" form): <c>α = lr·sqrt(1−β2^t)/(1−β1^t)</c>, <c>m += (g − m)(1−β1)</c>,
/// <c>v += (g² − v)(1−β2)</c>, AMSGrad <c>v̂ = max(v̂, v)</c> used in place of v, <c>w −= α·m/(sqrt(v) + ε)</c>.
/// </summary>
internal sealed class ReferenceAdam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double epsilon = 1e-7, bool amsgrad = false) : ReferenceOptimizer
{
    protected override double Update(double w, double g, ref double m, ref double v, ref double vHat, long step)
    {
        double alpha = learningRate * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step));
        m += (g - m) * (1 - beta1);
        v += (g * g - v) * (1 - beta2);
        double denominatorV = v;
        if (amsgrad)
        {
            vHat = Math.Max(vHat, v);
            denominatorV = vHat;
        }
        return w - alpha * m / (Math.Sqrt(denominatorV) + epsilon);
    }
}
