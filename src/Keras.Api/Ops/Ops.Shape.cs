using KerasGpu.Autodiff;
using KerasGpu.Backend;

namespace KerasGpu;

public static partial class Ops
{
    /// <summary>
    /// The same elements in a new shape (row-major order kept); one dimension may be −1 and is then inferred. The data
    /// is copied into a new tensor (tensors own their buffers).
    /// </summary>
    public static Tensor Reshape(Tensor x, int[] shape)
    {
        var target = ResolveReshape(x.Dims, shape);
        var y = Tensor.Empty(x.Backend, target, x.DType);
        x.Backend.Copy(x.Buffer, 0, y.Buffer, 0, x.Size);
        GradientTape.Record(y, [x], (g, _) => [Reshape(g, x.Shape)]);
        return y;
    }

    internal static int[] ResolveReshape(int[] from, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long size = Shapes.Size(from), known = 1;
        int unknown = -1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (unknown >= 0) throw new ArgumentException($"Reshape accepts at most one -1 dimension; received {Shapes.Format(shape)}.");
                unknown = i;
            }
            else if (shape[i] < 0) throw new ArgumentException($"Reshape dimensions must be non-negative or -1; received {Shapes.Format(shape)}.");
            else known *= shape[i];
        }
        var target = (int[])shape.Clone();
        if (unknown >= 0)
        {
            if (known == 0 || size % known != 0)
                throw new ArgumentException($"Cannot reshape a tensor of shape {Shapes.Format(from)} ({size} elements) into {Shapes.Format(shape)}.");
            target[unknown] = (int)(size / known);
        }
        else if (known != size)
            throw new ArgumentException($"Cannot reshape a tensor of shape {Shapes.Format(from)} ({size} elements) into {Shapes.Format(shape)} ({known} elements).");
        return target;
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/> (negative counts from the end of the result).</summary>
    public static Tensor ExpandDims(Tensor x, int axis)
    {
        int a = NormalizeAxis(axis, x.Rank + 1);
        return Reshape(x, [.. x.Dims[..a], 1, .. x.Dims[a..]]);
    }

    /// <summary>Removes the dimension <paramref name="axis"/>, which must have size 1.</summary>
    public static Tensor Squeeze(Tensor x, int axis)
    {
        int a = NormalizeAxis(axis, x.Rank);
        if (x.Dims[a] != 1)
            throw new ArgumentException($"Squeeze expects axis {axis} of size 1; received shape {Shapes.Format(x.Dims)}.");
        return Reshape(x, [.. x.Dims[..a], .. x.Dims[(a + 1)..]]);
    }

    /// <summary>Permutes the axes: result dimension d is input dimension <c>perm[d]</c> (reversed when null).</summary>
    public static Tensor Transpose(Tensor x, int[]? perm = null)
    {
        int rank = x.Rank;
        perm ??= Enumerable.Range(0, rank).Reverse().ToArray();
        if (perm.Length != rank || perm.Order().Where((p, i) => p != i).Any())
            throw new ArgumentException($"Transpose expects a permutation of 0..{rank - 1}; received ({string.Join(", ", perm)}) for shape {Shapes.Format(x.Dims)}.");
        if (rank > 8) throw new ArgumentException($"Transpose supports rank ≤ 8; received rank {rank}.");
        var shape = perm.Select(p => x.Dims[p]).ToArray();
        var y = Tensor.Empty(x.Backend, shape, x.DType);
        x.Backend.Permute(x.Buffer, x.Dims, perm, y.Buffer);
        GradientTape.Record(y, [x], (g, _) =>
        {
            var inverse = new int[rank];
            for (int d = 0; d < rank; d++) inverse[perm[d]] = d;
            return [Transpose(g, inverse)];
        });
        return y;
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dimensions must match.</summary>
    public static Tensor Concatenate(IReadOnlyList<Tensor> xs, int axis = -1)
    {
        ArgumentNullException.ThrowIfNull(xs);
        if (xs.Count == 0) throw new ArgumentException("Concatenate expects at least one tensor; received none.");
        var first = xs[0];
        int a = NormalizeAxis(axis, first.Rank);
        int total = 0;
        foreach (var t in xs)
        {
            CheckSameBackend(first, t);
            bool ok = t.Rank == first.Rank && t.DType == first.DType;
            for (int d = 0; ok && d < t.Rank; d++) ok = d == a || t.Dims[d] == first.Dims[d];
            if (!ok)
                throw new ArgumentException($"Concatenate along axis {axis} expects the same dtype and equal dimensions elsewhere; received shapes {string.Join(", ", xs.Select(v => Shapes.Format(v.Dims)))}.");
            total += t.Dims[a];
        }
        int[] shape = first.Shape;
        shape[a] = total;
        int outer = (int)Shapes.Size(shape.AsSpan(0, a)), inner = (int)Shapes.Size(shape.AsSpan(a + 1));
        var y = Tensor.Empty(first.Backend, shape, first.DType);
        int offset = 0;
        foreach (var t in xs)
        {
            int width = t.Dims[a] * inner;
            first.Backend.CopyStrided(t.Buffer, 0, width, y.Buffer, offset, total * inner, outer, width);
            offset += width;
        }
        var starts = new int[xs.Count];
        for (int i = 1; i < xs.Count; i++) starts[i] = starts[i - 1] + xs[i - 1].Dims[a];
        GradientTape.Record(y, [.. xs], (g, needs) =>
        {
            var grads = new Tensor?[xs.Count];
            for (int i = 0; i < xs.Count; i++) if (needs[i]) grads[i] = Slice(g, a, starts[i], xs[i].Dims[a]);
            return grads;
        });
        return y;
    }

    /// <summary><c>x[..., start : start + length, ...]</c> along <paramref name="axis"/>.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        int a = NormalizeAxis(axis, x.Rank);
        if (start < 0 || length < 0 || start + length > x.Dims[a])
            throw new ArgumentException($"Slice [{start}, {start + length}) is outside axis {axis} of shape {Shapes.Format(x.Dims)}.");
        int[] shape = x.Shape;
        shape[a] = length;
        int outer = (int)Shapes.Size(shape.AsSpan(0, a)), inner = (int)Shapes.Size(shape.AsSpan(a + 1));
        var y = Tensor.Empty(x.Backend, shape, x.DType);
        x.Backend.CopyStrided(x.Buffer, (long)start * inner, x.Dims[a] * inner, y.Buffer, 0, length * inner, outer, length * inner);
        GradientTape.Record(y, [x], (g, _) =>
        {
            // Scatter g back into zeros of x's shape.
            var dx = Zeros(x.Backend, x.Shape);
            x.Backend.CopyStrided(g.Buffer, 0, length * inner, dx.Buffer, (long)start * inner, x.Dims[a] * inner, outer, length * inner);
            return [dx];
        });
        return y;
    }

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="shape"/> (NumPy rules); the gradient sums back.</summary>
    public static Tensor BroadcastTo(Tensor x, int[] shape)
    {
        if (Shapes.Equal(x.Dims, shape)) return x;
        var check = Shapes.Broadcast(x.Dims, shape);
        if (!Shapes.Equal(check, shape))
            throw new ArgumentException($"Cannot broadcast shape {Shapes.Format(x.Dims)} to {Shapes.Format(shape)}.");
        var y = Tensor.Empty(x.Backend, shape);
        using (var zero = Tensor.Empty(x.Backend, [], scoped: false))
        {
            x.Backend.Fill(zero.Buffer, 0f);
            x.Backend.Binary(BinaryOp.Add, x.Buffer, x.Dims, zero.Buffer, [], y.Buffer, shape);
        }
        GradientTape.Record(y, [x], (g, _) => [SumToShape(g, x.Dims)]);
        return y;
    }

    /// <summary>
    /// One-hot encoding of int32 (or integral float32) class indices: shape <c>indices.shape + (numClasses,)</c>, 1.0 at the
    /// index and 0.0 elsewhere (indices outside <c>[0, numClasses)</c> give an all-zero row, as Keras' one_hot does).
    /// </summary>
    public static Tensor OneHot(Tensor indices, int numClasses)
    {
        if (numClasses <= 0) throw new ArgumentException($"OneHot expects numClasses > 0; received {numClasses}.");
        var labels = indices.DType == DType.Int32 ? Cast(indices, DType.Float32) : indices;
        var iota = Tensor.Empty(indices.Backend, [numClasses]);
        var values = new float[numClasses];
        for (int i = 0; i < numClasses; i++) values[i] = i;
        indices.Backend.Upload<float>(values, iota.Buffer);
        return Equal(Reshape(labels, [.. indices.Dims, 1]), iota);
    }

    /// <summary>Normalises a possibly negative axis into <c>[0, rank)</c>, naming both when out of range.</summary>
    internal static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentException($"Axis {axis} is out of range for a tensor of rank {rank}.");
        return a;
    }
}
