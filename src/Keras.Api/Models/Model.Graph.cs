using KerasGpu.Layers;

namespace KerasGpu;

public partial class Model
{
    /// <summary>The graph's nodes grouped by depth (0: the outputs' nodes), deepest first, as Keras' <c>_nodes_by_depth</c>.</summary>
    private readonly List<List<Node>> _nodesByDepth = [];

    /// <summary>
    /// Keras' <c>map_graph</c>: a depth-first walk back from each output numbers the layers in the order it meets them
    /// and lists the nodes inputs-first; a node's depth is 1 + the largest depth of the nodes it feeds (0 for the
    /// outputs), a layer's that of its deepest node. Layers are returned by decreasing depth, then walk order.
    /// </summary>
    private static (Layer[] Layers, List<List<Node>> NodesByDepth) MapGraph(KerasTensor[] inputs, KerasTensor[] outputs)
    {
        var finished = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var nodesInDecreasingDepth = new List<Node>();
        var layerIndex = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        void Walk(KerasTensor tensor)
        {
            var node = tensor.Node;
            if (finished.Contains(node)) return;
            layerIndex.TryAdd(node.Layer, layerIndex.Count);
            foreach (var t in node.Inputs) Walk(t);
            finished.Add(node);
            nodesInDecreasingDepth.Add(node);
        }
        foreach (var o in outputs) Walk(o);

        var nodeDepth = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var layerDepth = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        for (int i = nodesInDecreasingDepth.Count - 1; i >= 0; i--)
        {
            var node = nodesInDecreasingDepth[i];
            int depth = nodeDepth.TryGetValue(node, out int d) ? d : 0;
            depth = Math.Max(depth, layerDepth.TryGetValue(node.Layer, out int previous) ? previous : 0);
            layerDepth[node.Layer] = depth;
            nodeDepth[node] = depth;
            foreach (var parent in node.Inputs.Select(t => t.Node))
                if (finished.Contains(parent))
                    nodeDepth[parent] = Math.Max(depth + 1, nodeDepth.TryGetValue(parent, out int p) ? p : 0);
        }
        // Inputs that no output uses still belong to the model, at depth 0.
        foreach (var input in inputs)
            if (!layerDepth.ContainsKey(input.Node.Layer))
            {
                layerDepth[input.Node.Layer] = 0;
                layerIndex[input.Node.Layer] = -1;
                nodeDepth[input.Node] = 0;
            }

        var layers = layerDepth.GroupBy(p => p.Value).OrderByDescending(g => g.Key)
            .SelectMany(g => g.Select(p => p.Key).OrderBy(l => layerIndex[l])).ToArray();
        var byDepth = nodeDepth.GroupBy(p => p.Value).OrderByDescending(g => g.Key)
            .Select(g => g.Select(p => p.Key).ToList()).ToList();
        return (layers, byDepth);
    }

    /// <summary>
    /// Keras' summary rule: a functional model is drawn without "Connected to" when every depth holds one node with at
    /// most one input tensor and no layer is called twice in it; Sequential and subclassed models always are.
    /// </summary>
    internal virtual bool IsSequentialLike
    {
        get
        {
            if (!IsFunctional) return true;
            if (_nodesByDepth.Any(level => level.Count > 1 || (level.Count == 1 && level[0].Inputs.Length > 1))) return false;
            var nodes = new HashSet<Node>(_nodesByDepth.SelectMany(l => l), ReferenceEqualityComparer.Instance);
            return Layers.All(l => l.InboundNodes.Count(nodes.Contains) <= 1);
        }
    }

    /// <summary>
    /// The rows of Summary(), one per layer: the output shape of the layer's latest call (Keras reads the last inbound
    /// node), the parameter count and, for functional models, the inbound tensors of its calls in this model as
    /// <c>layer[node][tensor]</c>.
    /// </summary>
    internal virtual IEnumerable<Utils.SummaryRow> SummaryRows()
    {
        if (!IsFunctional)
        {
            foreach (var layer in Layers)
            {
                string shape = layer.LastInputShapes is { } s ? TryFormat(() => layer.ComputeOutputShapeMany(s)) : "?";
                yield return new Utils.SummaryRow(layer.Name, layer.ClassName, shape, layer.Built ? layer.CountParams() : null);
            }
            yield break;
        }
        var nodesInModel = new HashSet<Node>(_nodesByDepth.SelectMany(l => l), ReferenceEqualityComparer.Instance);
        foreach (var layer in Layers)
        {
            var last = layer.InboundNodes[^1];
            var connections = layer.InboundNodes.Where(nodesInModel.Contains)
                .SelectMany(n => n.Inputs).Select(t => $"{t.Node.Layer.Name}[{t.Node.Index}][{t.TensorIndex}]").ToList();
            yield return new Utils.SummaryRow(layer.Name, layer.ClassName, Shapes.Format(last.Outputs[0].Dims),
                layer.CountParams(), connections.Count == 0 ? ["-"] : connections);
        }
    }

    private static string TryFormat(Func<int?[]> shape)
    {
        try { return Shapes.Format(shape()); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException) { return "?"; }
    }
}
