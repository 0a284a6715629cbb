using KerasGpu.Initializers;

namespace KerasGpu.Layers;

/// <summary>
/// The base of every layer (Keras' <c>keras.layers.Layer</c>): <see cref="Build"/> creates weights from the input
/// shape, <see cref="Call"/> computes with ops, <see cref="ComputeOutputShape"/> tells shapes symbolically and
/// <see cref="GetConfig"/> describes the layer. Layers own their weights' device memory: dispose them to free it.
/// </summary>
public abstract class Layer : IDisposable
{
    private static readonly Dictionary<string, int> s_uids = [];
    private readonly List<Variable> _weights = [];

    /// <summary>Creates a layer named <paramref name="name"/> or, by default, like Keras: <c>dense</c>, <c>dense_1</c>, ...</summary>
    protected Layer(string? name = null, bool trainable = true)
    {
        Name = name ?? AutoName(DefaultNamePrefix);
        Trainable = trainable;
    }

    /// <summary>The layer's name, unique among auto-named layers.</summary>
    public string Name { get; }

    /// <summary>Whether the layer's weights are updated by training (a model passes the setting on to its layers, as
    /// Keras' setter does).</summary>
    public virtual bool Trainable { get; set; }

    /// <summary>True once <see cref="Build"/> has created the weights.</summary>
    public bool Built { get; protected set; }

    /// <summary>The Keras class name shown by Summary(), e.g. <c>"Dense"</c>.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>The auto-name prefix: the class name in snake_case (<c>InputLayer</c> → <c>input_layer</c>).</summary>
    protected virtual string DefaultNamePrefix => ToSnakeCase(GetType().Name);

    internal List<Node> InboundNodes { get; } = [];

    /// <summary>All weights, trainable first, in creation order.</summary>
    public virtual IReadOnlyList<Variable> Weights => [.. TrainableWeights, .. NonTrainableWeights];

    /// <summary>Weights updated by the optimizer (empty when <see cref="Trainable"/> is false).</summary>
    public virtual IReadOnlyList<Variable> TrainableWeights => Trainable ? [.. _weights.Where(w => w.Trainable)] : [];

    /// <summary>Weights not updated by the optimizer.</summary>
    public virtual IReadOnlyList<Variable> NonTrainableWeights => Trainable ? [.. _weights.Where(w => !w.Trainable)] : [.. _weights];

    /// <summary>The weights this layer created itself with AddWeight (not those of sublayers), in creation order.</summary>
    private protected IReadOnlyList<Variable> OwnWeights => _weights;

    /// <summary>The input shapes (batch first, batch unknown) of the layer's latest call, symbolic or eager; null before any.</summary>
    internal IReadOnlyList<int?[]>? LastInputShapes { get; private set; }

    /// <summary>Creates the layer's weights for inputs of <paramref name="inputShape"/> (batch dimension first, may be null).</summary>
    public virtual void Build(int?[] inputShape) => Built = true;

    /// <summary>The output shape for inputs of <paramref name="inputShape"/>.</summary>
    public abstract int?[] ComputeOutputShape(int?[] inputShape);

    /// <summary>The layer's computation on a device tensor. Called by <see cref="Apply(Tensor, bool)"/> after building.</summary>
    protected internal abstract Tensor Call(Tensor inputs, bool training);

    /// <summary>Checks a concrete input shape against what the built layer accepts (Keras' input spec).</summary>
    protected internal virtual void CheckInput(int[] shape, int inputIndex) { }

    /// <summary>Keras' <c>get_config()</c>: the constructor arguments that recreate this layer.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["name"] = Name, ["trainable"] = Trainable };

    // ---- several inputs: merge layers override these; single-input layers accept exactly one ------------------

    internal virtual void BuildMany(IReadOnlyList<int?[]> shapes) => Build(Single(shapes));

    internal virtual int?[] ComputeOutputShapeMany(IReadOnlyList<int?[]> shapes) => ComputeOutputShape(Single(shapes));

    internal virtual Tensor CallMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = Single(inputs);
        CheckInput(x.Dims, 0);
        return Call(x, training);
    }

    private T Single<T>(IReadOnlyList<T> items) => items.Count == 1 ? items[0]
        : throw new ArgumentException($"Layer \"{Name}\" expects 1 input, but it received {items.Count} input tensors.");

    // ---- calling ------------------------------------------------------------------------------------------------

    /// <summary>Calls the layer on a symbolic tensor, building it if needed, and returns the symbolic output.</summary>
    public KerasTensor Apply(KerasTensor inputs) => Apply([inputs]);

    /// <summary>Calls the layer on several symbolic tensors (merge layers).</summary>
    public KerasTensor Apply(params KerasTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var shapes = inputs.Select(t => t.Dims).ToArray();
        if (!Built) BuildMany(shapes);
        LastInputShapes = shapes;
        for (int i = 0; i < inputs.Length; i++) CheckSymbolicInput(inputs[i].Dims, i);
        var outShape = ComputeOutputShapeMany(shapes);
        var node = new Node(this, inputs, n => [new KerasTensor(outShape, DType.Float32, n, 0)]);
        return node.Outputs[0];
    }

    /// <summary>Calls the layer eagerly on a device tensor, building it from the tensor's shape if needed.</summary>
    public Tensor Apply(Tensor inputs, bool training = false) => ApplyMany([inputs], training);

    /// <summary>Calls the layer eagerly on several device tensors (merge layers, multi-input models), building it if needed.</summary>
    public Tensor Apply(Tensor[] inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return ApplyMany(inputs, training);
    }

    internal Tensor ApplyMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (!Built || LastInputShapes is null)
        {
            int?[][] shapes = [.. inputs.Select(t => t.Dims.Select((d, i) => i == 0 ? (int?)null : d).ToArray())];
            if (!Built) BuildMany(shapes);
            LastInputShapes = shapes;
        }
        return CallMany(inputs, training);
    }

    private void CheckSymbolicInput(int?[] shape, int index)
    {
        if (shape.All(d => d is not null)) { CheckInput([.. shape.Select(d => d!.Value)], index); return; }
        // Unknown dimensions are passed as -1; CheckInput implementations treat -1 as "any".
        CheckInput([.. shape.Select(d => d ?? -1)], index);
    }

    /// <summary>Creates a weight on the current backend and fills it with <paramref name="initializer"/>.</summary>
    protected Variable AddWeight(string name, int[] shape, Initializer initializer, bool trainable = true,
        Regularizers.Regularizer? regularizer = null, Constraints.Constraint? constraint = null)
    {
        var tensor = Tensor.Empty(Keras.Config.CurrentBackend, shape, scoped: false);
        initializer.Fill(tensor);
        var variable = new Variable(name, tensor, trainable) { Regularizer = regularizer, Constraint = constraint };
        _weights.Add(variable);
        return variable;
    }

    /// <summary>
    /// The regularization penalties of this layer's weights (Keras' <c>layer.losses</c>), computed now from the current
    /// values; training adds their sum to the loss. Models collect those of all their layers.
    /// </summary>
    public virtual IReadOnlyList<Tensor> Losses =>
        _weights.Exists(static w => w.Regularizer is not null) // checked first: training asks every step
            ? [.. TrainableWeights.Where(w => w.Regularizer is not null).Select(w => w.Regularizer!.Call(w.Value))]
            : [];

    /// <summary>Number of scalars in the layer's weights.</summary>
    public virtual long CountParams() => Weights.Sum(w => w.Value.Size);

    /// <summary>Downloads the weights as host arrays, in <see cref="Weights"/> order.</summary>
    public IReadOnlyList<NDArray> GetWeights() => [.. Weights.Select(w => w.Numpy())];

    /// <summary>Sets the weights from host arrays in <see cref="Weights"/> order; nothing changes unless all match.</summary>
    /// <exception cref="ArgumentException">The count or a shape differs (all mismatches are listed).</exception>
    public void SetWeights(IReadOnlyList<NDArray> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var mine = Weights;
        if (weights.Count != mine.Count)
            throw new ArgumentException($"Layer \"{Name}\" expects {mine.Count} weights, but received {weights.Count}.");
        var mismatches = mine.Zip(weights).Where(p => !Shapes.Equal(p.First.Value.Dims, p.Second.Shape))
            .Select(p => $"{p.First.Name}: expected {Shapes.Format(p.First.Value.Dims)}, received {Shapes.Format(p.Second.Shape)}").ToList();
        if (mismatches.Count > 0)
            throw new ArgumentException($"Layer \"{Name}\" weight shape mismatch: {string.Join("; ", mismatches)}.");
        foreach (var (variable, value) in mine.Zip(weights)) variable.Assign(value);
    }

    /// <summary>Frees the weights' device memory.</summary>
    public virtual void Dispose()
    {
        foreach (var w in _weights) w.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"<{ClassName} name={Name}, built={Built}>";

    internal static string AutoName(string prefix)
    {
        lock (s_uids)
        {
            int uid = s_uids.TryGetValue(prefix, out int n) ? n + 1 : 1;
            s_uids[prefix] = uid;
            return uid == 1 ? prefix : $"{prefix}_{uid - 1}";
        }
    }

    private static string ToSnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
