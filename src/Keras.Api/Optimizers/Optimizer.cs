namespace KerasGpu.Optimizers;

/// <summary>
/// The base of every optimizer (Keras' <c>keras.optimizers.Optimizer</c>). <see cref="Apply"/> runs one fused update
/// kernel per variable; slot variables (momenta, velocities) are created on first use and live on the device.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<Variable, Tensor?[]> _slots = new(ReferenceEqualityComparer.Instance);
    private float _learningRate;

    /// <summary>Creates an optimizer with a learning rate and a Keras name.</summary>
    protected Optimizer(float learningRate, string name)
    {
        LearningRate = learningRate;
        Name = name;
    }

    /// <summary>Keras' name, e.g. <c>"rmsprop"</c>.</summary>
    public string Name { get; }

    /// <summary>The learning rate (finite, non-negative).</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!float.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "Expected a finite, non-negative learning rate.");
            _learningRate = value;
        }
    }

    /// <summary>Number of updates applied so far (Keras' <c>optimizer.iterations</c>).</summary>
    public long Iterations { get; private set; }

    /// <summary>Whether slot variables exist (the optimizer has been built by a first update).</summary>
    public bool Built => _slots.Count > 0;

    /// <summary>Number of optimizer scalars: slots plus the iteration counter and learning rate, as Keras counts them.</summary>
    public long CountParams() => Built ? _slots.Values.Sum(s => s.Sum(t => t?.Size ?? 0)) + 2 : 0;

    /// <summary>How many slot tensors each variable needs (Keras' <c>build</c>); unused slots are null.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>Whether slot <paramref name="index"/> is used with the current settings.</summary>
    protected virtual bool UsesSlot(int index) => true;

    /// <summary>Runs the update kernel for one variable. <paramref name="step"/> is 1 for the first update.</summary>
    protected abstract void UpdateStep(Variable variable, Tensor gradient, Tensor?[] slots, float learningRate, long step);

    /// <summary>Applies one update to each variable that has a gradient, then counts an iteration.</summary>
    public void Apply(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new ArgumentException($"Received {gradients.Count} gradients for {variables.Count} variables.");
        for (int i = 0; i < variables.Count; i++)
        {
            if (gradients[i] is not { } g) continue;
            if (!Shapes.Equal(g.Dims, variables[i].Value.Dims))
                throw new ArgumentException($"Gradient of shape {Shapes.Format(g.Dims)} does not match variable \"{variables[i].Name}\" of shape {Shapes.Format(variables[i].Value.Dims)}.");
        }
        long step = Iterations + 1;
        for (int i = 0; i < variables.Count; i++)
            if (gradients[i] is { } g) UpdateStep(variables[i], g, SlotsOf(variables[i]), LearningRate, step);
        // Constraints project the updated weights, as Keras' optimizer does after apply.
        foreach (var v in variables)
        {
            if (v.Constraint is not { } constraint) continue;
            using var scope = new TensorScope();
            var projected = constraint.Call(v.Value);
            v.Value.Backend.Copy(projected.Buffer, 0, v.Value.Buffer, 0, v.Value.Size);
        }
        Iterations = step;
    }

    private Tensor?[] SlotsOf(Variable v)
    {
        if (_slots.TryGetValue(v, out var slots)) return slots;
        slots = new Tensor?[SlotCount];
        for (int i = 0; i < slots.Length; i++)
        {
            if (!UsesSlot(i)) continue;
            slots[i] = Tensor.Empty(v.Value.Backend, v.Shape, scoped: false);
            v.Value.Backend.Fill(slots[i]!.Buffer, 0f);
        }
        _slots[v] = slots;
        return slots;
    }

    /// <summary>Frees the slot variables.</summary>
    public void Dispose()
    {
        foreach (var t in _slots.Values.SelectMany(s => s)) t?.Dispose();
        _slots.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>Resolves a Keras optimizer name (<c>"rmsprop"</c>, <c>"adam"</c>, <c>"sgd"</c>) with Keras' defaults.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static Optimizer Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "rmsprop" => new RMSprop(),
            "adam" => new Adam(),
            "sgd" => new SGD(),
            _ => throw new ArgumentException($"Could not interpret optimizer identifier: {name}. Known optimizers: adam, rmsprop, sgd.", nameof(name)),
        };
    }

    /// <summary>Lets a Keras name stand where an optimizer is expected: <c>Compile(optimizer: "adam")</c>.</summary>
    public static implicit operator Optimizer(string name) => Get(name);

    internal static void CheckFactor(float value, string name, float low, float high)
    {
        if (!(value >= low && value <= high))
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in [{low}, {high}].");
    }
}
