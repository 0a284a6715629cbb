namespace KerasGpu.Autodiff;

/// <summary>
/// Reverse-mode automatic differentiation. While a tape is active on this thread, every op whose inputs depend on a
/// watched tensor records one node (its inputs, its output and its gradient rule, which sits beside the op in Ops/).
/// <see cref="Gradient"/> walks the nodes backwards, accumulating gradients.
/// </summary>
public sealed class GradientTape : IDisposable
{
    [ThreadStatic] private static GradientTape? t_current;
    // A training step opens one tape; its collections are handed to the next tape on this thread instead of being
    // allocated (and grown) again every step.
    [ThreadStatic] private static Collections? t_spare;
    private readonly GradientTape? _previous;
    private readonly Collections _collections;
    private readonly List<TapeNode> _nodes;
    private readonly HashSet<Tensor> _tracked;
    private bool _disposed;

    private sealed class Collections
    {
        public readonly List<TapeNode> Nodes = [];
        public readonly HashSet<Tensor> Tracked = new(ReferenceEqualityComparer.Instance);
        public readonly Dictionary<Tensor, Tensor> Gradients = new(ReferenceEqualityComparer.Instance);
    }

    /// <summary>Starts recording on this thread.</summary>
    public GradientTape()
    {
        _collections = t_spare ?? new Collections();
        t_spare = null;
        _nodes = _collections.Nodes;
        _tracked = _collections.Tracked;
        _previous = t_current;
        t_current = this;
    }

    /// <summary>The gradient rule of one op: given the output's gradient and which inputs need one, returns the
    /// inputs' gradients (null where not needed).</summary>
    internal delegate Tensor?[] Backward(Tensor outputGradient, bool[] needsGradient);

    private sealed record TapeNode(Tensor Output, Tensor[] Inputs, bool[] NeedsGradient, Backward Rule);

    /// <summary>Marks a tensor (typically a variable's value) as a source of gradients.</summary>
    public void Watch(Tensor tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _tracked.Add(tensor);
    }

    /// <summary>Records an op if any input is tracked by the active tape.</summary>
    internal static void Record(Tensor output, Tensor[] inputs, Backward rule)
    {
        var tape = t_current;
        if (tape is null) return;
        bool[]? needs = null;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!tape._tracked.Contains(inputs[i])) continue;
            needs ??= new bool[inputs.Length];
            needs[i] = true;
        }
        if (needs is null) return;
        tape._tracked.Add(output);
        tape._nodes.Add(new TapeNode(output, inputs, needs, rule));
    }

    /// <summary>Gradients of the scalar <paramref name="target"/> with respect to each source (null where it does not depend on it).</summary>
    public Tensor?[] Gradient(Tensor target, IReadOnlyList<Tensor> sources)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_disposed, this); // its collections now serve another tape
        var grads = _collections.Gradients;
        grads.Clear();
        var saved = t_current;
        t_current = null; // gradient computation itself is not recorded
        try
        {
            grads[target] = Ops.Fill(target.Backend, target.Shape, 1f);
            for (int n = _nodes.Count - 1; n >= 0; n--)
            {
                var node = _nodes[n];
                if (!grads.TryGetValue(node.Output, out var g)) continue;
                var inputGrads = node.Rule(g, node.NeedsGradient);
                for (int i = 0; i < node.Inputs.Length; i++)
                {
                    var gi = inputGrads[i];
                    if (gi is null || !node.NeedsGradient[i]) continue;
                    var input = node.Inputs[i];
                    grads[input] = grads.TryGetValue(input, out var existing) ? Ops.Add(existing, gi) : gi;
                }
            }
        }
        finally { t_current = saved; }
        var result = new Tensor?[sources.Count];
        for (int i = 0; i < result.Length; i++) result[i] = grads.GetValueOrDefault(sources[i]);
        grads.Clear();
        return result;
    }

    /// <summary>Stops recording and restores the enclosing tape.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (t_current == this) t_current = _previous;
        _nodes.Clear();
        _tracked.Clear();
        _collections.Gradients.Clear();
        t_spare = _collections;
    }
}
