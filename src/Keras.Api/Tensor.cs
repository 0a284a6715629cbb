using KerasGpu.Autodiff;
using KerasGpu.Backend;
using KerasGpu.Tracing;

namespace KerasGpu;

/// <summary>
/// A device tensor: a shape, a dtype and a buffer owned by a backend. Its data stays on the device until
/// <see cref="ToNDArray"/> downloads it. Tensors created inside a <see cref="TensorScope"/> are disposed with it.
/// </summary>
public sealed class Tensor : IDisposable
{
    private readonly int[] _shape;
    // Set while a recorded step (Tracing/) keeps this tensor's buffer for its replays: Dispose waits for the trace.
    private LaunchTrace? _pinnedBy;

    internal Tensor(IDeviceBuffer buffer, int[] shape, bool scoped = true)
    {
        Buffer = buffer;
        _shape = shape;
        if (!scoped) return;
        TensorScope.Register(this);
        _pinnedBy = LaunchRecorder.Adopt(this);
    }

    /// <summary>Allocates an uninitialised tensor (kernels write every element).</summary>
    internal static Tensor Empty(IBackend backend, int[] shape, DType dtype = DType.Float32, bool scoped = true) =>
        new(backend.Allocate(dtype, Shapes.Size(shape)), shape, scoped);

    /// <summary>Uploads a host array (converted to float32, or int32 when <paramref name="dtype"/> says so).</summary>
    public static Tensor FromNDArray(NDArray array, IBackend? backend = null, DType dtype = DType.Float32) =>
        FromNDArray(array, backend ?? Keras.Config.CurrentBackend, dtype, scoped: true);

    internal static Tensor FromNDArray(NDArray array, IBackend backend, DType dtype, bool scoped)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (dtype is not (DType.Float32 or DType.Int32))
            throw new ArgumentException($"Device tensors hold float32 or int32; requested {dtype.KerasName()}.", nameof(dtype));
        var t = Empty(backend, array.Shape, dtype, scoped);
        if (dtype == DType.Int32) backend.Upload<int>(array.DType == DType.Int32 ? array.AsSpan<int>() : array.AsType<int>().AsSpan<int>(), t.Buffer);
        else backend.Upload<float>(array.DType == DType.Float32 ? array.AsSpan<float>() : array.AsType<float>().AsSpan<float>(), t.Buffer);
        return t;
    }

    /// <summary>The backend buffer holding the elements, row-major.</summary>
    internal IDeviceBuffer Buffer { get; }

    /// <summary>The owning backend (seen through the recorder while a step is being recorded).</summary>
    public IBackend Backend => LaunchRecorder.Redirect(Buffer.Backend);

    /// <summary>The shape (a copy).</summary>
    public int[] Shape => (int[])_shape.Clone();

    internal int[] Dims => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public long Size => Buffer.Length;

    /// <summary>Element type.</summary>
    public DType DType => Buffer.DType;

    /// <summary>True once the buffer has been released.</summary>
    public bool IsDisposed => Buffer.IsDisposed;

    /// <summary>Waits for the device and copies the elements into a host array.</summary>
    public NDArray ToNDArray()
    {
        if (DType == DType.Int32)
        {
            var ints = new int[Size];
            Backend.Download<int>(Buffer, ints);
            return NDArray.FromArray(ints, Shape);
        }
        var floats = new float[Size];
        Backend.Download<float>(Buffer, floats);
        return NDArray.FromArray(floats, Shape);
    }

    /// <summary>Reads a one-element float tensor (waits for the device).</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item() needs a tensor of one element, received shape {Shapes.Format(_shape)}.");
        Span<float> one = stackalloc float[1];
        Backend.Download(Buffer, one);
        return one[0];
    }

    /// <summary>Releases the device buffer. Idempotent. A tensor kept by a recorded step is released with it.</summary>
    public void Dispose()
    {
        if (_pinnedBy is not null) return;
        // A temporary of a step being recorded: its buffer must outlive the step, for the replays.
        _pinnedBy = LaunchRecorder.AdoptDisposed(this);
        if (_pinnedBy is null) Buffer.Dispose();
    }

    internal void Unpin() => _pinnedBy = null;

    /// <inheritdoc />
    public override string ToString() => $"Tensor(shape={Shapes.Format(_shape)}, dtype={DType.KerasName()}, backend={Backend.Name})";

    /// <summary>Elementwise sum with broadcasting (see <see cref="Ops.Add(Tensor, Tensor)"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);

    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Subtract(a, b);

    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Multiply(a, b);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Divide(a, b);

    /// <summary>Elementwise negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Negative(a);

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, float s) => Ops.Scale(a, s);
}
