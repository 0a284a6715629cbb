using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KerasGpu;

/// <summary>
/// A small NumPy-like array in host memory: the type of user data (<c>x</c>, <c>y</c>, predictions)
/// and of datasets. It has a runtime <see cref="DType"/> so that
/// <c>xTrain = xTrain.Reshape(-1, 784).AsType&lt;float&gt;() / 255f;</c> can reassign a uint8 variable
/// with a float32 result.
/// </summary>
/// <remarks>
/// Storage is one CLR array (<c>byte[]</c>, <c>int[]</c>, <c>long[]</c>, <c>float[]</c> or
/// <c>double[]</c>) plus an element offset, always C-contiguous (row-major). <see cref="Reshape"/>,
/// row indexing and row slicing return views that share that array; <see cref="AsType{T}"/>,
/// <see cref="Take"/> and the arithmetic operators return new arrays. Element counts are limited to
/// <see cref="Array.MaxLength"/>. Instances are not synchronised: concurrent writes through
/// <see cref="AsWritableSpan{T}"/> are the caller's business.
/// </remarks>
public sealed partial class NDArray
{
    private readonly Array _buffer;
    private readonly long _offset;
    private readonly int[] _shape;

    private NDArray(Array buffer, long offset, int[] shape, DType dtype, long size)
    {
        _buffer = buffer;
        _offset = offset;
        _shape = shape;
        DType = dtype;
        Size = size;
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The dimensions, outermost first. Returns a copy; an empty array for a scalar (rank 0).</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of <see cref="Shape"/>; 1 for rank 0).</summary>
    public long Size { get; }

    /// <summary>The size of the first dimension (the number of samples or rows).</summary>
    /// <exception cref="InvalidOperationException">The array is a scalar (rank 0).</exception>
    public int Length => _shape.Length > 0
        ? _shape[0]
        : throw new InvalidOperationException("len() of a rank-0 array: a scalar has no first dimension.");

    /// <summary>The backing CLR array (shared with views). For use by the rest of the library.</summary>
    internal Array Buffer => _buffer;

    /// <summary>The index in <see cref="Buffer"/> of this array's first element.</summary>
    internal long Offset => _offset;

    /// <summary>The dimensions without a copy. Callers must not modify it.</summary>
    internal ReadOnlySpan<int> ShapeSpan => _shape;

    // ------------------------------------------------------------------ construction

    /// <summary>Wraps <paramref name="data"/> (no copy) as a float32 array of the given shape.</summary>
    /// <param name="data">The elements in row-major order. The array views it: later writes to <paramref name="data"/> show through.</param>
    /// <param name="shape">The dimensions; when omitted, <c>[data.Length]</c>. One dimension may be -1 (inferred).</param>
    /// <exception cref="ArgumentException">The shape does not hold exactly <c>data.Length</c> elements.</exception>
    public static NDArray FromArray(float[] data, params int[] shape) => Wrap(data, DType.Float32, shape);

    /// <summary>Wraps <paramref name="data"/> (no copy) as a float64 array of the given shape.</summary>
    /// <param name="data">The elements in row-major order, not copied.</param>
    /// <param name="shape">The dimensions; when omitted, <c>[data.Length]</c>. One dimension may be -1.</param>
    /// <exception cref="ArgumentException">The shape does not hold exactly <c>data.Length</c> elements.</exception>
    public static NDArray FromArray(double[] data, params int[] shape) => Wrap(data, DType.Float64, shape);

    /// <summary>Wraps <paramref name="data"/> (no copy) as an int32 array of the given shape.</summary>
    /// <param name="data">The elements in row-major order, not copied.</param>
    /// <param name="shape">The dimensions; when omitted, <c>[data.Length]</c>. One dimension may be -1.</param>
    /// <exception cref="ArgumentException">The shape does not hold exactly <c>data.Length</c> elements.</exception>
    public static NDArray FromArray(int[] data, params int[] shape) => Wrap(data, DType.Int32, shape);

    /// <summary>Wraps <paramref name="data"/> (no copy) as an int64 array of the given shape.</summary>
    /// <param name="data">The elements in row-major order, not copied.</param>
    /// <param name="shape">The dimensions; when omitted, <c>[data.Length]</c>. One dimension may be -1.</param>
    /// <exception cref="ArgumentException">The shape does not hold exactly <c>data.Length</c> elements.</exception>
    public static NDArray FromArray(long[] data, params int[] shape) => Wrap(data, DType.Int64, shape);

    /// <summary>Wraps <paramref name="data"/> (no copy) as a uint8 array of the given shape.</summary>
    /// <param name="data">The elements in row-major order, not copied.</param>
    /// <param name="shape">The dimensions; when omitted, <c>[data.Length]</c>. One dimension may be -1.</param>
    /// <exception cref="ArgumentException">The shape does not hold exactly <c>data.Length</c> elements.</exception>
    public static NDArray FromArray(byte[] data, params int[] shape) => Wrap(data, DType.UInt8, shape);

    /// <summary>Copies a rectangular float array into a new float32 array of shape <c>(rows, columns)</c>.</summary>
    /// <param name="data">The rows and columns to copy.</param>
    public static NDArray From2D(float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var flat = new float[data.Length];
        ref byte first = ref MemoryMarshal.GetArrayDataReference(data);
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, float>(ref first), data.Length).CopyTo(flat);
        return new NDArray(flat, 0, [data.GetLength(0), data.GetLength(1)], DType.Float32, flat.Length);
    }

    /// <summary>A new array of zeros.</summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions (none for a scalar); each must be non-negative.</param>
    /// <exception cref="ArgumentException">A dimension is negative, or the element count exceeds <see cref="Array.MaxLength"/>.</exception>
    public static NDArray Zeros(DType dtype, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var dims = (int[])shape.Clone();
        long size = CheckedSize(dims, nameof(shape));
        return new NDArray(Allocate(dtype, (int)size), 0, dims, dtype, size);
    }

    /// <summary>Wraps a float array (no copy) as a rank-1 float32 array; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="data">The elements.</param>
    [return: NotNullIfNotNull(nameof(data))]
    public static implicit operator NDArray?(float[]? data) => data is null ? null : FromArray(data);

    /// <summary>Copies a rectangular float array into a float32 array of shape <c>(rows, columns)</c>; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="data">The rows and columns.</param>
    [return: NotNullIfNotNull(nameof(data))]
    public static implicit operator NDArray?(float[,]? data) => data is null ? null : From2D(data);

    /// <summary>Wraps a double array (no copy) as a rank-1 float64 array; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="data">The elements.</param>
    [return: NotNullIfNotNull(nameof(data))]
    public static implicit operator NDArray?(double[]? data) => data is null ? null : FromArray(data);

    /// <summary>Wraps an int array (no copy) as a rank-1 int32 array; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="data">The elements.</param>
    [return: NotNullIfNotNull(nameof(data))]
    public static implicit operator NDArray?(int[]? data) => data is null ? null : FromArray(data);

    /// <summary>Wraps a long array (no copy) as a rank-1 int64 array; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="data">The elements.</param>
    [return: NotNullIfNotNull(nameof(data))]
    public static implicit operator NDArray?(long[]? data) => data is null ? null : FromArray(data);

    /// <summary>Wraps a byte array (no copy) as a rank-1 uint8 array; <see langword="null"/> stays <see langword="null"/>.</summary>
    /// <param name="data">The elements.</param>
    [return: NotNullIfNotNull(nameof(data))]
    public static implicit operator NDArray?(byte[]? data) => data is null ? null : FromArray(data);

    /// <summary>Wraps an existing backing array of the right CLR type for <paramref name="dtype"/> (no copy).</summary>
    internal static NDArray Wrap(Array data, DType dtype, int[]? shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        int[] dims = shape is null || shape.Length == 0 ? [data.Length] : ResolveShape(shape, data.Length);
        return new NDArray(data, 0, dims, dtype, data.Length);
    }

    // ------------------------------------------------------------------ views and export

    /// <summary>The elements as a read-only span over the backing array (no copy).</summary>
    /// <typeparam name="T">The CLR element type; must match <see cref="DType"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged => AsWritableSpan<T>();

    /// <summary>The elements as a writable span over the backing array (no copy): writes show in every view of the same data.</summary>
    /// <typeparam name="T">The CLR element type; must match <see cref="DType"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public Span<T> AsWritableSpan<T>() where T : unmanaged
    {
        CheckElementType<T>("AsSpan");
        return ((T[])_buffer).AsSpan((int)_offset, (int)Size);
    }

    /// <summary>Copies the elements (row-major) into a new CLR array.</summary>
    /// <typeparam name="T">The CLR element type; must match <see cref="DType"/> (use <see cref="AsType{T}"/> first to convert).</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        CheckElementType<T>("ToArray");
        return AsSpan<T>().ToArray();
    }

    /// <summary>Copies a rank-2 float32 array into a new <c>float[rows, columns]</c>.</summary>
    /// <exception cref="InvalidOperationException">The array is not rank 2 or not float32.</exception>
    public float[,] To2D()
    {
        if (Rank != 2 || DType != DType.Float32)
            throw new InvalidOperationException(
                $"To2D() needs a rank-2 float32 array, received shape {FormatShape(_shape)} with dtype {DType.KerasName()}.");
        var result = new float[_shape[0], _shape[1]];
        ref byte first = ref MemoryMarshal.GetArrayDataReference(result);
        AsSpan<float>().CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref first), result.Length));
        return result;
    }

    /// <summary>Reads one element.</summary>
    /// <typeparam name="T">The CLR element type; must match <see cref="DType"/>.</typeparam>
    /// <param name="index">One index per dimension (none for a scalar); negative indices are not accepted.</param>
    /// <exception cref="ArgumentException">The number of indices differs from <see cref="Rank"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside its dimension.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    public T Item<T>(params int[] index) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(index);
        CheckElementType<T>("Item");
        if (index.Length != Rank)
            throw new ArgumentException(
                $"Item() needs {Rank} indices for an array of shape {FormatShape(_shape)}, received {index.Length}.", nameof(index));
        long flat = 0;
        for (int d = 0; d < index.Length; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
                throw new ArgumentOutOfRangeException(nameof(index), index[d],
                    $"index {index[d]} is out of bounds for axis {d} with size {_shape[d]}.");
            flat = flat * _shape[d] + index[d];
        }
        return ((T[])_buffer)[_offset + flat];
    }

    /// <summary>A zero-copy view with a new shape holding the same elements in the same order.</summary>
    /// <param name="shape">The new dimensions; one may be -1, inferred from the others.</param>
    /// <exception cref="ArgumentException">The shape holds a different number of elements, has more than one -1, or a negative dimension.</exception>
    public NDArray Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new NDArray(_buffer, _offset, ResolveShape(shape, Size), DType, Size);
    }

    /// <summary>Numpy's short description, e.g. <c>NDArray(shape=(60000, 784), dtype=float32)</c>.</summary>
    public override string ToString() => $"NDArray(shape={FormatShape(_shape)}, dtype={DType.KerasName()})";

    // ------------------------------------------------------------------ rows

    /// <summary>A zero-copy view of one row (index along the first axis); its rank is one less.</summary>
    /// <param name="row">The row, from 0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside [0, Length).</exception>
    /// <exception cref="InvalidOperationException">The array is a scalar.</exception>
    [IndexerName("Rows")] // the default name, Item, is taken by Item<T>()
    public NDArray this[int row]
    {
        get
        {
            int length = Length;
            if ((uint)row >= (uint)length)
                throw new ArgumentOutOfRangeException(nameof(row), row, $"index {row} is out of bounds for axis 0 with size {length}.");
            long rowSize = RowSize();
            return new NDArray(_buffer, _offset + row * rowSize, _shape[1..], DType, rowSize);
        }
    }

    /// <summary>A zero-copy view of one row, counting from the end with <c>^1</c> for the last row.</summary>
    /// <param name="row">The row.</param>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the first axis.</exception>
    [IndexerName("Rows")] // the default name, Item, is taken by Item<T>()
    public NDArray this[Index row]
    {
        get
        {
            int length = Length;
            int r = row.GetOffset(length);
            if ((uint)r >= (uint)length)
                throw new ArgumentOutOfRangeException(nameof(row), row, $"index {row} is out of bounds for axis 0 with size {length}.");
            return this[r];
        }
    }

    /// <summary>A zero-copy view of a range of rows, e.g. <c>x[..1000]</c>, <c>x[^100..]</c>.</summary>
    /// <param name="rows">The rows; its ends must lie within [0, Length].</param>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches outside the first axis or ends before it starts.</exception>
    [IndexerName("Rows")] // the default name, Item, is taken by Item<T>()
    public NDArray this[Range rows]
    {
        get
        {
            int length = Length;
            int start = rows.Start.GetOffset(length), end = rows.End.GetOffset(length);
            if (start < 0 || end > length || start > end)
                throw new ArgumentOutOfRangeException(nameof(rows), rows,
                    $"row range {rows} resolves to [{start}, {end}), outside axis 0 with size {length}.");
            long rowSize = RowSize();
            int[] shape = Shape;
            shape[0] = end - start;
            return new NDArray(_buffer, _offset + start * rowSize, shape, DType, (end - start) * rowSize);
        }
    }

    /// <summary>Copies the chosen rows, in the given order, into a new array (numpy's <c>x[indices]</c> / <c>take(axis=0)</c>).</summary>
    /// <param name="rowIndices">Row indices in [0, Length); repeats are allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Length).</exception>
    public NDArray Take(ReadOnlySpan<int> rowIndices)
    {
        int length = Length;
        for (int i = 0; i < rowIndices.Length; i++)
        {
            if ((uint)rowIndices[i] >= (uint)length)
                throw new ArgumentOutOfRangeException(nameof(rowIndices), rowIndices[i],
                    $"index {rowIndices[i]} (position {i}) is out of bounds for axis 0 with size {length}.");
        }
        int[] shape = Shape;
        shape[0] = rowIndices.Length;
        long size = CheckedSize(shape, nameof(rowIndices));
        var result = new NDArray(Allocate(DType, (int)size), 0, shape, DType, size);
        int rowSize = (int)RowSize();
        switch (DType)
        {
            case DType.Float32: TakeRows(AsSpan<float>(), result.AsWritableSpan<float>(), rowIndices, rowSize); break;
            case DType.Float64: TakeRows(AsSpan<double>(), result.AsWritableSpan<double>(), rowIndices, rowSize); break;
            case DType.Int32: TakeRows(AsSpan<int>(), result.AsWritableSpan<int>(), rowIndices, rowSize); break;
            case DType.Int64: TakeRows(AsSpan<long>(), result.AsWritableSpan<long>(), rowIndices, rowSize); break;
            default: TakeRows(AsSpan<byte>(), result.AsWritableSpan<byte>(), rowIndices, rowSize); break;
        }
        return result;
    }

    private static void TakeRows<T>(ReadOnlySpan<T> src, Span<T> dst, ReadOnlySpan<int> rows, int rowSize)
    {
        for (int i = 0; i < rows.Length; i++)
            src.Slice(rows[i] * rowSize, rowSize).CopyTo(dst.Slice(i * rowSize, rowSize));
    }

    private long RowSize()
    {
        long rowSize = 1;
        for (int d = 1; d < _shape.Length; d++) rowSize *= _shape[d];
        return rowSize;
    }

    // ------------------------------------------------------------------ raw bytes (for file I/O)

    /// <summary>The size in bytes of the elements.</summary>
    internal long ByteCount => Size * DType.SizeOf();

    /// <summary>A writable byte view of elements [<paramref name="byteStart"/>, +<paramref name="byteLength"/>) of this array.</summary>
    internal Span<byte> RawBytes(long byteStart, int byteLength)
    {
        if (byteStart < 0 || byteLength < 0 || byteStart + byteLength > ByteCount)
            throw new ArgumentOutOfRangeException(nameof(byteStart));
        ref byte first = ref MemoryMarshal.GetArrayDataReference(_buffer);
        ref byte start = ref Unsafe.AddByteOffset(ref first, (nint)(_offset * DType.SizeOf() + byteStart));
        return MemoryMarshal.CreateSpan(ref start, byteLength);
    }

    // ------------------------------------------------------------------ shapes

    /// <summary>The product of the dimensions, computed with checked arithmetic and limited to <see cref="Array.MaxLength"/>.</summary>
    internal static long CheckedSize(ReadOnlySpan<int> shape, string paramName)
    {
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"negative dimensions are not allowed: shape {FormatShape(shape)}.", paramName);
        }
        try
        {
            foreach (int d in shape) size = checked(size * d);
        }
        catch (OverflowException e)
        {
            throw new ArgumentException($"shape {FormatShape(shape)} has more elements than a 64-bit count can hold.", paramName, e);
        }
        if (size > Array.MaxLength)
            throw new ArgumentException(
                $"shape {FormatShape(shape)} has {size} elements, more than the {Array.MaxLength} a host array can hold.", paramName);
        return size;
    }

    private static int[] ResolveShape(int[] shape, long size)
    {
        var dims = (int[])shape.Clone();
        int unknown = -1;
        long known = 1;
        for (int d = 0; d < dims.Length; d++)
        {
            if (dims[d] == -1)
            {
                if (unknown >= 0) throw new ArgumentException("can only specify one unknown dimension.", nameof(shape));
                unknown = d;
            }
            else if (dims[d] < 0)
            {
                throw new ArgumentException($"negative dimensions are not allowed: shape {FormatShape(shape)}.", nameof(shape));
            }
            else
            {
                // Saturate above Array.MaxLength so the product cannot overflow; a 0 still zeroes it.
                known = (known > Array.MaxLength ? Array.MaxLength + 1L : known) * dims[d];
            }
        }
        if (unknown >= 0)
        {
            if (known == 0 || size % known != 0 || size / known > int.MaxValue)
                throw new ArgumentException($"cannot reshape array of size {size} into shape {FormatShape(shape)}.", nameof(shape));
            dims[unknown] = (int)(size / known);
        }
        else if (known != size)
        {
            throw new ArgumentException($"cannot reshape array of size {size} into shape {FormatShape(shape)}.", nameof(shape));
        }
        return dims;
    }

    /// <summary>Formats a shape as Python prints a tuple: <c>(60000, 28, 28)</c>, <c>(5,)</c>, <c>()</c>.</summary>
    internal static string FormatShape(ReadOnlySpan<int> shape) => shape.Length switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape.ToArray()) + ")",
    };

    internal static Array Allocate(DType dtype, int size) => dtype switch
    {
        DType.Float32 => new float[size],
        DType.Float64 => new double[size],
        DType.Int32 => new int[size],
        DType.Int64 => new long[size],
        DType.UInt8 => new byte[size],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    private void CheckElementType<T>(string method) where T : unmanaged
    {
        DType requested;
        try
        {
            requested = DTypes.Of<T>();
        }
        catch (NotSupportedException e)
        {
            throw new InvalidOperationException(
                $"{method}<{typeof(T).Name}>() on a {DType.KerasName()} array: {typeof(T).Name} is not an element type.", e);
        }
        if (requested != DType)
            throw new InvalidOperationException(
                $"{method}<{typeof(T).Name}>() requested {requested.KerasName()} elements, but the array's dtype is {DType.KerasName()}; " +
                $"convert it first with AsType<{typeof(T).Name}>().");
    }
}
