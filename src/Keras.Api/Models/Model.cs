using KerasGpu.Layers;

namespace KerasGpu;

/// <summary>
/// A model (Keras' <c>keras.Model</c>): layers grouped with a training life-cycle, Compile → Fit → Evaluate → Predict.
/// Three ways to define one, as in Keras:
/// <list type="bullet">
/// <item><c>new Model(inputs, outputs)</c>: a functional model over the graph of layer calls that leads from the symbolic
/// inputs to the outputs (chains, shared layers, merges, several inputs and outputs, nested models).</item>
/// <item><see cref="Sequential"/>: a stack of single-input layers.</item>
/// <item>A subclass: derive from <c>Model</c>, create the layers in the constructor and register each with
/// <see cref="Track{T}"/> (Keras tracks attributes automatically; C# asks for this one call, which also fixes the
/// order of <see cref="Layers"/> and of the weights), and override <c>Call(Tensor inputs, bool training)</c> to compute
/// the output with <c>layer.Apply(tensor, training)</c> and <c>Ops</c>. The model builds on first use by running Call
/// once on a one-sample batch of zeros, which creates the layers' weights.</item>
/// </list>
/// A model is itself a layer: call it on a symbolic tensor (<c>inner.Apply(x)</c>) inside another functional model, or
/// add it to a Sequential; its weights then train with the outer model.
/// </summary>
public partial class Model : Layer
{
    private readonly KerasTensor[] _inputs = [];
    private readonly KerasTensor[] _outputs = [];
    private readonly Node[] _nodes = [];
    private readonly Layer[] _graphLayers = [];
    private readonly List<Layer> _tracked = [];
    private int?[][]? _subclassInputShapes, _subclassOutputShapes;

    /// <summary>A functional model with one input and one output.</summary>
    public Model(KerasTensor inputs, KerasTensor outputs, string? name = null) : this([inputs], [outputs], name) { }

    /// <summary>A functional model with several inputs and/or outputs.</summary>
    /// <exception cref="ArgumentException">An output does not depend only on the given inputs ("Graph disconnected"),
    /// or two layers share a name.</exception>
    public Model(KerasTensor[] inputs, KerasTensor[] outputs, string? name = null) : base(name ?? AutoName("functional"))
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Length == 0 || outputs.Length == 0) throw new ArgumentException("A functional model needs at least one input and one output.");
        foreach (var i in inputs)
            if (i.Node.Layer is not InputLayer)
                throw new ArgumentException($"Model inputs must come from Keras.Input(); received {i}, produced by layer \"{i.Node.Layer.Name}\".");
        _inputs = inputs;
        _outputs = outputs;
        _nodes = TopologicalNodes(inputs, outputs);
        (_graphLayers, _nodesByDepth) = MapGraph(inputs, outputs);
        var duplicate = _graphLayers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The name \"{duplicate.Key}\" is used {duplicate.Count()} times in the model. All operation names should be unique.");
        Built = true;
    }

    /// <summary>For subclassed models (and <see cref="Sequential"/>): layers are registered with <see cref="Track{T}"/>
    /// and the computation is the overridden <c>Call</c>.</summary>
    /// <param name="name">Model name; by default the class name in snake_case, numbered like layers.</param>
    protected Model(string? name = null) : base(name) { }

    /// <summary>
    /// Registers a layer of a subclassed model (call it in the constructor: <c>_dense = Track(new Dense(64))</c>) so its
    /// weights are trained, counted, saved and shown by Summary(), in registration order. Returns the layer.
    /// </summary>
    /// <exception cref="ArgumentException">The layer is already tracked.</exception>
    protected T Track<T>(T layer) where T : Layer
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (_tracked.Contains(layer)) throw new ArgumentException($"Layer \"{layer.Name}\" is already tracked by model \"{Name}\".", nameof(layer));
        _tracked.Add(layer);
        return layer;
    }

    private bool IsFunctional => _inputs.Length > 0;

    /// <summary>Whether this is a functional model (built from inputs and outputs).</summary>
    internal bool IsFunctionalModel => IsFunctional;

    /// <summary>The functional graph's nodes in execution order, and its inputs and outputs (cloning replays them).</summary>
    internal IReadOnlyList<Node> GraphNodes => _nodes;

    /// <inheritdoc cref="GraphNodes"/>
    internal IReadOnlyList<KerasTensor> GraphInputs => _inputs;

    /// <inheritdoc cref="GraphNodes"/>
    internal IReadOnlyList<KerasTensor> GraphOutputs => _outputs;

    /// <inheritdoc />
    public override string ClassName => IsFunctional ? "Functional" : GetType().Name;

    /// <inheritdoc />
    protected override string DefaultNamePrefix => GetType() == typeof(Model) ? "model" : base.DefaultNamePrefix;

    /// <summary>
    /// The layers: for a functional model the graph's layers (InputLayers included) in Keras' order, from the inputs'
    /// depth to the outputs' and, within a depth, in the order a walk back from the outputs meets them; for a
    /// subclassed model the tracked layers.
    /// </summary>
    public virtual IReadOnlyList<Layer> Layers => IsFunctional ? _graphLayers : _tracked;

    /// <summary>Symbolic shapes of the inputs (batch first), or null while unknown.</summary>
    internal virtual int?[][]? InputShapes => IsFunctional ? [.. _inputs.Select(t => t.Dims)] : _subclassInputShapes;

    /// <summary>Symbolic shapes of the outputs (batch first), or null while unknown.</summary>
    internal virtual int?[][]? OutputShapes => IsFunctional ? [.. _outputs.Select(t => t.Dims)] : _subclassOutputShapes;

    /// <summary>Names of the output layers (Keras' <c>output_names</c>: per-output loss and metric names).</summary>
    internal virtual IReadOnlyList<string> OutputNames => IsFunctional ? [.. _outputs.Select(t => t.Node.Layer.Name)] : [Name];

    /// <summary>
    /// Keras' <c>model.losses</c>, computed from the current weights: the penalties of the model's own trainable
    /// weights, then each layer's losses (its trainable weights' penalties and its activity penalty).
    /// </summary>
    public override IReadOnlyList<Tensor> Losses
    {
        get
        {
            // Loops rather than one query: training asks every step, and most models have no penalty at all.
            List<Tensor>? losses = null;
            if (Trainable)
                foreach (var w in OwnWeights)
                    if (w.Trainable && w.Regularizer is not null) (losses ??= []).Add(w.Regularizer.Call(w.Value));
            foreach (var layer in Layers)
            {
                var own = layer.Losses;
                if (own.Count > 0) (losses ??= []).AddRange(own);
            }
            return losses is null ? [] : losses;
        }
    }

    /// <summary>Freezing or unfreezing a model does the same to all its layers (Keras' <c>trainable</c> setter).</summary>
    public override bool Trainable
    {
        get => base.Trainable;
        set
        {
            base.Trainable = value;
            foreach (var layer in Layers) layer.Trainable = value;
        }
    }

    /// <summary>The layer called <paramref name="name"/> (Keras' <c>get_layer(name=...)</c>).</summary>
    /// <exception cref="ArgumentException">No such layer; the message lists the model's layers.</exception>
    public Layer GetLayer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Layers.FirstOrDefault(l => l.Name == name)
            ?? throw new ArgumentException($"No such layer: {name}. Existing layers are: [{string.Join(", ", Layers.Select(l => $"'{l.Name}'"))}].", nameof(name));
    }

    /// <summary>The layer at <paramref name="index"/> in <see cref="Layers"/> (Keras' <c>get_layer(index=...)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The model has fewer layers.</exception>
    public Layer GetLayer(int index)
    {
        var layers = Layers;
        if (index < 0 || index >= layers.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Was asked to retrieve layer at index {index} but model only has {layers.Count} layers.");
        return layers[index];
    }

    /// <summary>
    /// All weights in Keras' order: the model's own, then each layer's (its trainable, then its non-trainable weights) in
    /// <see cref="Layers"/> order, each variable once. GetWeights/SetWeights use this order.
    /// </summary>
    public override IReadOnlyList<Variable> Weights =>
        [.. OwnWeights.Where(w => w.Trainable).Concat(OwnWeights.Where(w => !w.Trainable)).Concat(Layers.SelectMany(l => l.Weights)).Distinct()];

    /// <inheritdoc />
    public override IReadOnlyList<Variable> TrainableWeights
    {
        get
        {
            if (!Trainable) return [];
            var trainable = new HashSet<Variable>(base.TrainableWeights.Concat(Layers.SelectMany(l => l.TrainableWeights)), ReferenceEqualityComparer.Instance);
            return [.. Weights.Where(trainable.Contains)];
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<Variable> NonTrainableWeights
    {
        get
        {
            var trainable = new HashSet<Variable>(TrainableWeights, ReferenceEqualityComparer.Instance);
            return [.. Weights.Where(w => !trainable.Contains(w))];
        }
    }

    /// <summary>Runs the model on device tensors, one per input, and returns one tensor per output.</summary>
    internal virtual IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (!IsFunctional)
        {
            if (inputs.Count != 1) throw new ArgumentException($"Model \"{Name}\" takes 1 input; received {inputs.Count}.");
            return [Call(inputs[0], training)];
        }
        var values = new Dictionary<KerasTensor, Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _inputs.Length; i++) values[_inputs[i]] = inputs[i];
        foreach (var node in _nodes)
        {
            if (node.Layer is InputLayer) continue;
            var args = node.Inputs.Select(t => values[t]).ToArray();
            values[node.Outputs[0]] = node.Layer.CallMany(args, training);
        }
        return [.. _outputs.Select(t => values[t])];
    }

    /// <summary>Checks concrete input shapes (batch first) against the model's inputs, before anything runs.</summary>
    internal virtual void CheckInputs(IReadOnlyList<int[]> shapes)
    {
        int expected = IsFunctional ? _inputs.Length : 1;
        if (shapes.Count != expected)
            throw new ArgumentException($"Model \"{Name}\" expects {expected} input(s), but it received {shapes.Count} input tensors.");
        for (int i = 0; i < shapes.Count; i++) CheckInput(shapes[i], i);
    }

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex)
    {
        if (IsFunctional)
        {
            if (inputIndex < _inputs.Length) ((InputLayer)_inputs[inputIndex].Node.Layer).CheckInput(shape, inputIndex);
        }
        else if (_subclassInputShapes is [var built])
        {
            bool ok = built.Length == shape.Length && built.Zip(shape).Skip(1).All(p => p.First is null || p.Second < 0 || p.First == p.Second);
            if (!ok)
                throw new ArgumentException($"Input {inputIndex} of model \"{Name}\" is incompatible: the model was built for shape={Shapes.Format(built)}, found shape={Shapes.Format(shape)}");
        }
    }

    /// <summary>Builds the model for concrete input shapes if it is not built: a subclassed model runs Call once on a
    /// one-sample batch of zeros, creating its layers' weights (Keras builds it symbolically).</summary>
    internal virtual void EnsureBuilt(IReadOnlyList<int[]> shapes)
    {
        if (IsFunctional || _subclassOutputShapes is not null) return;
        if (shapes.Count != 1) throw new ArgumentException($"Model \"{Name}\" takes 1 input; received {shapes.Count}.");
        int?[] symbolic = [null, .. shapes[0].Skip(1).Select(d => (int?)d)];
        if (!Built) Build(symbolic);
        using (new TensorScope())
        {
            var probe = Ops.Zeros(Keras.Config.CurrentBackend, [1, .. shapes[0].Skip(1)]);
            var output = Call(probe, training: false);
            _subclassOutputShapes = [[null, .. output.Dims.Skip(1).Select(d => (int?)d)]];
        }
        _subclassInputShapes = [symbolic];
        Built = true;
    }

    // ---- as a layer of another model ----------------------------------------------------------------------------

    internal override void BuildMany(IReadOnlyList<int?[]> shapes)
    {
        EnsureBuilt([.. shapes.Select(s => s.Select(d => d ?? 1).ToArray())]);
        Built = true;
    }

    internal override int?[] ComputeOutputShapeMany(IReadOnlyList<int?[]> shapes)
    {
        var outputs = OutputShapes ?? throw new InvalidOperationException($"Model \"{Name}\" is not built; its output shape is unknown.");
        if (outputs.Length != 1)
            throw new NotSupportedException($"Model \"{Name}\" has {outputs.Length} outputs; a model used as a layer must have exactly one output.");
        return [shapes.Count > 0 && shapes[0].Length > 0 ? shapes[0][0] : null, .. outputs[0][1..]];
    }

    internal override Tensor CallMany(IReadOnlyList<Tensor> inputs, bool training)
    {
        CheckInputs([.. inputs.Select(t => t.Dims)]);
        var outputs = Forward(inputs, training);
        return outputs.Count == 1 ? outputs[0]
            : throw new NotSupportedException($"Model \"{Name}\" has {outputs.Count} outputs; a model used as a layer must have exactly one output.");
    }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => ComputeOutputShapeMany([inputShape]);

    /// <summary>
    /// The model's computation. Functional models and Sequential run their layers; a subclassed model must override this
    /// (it is where a subclass says what the model computes).
    /// </summary>
    /// <exception cref="InvalidOperationException">A subclassed model did not override Call.</exception>
    protected internal override Tensor Call(Tensor inputs, bool training)
    {
        if (!IsFunctional)
            throw new InvalidOperationException($"Model \"{Name}\" ({GetType().Name}) must override Call(Tensor inputs, bool training): a subclassed model computes its outputs there.");
        return Forward([inputs], training)[0];
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
        DisposeCompiled();
        base.Dispose();
    }

    /// <summary>Nodes reachable backwards from the outputs, ordered so every node follows its inputs' nodes.</summary>
    private static Node[] TopologicalNodes(KerasTensor[] inputs, KerasTensor[] outputs)
    {
        var order = new List<Node>();
        var state = new Dictionary<Node, bool>(ReferenceEqualityComparer.Instance); // false: visiting, true: done
        var inputNodes = new HashSet<Node>(inputs.Select(t => t.Node), ReferenceEqualityComparer.Instance);
        void Visit(Node node, KerasTensor via)
        {
            if (state.TryGetValue(node, out bool done))
            {
                if (!done) throw new ArgumentException("The layer graph has a cycle.");
                return;
            }
            if (node.Layer is InputLayer && !inputNodes.Contains(node))
                throw new ArgumentException($"Graph disconnected: cannot obtain value for tensor {via} at layer \"{node.Layer.Name}\". It comes from an input that is not among the model's inputs.");
            state[node] = false;
            foreach (var t in node.Inputs) Visit(t.Node, t);
            state[node] = true;
            order.Add(node);
        }
        foreach (var t in inputs) Visit(t.Node, t);
        foreach (var t in outputs) Visit(t.Node, t);
        return [.. order];
    }
}
