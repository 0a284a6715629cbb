using KerasGpu.Backend;

namespace KerasGpu.Metrics;

/// <summary>
/// One piece of a metric's state (Keras' <c>Metric.add_variable</c> with a zeros initializer): a float32 device tensor
/// created on the backend of the first update. Updates add to it on the device; only <see cref="Read"/> waits for it.
/// </summary>
internal sealed class MetricVariable(string name, int[] shape) : IDisposable
{
    private Tensor? _value;

    /// <summary>Keras' variable name, e.g. <c>"true_positives"</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The variable's shape.</summary>
    public int[] Shape { get; } = shape;

    /// <summary>Number of elements.</summary>
    public long Size => Shapes.Size(Shape);

    /// <summary>The device tensor on <paramref name="backend"/>, zero-filled when first created; moved (values kept)
    /// if the metric is updated on another backend.</summary>
    public Tensor On(IBackend backend)
    {
        if (_value is not null && ReferenceEquals(_value.Backend, backend)) return _value;
        var values = _value is null ? null : ReadFloats();
        _value?.Dispose();
        _value = Tensor.Empty(backend, Shape, scoped: false);
        if (values is null) backend.Fill(_value.Buffer, 0f);
        else backend.Upload<float>(values, _value.Buffer);
        return _value;
    }

    /// <summary><c>variable += delta</c> on the device; <paramref name="delta"/> has the variable's number of elements.</summary>
    public void AssignAdd(Tensor delta)
    {
        if (delta.Size != Size || delta.DType != DType.Float32)
            throw new ArgumentException($"Metric variable \"{Name}\" of shape {Shapes.Format(Shape)} cannot accumulate a {delta.DType.KerasName()} tensor of shape {Shapes.Format(delta.Shape)}.");
        var v = On(delta.Backend);
        v.Backend.ScaleAdd(delta.Buffer, 1f, v.Buffer, 1f, v.Buffer, Size);
    }

    /// <summary><c>variable += value</c> for a host constant, on the device.</summary>
    public void AssignAdd(IBackend backend, double value)
    {
        var v = On(backend);
        backend.ScaleAdd(v.Buffer, 1f, null, (float)value, v.Buffer, Size);
    }

    /// <summary>Downloads the values (zeros before the first update); waits for the device.</summary>
    public double[] Read()
    {
        if (_value is null) return new double[Size];
        return Array.ConvertAll(ReadFloats(), f => (double)f);
    }

    private float[] ReadFloats()
    {
        var values = new float[Size];
        _value!.Backend.Download<float>(_value.Buffer, values);
        return values;
    }

    /// <summary>Sets every element back to zero.</summary>
    public void Reset()
    {
        if (_value is not null) _value.Backend.Fill(_value.Buffer, 0f);
    }

    /// <summary>Frees the device tensor.</summary>
    public void Dispose()
    {
        _value?.Dispose();
        _value = null;
    }
}
