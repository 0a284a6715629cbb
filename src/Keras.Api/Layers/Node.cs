namespace KerasGpu.Layers;

/// <summary>One call of a layer on symbolic inputs: an edge set of the functional graph.</summary>
internal sealed class Node
{
    internal Node(Layer layer, KerasTensor[] inputs, Func<Node, KerasTensor[]> makeOutputs)
    {
        Layer = layer;
        Inputs = inputs;
        Index = layer.InboundNodes.Count;
        layer.InboundNodes.Add(this);
        Outputs = makeOutputs(this);
    }

    /// <summary>The layer that was called.</summary>
    public Layer Layer { get; }

    /// <summary>The symbolic inputs (none for an InputLayer).</summary>
    public KerasTensor[] Inputs { get; }

    /// <summary>The symbolic outputs.</summary>
    public KerasTensor[] Outputs { get; }

    /// <summary>This node's position in <see cref="Layer.InboundNodes"/> (Keras' node index).</summary>
    public int Index { get; }
}
