using KerasGpu.Backend;

namespace KerasGpu;

/// <summary>
/// The keras.ops analogue: each op validates shapes, allocates its output, launches one kernel and records its
/// gradient rule (written right beside it) on the active <see cref="Autodiff.GradientTape"/>.
/// </summary>
public static partial class Ops
{
    /// <summary>A float32 tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Fill(IBackend backend, int[] shape, float value)
    {
        var y = Tensor.Empty(backend, shape);
        backend.Fill(y.Buffer, value);
        return y;
    }

    /// <summary>A float32 tensor of zeros.</summary>
    public static Tensor Zeros(IBackend backend, int[] shape) => Fill(backend, shape, 0f);
}
