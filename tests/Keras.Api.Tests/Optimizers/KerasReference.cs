namespace KerasGpu.Tests.Optimizers;

/// <summary>
/// Keras 3's optimizer in float64 (keras/src/optimizers/base_optimizer.py and each optimizer's <c>update_step</c>),
/// re-implemented here from the Python source as the reference for the C# optimizers. One <see cref="Apply"/> follows
/// Keras' order: clip, weight decay (<c>w −= w·wd·lr</c>), update, moving averages (+ overwrite), iterations += 1.
/// </summary>
internal abstract class KerasReference
{
    private readonly List<double[][]> _slots = [];
    private double[][]? _averages;

    /// <summary>Learning rate as a function of the iteration count (Keras' <c>optimizer.learning_rate</c>).</summary>
    public Func<long, double> LearningRate { get; init; } = _ => 0.001;
    public double? WeightDecay { get; init; }
    public double? Clipnorm { get; init; }
    public double? Clipvalue { get; init; }
    public double? GlobalClipnorm { get; init; }
    public bool UseEma { get; init; }
    public double EmaMomentum { get; init; } = 0.99;
    public int? EmaOverwriteFrequency { get; init; }

    public long Iterations { get; private set; }

    /// <summary>The moving averages (null without EMA or before the first step).</summary>
    public double[][]? Averages => _averages;

    /// <summary>Slot <paramref name="index"/> of variable <paramref name="variable"/>.</summary>
    public double[] Slot(int variable, int index) => _slots[variable][index];

    protected abstract int SlotCount { get; }

    protected virtual double SlotInitialValue(int index) => 0;

    /// <summary>Keras' <c>_backend_update_step</c> hook, before the per-variable updates.</summary>
    protected virtual void BeforeUpdates(long step) { }

    /// <summary>One variable's <c>update_step</c>: <paramref name="w"/> and <paramref name="slots"/> in place.</summary>
    protected abstract void Update(double[] w, double[] g, double[][] slots, double lr, long step);

    public void Apply(double[][] weights, double[][] gradients)
    {
        while (_slots.Count < weights.Length)
            _slots.Add([.. Enumerable.Range(0, SlotCount).Select(i => Enumerable.Repeat(SlotInitialValue(i), weights[_slots.Count].Length).ToArray())]);
        double lr = LearningRate(Iterations);
        long step = Iterations + 1;
        var grads = Clip(gradients);
        if (WeightDecay is double wd)
            foreach (var w in weights)
                for (int i = 0; i < w.Length; i++) w[i] -= w[i] * wd * lr;
        BeforeUpdates(step);
        for (int v = 0; v < weights.Length; v++) Update(weights[v], grads[v], _slots[v], lr, step);
        if (UseEma)
        {
            _averages ??= [.. weights.Select(w => new double[w.Length])];
            double momentum = Iterations != 0 ? EmaMomentum : 0;
            for (int v = 0; v < weights.Length; v++)
                for (int i = 0; i < weights[v].Length; i++)
                    _averages[v][i] = momentum * _averages[v][i] + (1 - momentum) * weights[v][i];
            if (EmaOverwriteFrequency is int f && (Iterations + 1) % f == 0)
                for (int v = 0; v < weights.Length; v++) Array.Copy(_averages[v], weights[v], weights[v].Length);
        }
        Iterations = step;
    }

    private double[][] Clip(double[][] grads)
    {
        if (Clipnorm is double c && c > 0)
            return [.. grads.Select(g =>
            {
                double norm = Math.Sqrt(g.Sum(x => x * x));
                return g.Select(x => x * c / Math.Max(norm, c)).ToArray();
            })];
        if (GlobalClipnorm is double gc && gc > 0)
        {
            double norm = Math.Sqrt(grads.Sum(g => g.Sum(x => x * x)));
            double scale = gc * Math.Min(1 / norm, 1 / gc) + (norm - norm);
            return [.. grads.Select(g => g.Select(x => x * scale).ToArray())];
        }
        if (Clipvalue is double cv && cv > 0)
            return [.. grads.Select(g => g.Select(x => Math.Clamp(x, -cv, cv)).ToArray())];
        return [.. grads.Select(g => (double[])g.Clone())];
    }
}

/// <summary>keras/src/optimizers/sgd.py.</summary>
internal sealed class SgdReference(double momentum = 0, bool nesterov = false) : KerasReference
{
    protected override int SlotCount => 1;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (momentum == 0) { w[i] -= lr * g[i]; continue; }
            s[0][i] = momentum * s[0][i] - lr * g[i];
            w[i] += nesterov ? momentum * s[0][i] - lr * g[i] : s[0][i];
        }
    }
}

/// <summary>keras/src/optimizers/rmsprop.py.</summary>
internal sealed class RmspropReference(double rho = 0.9, double momentum = 0, double epsilon = 1e-7, bool centered = false) : KerasReference
{
    protected override int SlotCount => 3;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        for (int i = 0; i < w.Length; i++)
        {
            s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
            double denominator = s[0][i];
            if (centered)
            {
                s[2][i] = rho * s[2][i] + (1 - rho) * g[i];
                denominator -= s[2][i] * s[2][i];
            }
            double increment = lr * g[i] / Math.Sqrt(denominator + epsilon);
            if (momentum > 0)
            {
                s[1][i] = momentum * s[1][i] + increment;
                w[i] -= s[1][i];
            }
            else w[i] -= increment;
        }
    }
}

/// <summary>keras/src/optimizers/adam.py (AdamW is Adam with the base class's weight decay).</summary>
internal sealed class AdamReference(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, bool amsgrad = false) : KerasReference
{
    protected override int SlotCount => 3;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        double alpha = lr * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step));
        for (int i = 0; i < w.Length; i++)
        {
            s[0][i] += (g[i] - s[0][i]) * (1 - beta1);
            s[1][i] += (g[i] * g[i] - s[1][i]) * (1 - beta2);
            double v = s[1][i];
            if (amsgrad) v = s[2][i] = Math.Max(s[2][i], v);
            w[i] -= alpha * s[0][i] / (Math.Sqrt(v) + epsilon);
        }
    }
}

/// <summary>keras/src/optimizers/adamax.py.</summary>
internal sealed class AdamaxReference(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) : KerasReference
{
    protected override int SlotCount => 2;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        double beta1Power = Math.Pow(beta1, step);
        for (int i = 0; i < w.Length; i++)
        {
            s[0][i] += (g[i] - s[0][i]) * (1 - beta1);
            s[1][i] = Math.Max(beta2 * s[1][i], Math.Abs(g[i]));
            w[i] -= lr * s[0][i] / ((1 - beta1Power) * (s[1][i] + epsilon));
        }
    }
}

/// <summary>keras/src/optimizers/nadam.py, with its optimizer-wide <c>u_product</c>.</summary>
internal sealed class NadamReference(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7) : KerasReference
{
    private double _uProduct = 1;

    protected override int SlotCount => 2;

    private double Mu(long t) => beta1 * (1 - 0.5 * Math.Pow(0.96, t));

    protected override void BeforeUpdates(long step) => _uProduct *= Mu(step);

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        double uT = Mu(step), uNext = Mu(step + 1), uProductNext = _uProduct * uNext, beta2Power = Math.Pow(beta2, step);
        for (int i = 0; i < w.Length; i++)
        {
            s[0][i] += (g[i] - s[0][i]) * (1 - beta1);
            s[1][i] += (g[i] * g[i] - s[1][i]) * (1 - beta2);
            double mHat = uNext * s[0][i] / (1 - uProductNext) + (1 - uT) * g[i] / (1 - _uProduct);
            double vHat = s[1][i] / (1 - beta2Power);
            w[i] -= mHat * lr / (Math.Sqrt(vHat) + epsilon);
        }
    }
}

/// <summary>keras/src/optimizers/adagrad.py.</summary>
internal sealed class AdagradReference(double initialAccumulatorValue = 0.1, double epsilon = 1e-7) : KerasReference
{
    protected override int SlotCount => 1;

    protected override double SlotInitialValue(int index) => initialAccumulatorValue;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        for (int i = 0; i < w.Length; i++)
        {
            s[0][i] += g[i] * g[i];
            w[i] -= lr * g[i] / Math.Sqrt(s[0][i] + epsilon);
        }
    }
}

/// <summary>keras/src/optimizers/adadelta.py.</summary>
internal sealed class AdadeltaReference(double rho = 0.95, double epsilon = 1e-7) : KerasReference
{
    protected override int SlotCount => 2;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        for (int i = 0; i < w.Length; i++)
        {
            s[0][i] = rho * s[0][i] + (1 - rho) * g[i] * g[i];
            double delta = -(Math.Sqrt(s[1][i] + epsilon) * g[i] / Math.Sqrt(s[0][i] + epsilon));
            s[1][i] = rho * s[1][i] + (1 - rho) * delta * delta;
            w[i] += lr * delta;
        }
    }
}

/// <summary>keras/src/optimizers/lion.py.</summary>
internal sealed class LionReference(double beta1 = 0.9, double beta2 = 0.99) : KerasReference
{
    protected override int SlotCount => 1;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= lr * Math.Sign(s[0][i] * beta1 + g[i] * (1 - beta1));
            s[0][i] = s[0][i] * beta2 + g[i] * (1 - beta2);
        }
    }
}

/// <summary>keras/src/optimizers/ftrl.py.</summary>
internal sealed class FtrlReference(double learningRatePower = -0.5, double initialAccumulatorValue = 0.1, double l1 = 0,
    double l2 = 0, double l2Shrinkage = 0, double beta = 0) : KerasReference
{
    protected override int SlotCount => 2;

    protected override double SlotInitialValue(int index) => index == 0 ? initialAccumulatorValue : 0;

    protected override void Update(double[] w, double[] g, double[][] s, double lr, long step)
    {
        double l2Reg = l2 + beta / (2 * lr);
        for (int i = 0; i < w.Length; i++)
        {
            double accum = s[0][i], gradToUse = g[i] + 2 * l2Shrinkage * w[i];
            double newAccum = accum + g[i] * g[i];
            s[1][i] += gradToUse - (Math.Pow(newAccum, -learningRatePower) - Math.Pow(accum, -learningRatePower)) / lr * w[i];
            double quadratic = Math.Pow(newAccum, -learningRatePower) / lr + 2 * l2Reg;
            double clipped = Math.Clamp(s[1][i], -l1, l1);
            w[i] = (clipped - s[1][i]) / quadratic;
            s[0][i] = newAccum;
        }
    }
}
