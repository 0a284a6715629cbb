namespace KerasGpu;

/// <summary>
/// Owns every tensor created while it is the innermost scope on this thread and disposes them when it ends, so a
/// training step releases all its intermediates (their buffers go back to the backend's pool). Keep a result beyond
/// the scope with <see cref="Keep"/>.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;
    private readonly TensorScope? _parent;
    private readonly List<Tensor> _owned = [];
    private bool _disposed;

    /// <summary>Opens a scope nested in the current one.</summary>
    public TensorScope()
    {
        _parent = t_current;
        t_current = this;
    }

    internal static void Register(Tensor tensor) => t_current?._owned.Add(tensor);

    /// <summary>Moves <paramref name="tensor"/> out of this scope to the enclosing one (or to no scope).</summary>
    public Tensor Keep(Tensor tensor)
    {
        int i = _owned.LastIndexOf(tensor);
        if (i >= 0) _owned.RemoveAt(i);
        _parent?._owned.Add(tensor);
        return tensor;
    }

    /// <summary>Disposes every tensor the scope still owns and restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (t_current == this) t_current = _parent;
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
    }
}
