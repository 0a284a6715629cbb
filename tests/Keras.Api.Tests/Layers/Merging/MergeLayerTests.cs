using KerasGpu.Autodiff;
using KerasGpu.Layers;

namespace KerasGpu.Tests.Layers.Merging;

/// <summary>The merge layers against float64 references of Keras' formulas (merge.py and each layer's _merge_function).</summary>
public class MergeLayerTests
{
    private static double[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2)];
    }

    private static Tensor Upload(double[] values, params int[] shape) =>
        Tensor.FromNDArray(NDArray.FromArray([.. values.Select(v => (float)v)], shape));

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 + 1e-5 * Math.Abs(expected[i]), $"[{i}] expected {expected[i]}, got {actual[i]}");
    }

    public static TheoryData<string> ElementwiseLayers => new() { "add", "subtract", "multiply", "average", "maximum", "minimum" };

    private static Layer Make(string kind) => kind switch
    {
        "add" => new Add(),
        "subtract" => new Subtract(),
        "multiply" => new Multiply(),
        "average" => new Average(),
        "maximum" => new Maximum(),
        "minimum" => new Minimum(),
        _ => throw new ArgumentException(kind),
    };

    private static double Reference(string kind, double[] values) => kind switch
    {
        "add" => values.Sum(),
        "subtract" => values[0] - values[1],
        "multiply" => values.Aggregate(1.0, (a, b) => a * b),
        "average" => values.Sum() / values.Length,
        "maximum" => values.Max(),
        "minimum" => values.Min(),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(ElementwiseLayers))]
    public void Elementwise_MatchesFloat64Reference(string kind)
    {
        int count = kind == "subtract" ? 2 : 3;
        var inputs = Enumerable.Range(0, count).Select(i => Random(2 * 3 * 4, 10 + i)).ToArray();
        using var scope = new TensorScope();
        var result = Make(kind).Apply([.. inputs.Select(v => Upload(v, 2, 3, 4))]);
        Assert.Equal([2, 3, 4], result.Shape);
        var expected = Enumerable.Range(0, 24).Select(j => Reference(kind, [.. inputs.Select(v => v[j])])).ToArray();
        AssertClose(expected, result.ToNDArray().ToArray<float>());
    }

    [Fact]
    public void Add_BroadcastsSizeOneAxes_AndLowerRankInputsAreExpandedAtAxis1()
    {
        // Keras: shapes (2, 3, 4) and (2, 1, 4) broadcast; a (2, 4) input is expanded to (2, 1, 4) first.
        var a = Random(24, 1);
        var b = Random(8, 2);
        using var scope = new TensorScope();
        var sameRank = new Add().Apply([Upload(a, 2, 3, 4), Upload(b, 2, 1, 4)]);
        var lowerRank = new Add().Apply([Upload(a, 2, 3, 4), Upload(b, 2, 4)]);
        var expected = new double[24];
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++) expected[n * 12 + i * 4 + j] = a[n * 12 + i * 4 + j] + b[n * 4 + j];
        AssertClose(expected, sameRank.ToNDArray().ToArray<float>());
        AssertClose(expected, lowerRank.ToNDArray().ToArray<float>());
    }

    [Fact]
    public void SymbolicShapes_FollowKerasBroadcastRules()
    {
        var a = Keras.Input(shape: [3, 4]);
        var b = Keras.Input(shape: [1, 4]);
        var c = Keras.Input(shape: [4]);
        Assert.Equal([null, 3, 4], new Multiply().Apply(a, b).Shape);
        Assert.Equal([null, 3, 4], new Maximum().Apply(a, c).Shape);
        Assert.Equal([null, 4], new Average().Apply(c, c).Shape);
    }

    [Fact]
    public void IncompatibleShapes_AreRejectedWithKerasMessage()
    {
        var a = Keras.Input(shape: [3]);
        var b = Keras.Input(shape: [5]);
        var e = Assert.Throws<ArgumentException>(() => new Add().Apply(a, b));
        Assert.Equal("Inputs have incompatible shapes. Received shapes (3,) and (5,)", e.Message);
    }

    [Fact]
    public void DifferentBatchSizes_AreRejected()
    {
        var a = Keras.Input(shape: [3], batchSize: 2);
        var b = Keras.Input(shape: [3], batchSize: 4);
        var e = Assert.Throws<ArgumentException>(() => new Minimum().Apply(a, b));
        Assert.Equal("Cannot merge tensors with different batch sizes. Received tensors with shapes [(2, 3), (4, 3)]", e.Message);
    }

    [Fact]
    public void Subtract_TakesExactlyTwoInputs()
    {
        var x = Keras.Input(shape: [3]);
        var layer = new Subtract();
        var e = Assert.Throws<ArgumentException>(() => layer.Apply(x, x, x));
        Assert.Equal("A `Subtract` layer should be called on exactly 2 inputs. Received: 3 input(s)", e.Message);
        Assert.False(layer.Built);
        Assert.Equal([null, 3], layer.Apply(x, x).Shape);
    }

    [Fact]
    public void MergeLayer_OnOneTensor_SaysItNeedsAList()
    {
        var x = Keras.Input(shape: [3]);
        var e = Assert.Throws<ArgumentException>(() => new Add().ComputeOutputShape(x.Shape));
        Assert.StartsWith("A merge layer should be called on a list of inputs.", e.Message);
    }

    [Fact]
    public void Concatenate_DefaultAxis_IsTheLast_AndMatchesReference()
    {
        var a = Random(2 * 3, 3);
        var b = Random(2 * 2, 4);
        using var scope = new TensorScope();
        var result = new Concatenate().Apply([Upload(a, 2, 3), Upload(b, 2, 2)]);
        Assert.Equal([2, 5], result.Shape);
        var expected = new List<double>();
        for (int r = 0; r < 2; r++)
        {
            expected.AddRange(a.Skip(r * 3).Take(3));
            expected.AddRange(b.Skip(r * 2).Take(2));
        }
        AssertClose([.. expected], result.ToNDArray().ToArray<float>());
    }

    [Fact]
    public void Concatenate_Axis1_KerasDocExample()
    {
        // keras.layers.Concatenate(axis=1)([np.arange(20).reshape(2, 2, 5), np.arange(20, 30).reshape(2, 1, 5)])
        var x = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        var y = Enumerable.Range(20, 10).Select(i => (double)i).ToArray();
        using var scope = new TensorScope();
        var result = new Concatenate(axis: 1).Apply([Upload(x, 2, 2, 5), Upload(y, 2, 1, 5)]);
        Assert.Equal([2, 3, 5], result.Shape);
        double[] expected =
        [
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24,
            10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 25, 26, 27, 28, 29,
        ];
        AssertClose(expected, result.ToNDArray().ToArray<float>());
    }

    [Fact]
    public void Concatenate_SymbolicShape_AndMismatchMessage()
    {
        var a = Keras.Input(shape: [3, 4]);
        var b = Keras.Input(shape: [3, 6]);
        var c = Keras.Input(shape: [2, 6]);
        Assert.Equal([null, 3, 10], new Concatenate().Apply(a, b).Shape);
        Assert.Equal([null, 5, 6], new Concatenate(axis: 1).Apply(b, c).Shape);
        var e = Assert.Throws<ArgumentException>(() => new Concatenate().Apply(a, c));
        Assert.Equal("A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 3, 4), (None, 2, 6)]", e.Message);
        Assert.Equal(1, new Concatenate(axis: 1).GetConfig()["axis"]);
    }

    [Fact]
    public void Gradients_FlowToEveryInput()
    {
        // d/da sum(max(a, b)) is 1 where a > b; d/da sum(a * b) = b; d/dx sum(concat(x, y)) = 1.
        var a = Random(6, 7);
        var b = Random(6, 8);
        using var scope = new TensorScope();
        var ta = Upload(a, 2, 3);
        var tb = Upload(b, 2, 3);
        using (var tape = new GradientTape())
        {
            tape.Watch(ta);
            tape.Watch(tb);
            var loss = Ops.Sum(Ops.Add(Ops.Sum(new Maximum().Apply([ta, tb])), Ops.Sum(new Multiply().Apply([ta, tb]))));
            var grads = tape.Gradient(loss, [ta, tb]);
            AssertClose([.. a.Zip(b, (x, y) => (x > y ? 1.0 : 0.0) + y)], grads[0]!.ToNDArray().ToArray<float>());
            AssertClose([.. a.Zip(b, (x, y) => (y > x ? 1.0 : 0.0) + x)], grads[1]!.ToNDArray().ToArray<float>());
        }
    }
}
