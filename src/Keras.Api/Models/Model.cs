using KerasGpu.Layers;

namespace KerasGpu;

/// <summary>
/// A model (Keras' <c>keras.Model</c>): layers grouped with a training life-cycle, Compile → Fit → Evaluate → Predict.
/// <c>new Model(inputs, outputs)</c> builds a functional model over the graph of layer calls that leads from the
/// symbolic inputs to the outputs (chains, shared layers, several inputs and outputs). A model is itself a layer.
/// </summary>
public partial class Model : Layer
{
    private readonly KerasTensor[] _inputs = [];
    private readonly KerasTensor[] _outputs = [];
    private readonly Node[] _nodes = [];

    /// <summary>A functional model with one input and one output.</summary>
    public Model(KerasTensor inputs, KerasTensor outputs, string? name = null) : this([inputs], [outputs], name) { }

    /// <summary>A functional model with several inputs and/or outputs.</summary>
    /// <exception cref="ArgumentException">An output does not depend only on the given inputs ("Graph disconnected").</exception>
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
        Built = true;
    }

    /// <summary>For subclasses that define their own structure (e.g. <see cref="Sequential"/>).</summary>
    protected Model(string? name) : base(name) { }

    /// <inheritdoc />
    public override string ClassName => "Functional";

    /// <inheritdoc />
    protected override string DefaultNamePrefix => "model";

    /// <summary>The layers in call order (for functional models, including InputLayers).</summary>
    public virtual IReadOnlyList<Layer> Layers => [.. _nodes.Select(n => n.Layer).Distinct()];

    /// <summary>Symbolic shapes of the inputs (batch first), or null while unknown.</summary>
    internal virtual int?[][]? InputShapes => [.. _inputs.Select(t => t.Dims)];

    /// <summary>Symbolic shapes of the outputs (batch first), or null while unknown.</summary>
    internal virtual int?[][]? OutputShapes => [.. _outputs.Select(t => t.Dims)];

    /// <summary>Names of the output layers (used to prefix per-output metric names).</summary>
    internal virtual IReadOnlyList<string> OutputNames => [.. _outputs.Select(t => t.Node.Layer.Name)];

    /// <summary>The regularization penalties of every layer (Keras' <c>model.losses</c>), computed from the current weights.</summary>
    public override IReadOnlyList<Tensor> Losses => [.. Layers.SelectMany(l => l.Losses)];

    /// <summary>The layer called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such layer; the message lists the model's layers.</exception>
    public Layer GetLayer(string name) => Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException($"No such layer: {name}. Existing layers are: {string.Join(", ", Layers.Select(l => l.Name))}.");

    /// <inheritdoc />
    public override IReadOnlyList<Variable> TrainableWeights => Trainable ? [.. Layers.SelectMany(l => l.TrainableWeights).Distinct()] : [];

    /// <inheritdoc />
    public override IReadOnlyList<Variable> NonTrainableWeights =>
        [.. Layers.SelectMany(l => Trainable ? l.NonTrainableWeights : l.Weights).Distinct()];

    /// <summary>Runs the model on device tensors, one per input, and returns one tensor per output.</summary>
    internal virtual IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
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
        if (shapes.Count != _inputs.Length)
            throw new ArgumentException($"Model \"{Name}\" expects {_inputs.Length} input(s), but it received {shapes.Count} input tensors.");
        for (int i = 0; i < shapes.Count; i++) ((InputLayer)_inputs[i].Node.Layer).CheckInput(shapes[i], i);
    }

    /// <summary>Builds the model for concrete input shapes if it is not built (Sequential without an Input).</summary>
    internal virtual void EnsureBuilt(IReadOnlyList<int[]> shapes) { }

    /// <inheritdoc />
    public override int?[] ComputeOutputShape(int?[] inputShape) => OutputShapes is { Length: 1 } o ? o[0]
        : throw new InvalidOperationException($"Model \"{Name}\" has {OutputShapes?.Length ?? 0} outputs; its output shape is not a single shape.");

    /// <inheritdoc />
    protected internal override Tensor Call(Tensor inputs, bool training) => Forward([inputs], training)[0];

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

    /// <summary>Whether Summary() may omit the "Connected to" column: a plain chain without shared layers.</summary>
    internal virtual bool IsSequentialLike =>
        _inputs.Length == 1 && _outputs.Length == 1
        && _nodes.All(n => n.Inputs.Length <= 1)
        && _nodes.GroupBy(n => n.Layer).All(g => g.Count() == 1)
        && _nodes.SelectMany(n => n.Inputs).GroupBy(t => t).All(g => g.Count() == 1);

    /// <summary>The rows of Summary(): name, type, output shape, params and connections per layer.</summary>
    internal virtual IEnumerable<Utils.SummaryRow> SummaryRows()
    {
        var nodesInModel = new HashSet<Node>(_nodes, ReferenceEqualityComparer.Instance);
        foreach (var layer in Layers)
        {
            var node = layer.InboundNodes.First(nodesInModel.Contains);
            var connections = layer.InboundNodes.Where(nodesInModel.Contains)
                .SelectMany(n => n.Inputs).Select(t => $"{t.Node.Layer.Name}[{t.Node.Index}][{t.TensorIndex}]").ToList();
            yield return new Utils.SummaryRow(layer.Name, layer.ClassName, Shapes.Format(node.Outputs[0].Dims),
                layer.CountParams(), connections.Count == 0 ? ["-"] : connections);
        }
    }
}
