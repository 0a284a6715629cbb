using KerasGpu.Activations;

namespace KerasGpu.Tests.Activations;

/// <summary>Softmax and log-softmax along any axis, or several jointly: values and gradients against float64.</summary>
public class SoftmaxAxisTests
{
    private static readonly int[] s_shape = [2, 3, 4];

    public static TheoryData<int[]> Axes => new()
    {
        new[] { 0 }, new[] { 1 }, new[] { 2 }, new[] { -1 }, new[] { -2 }, new[] { -3 },
        new[] { 0, 2 }, new[] { 2, 0 }, new[] { 1, 2 }, new[] { 0, 1, 2 },
    };

    [Theory]
    [MemberData(nameof(Axes))]
    public void Softmax_MatchesFloat64_ValuesAndGradients(int[] axes)
    {
        using var h = new Harness();
        var x = Harness.Random(24, 3, -4, 4);
        var got = Harness.Download(Ops.Softmax(h.Upload(x, s_shape), axes));
        Harness.AssertClose(Reference.SoftmaxOverAxes(x, s_shape, axes, log: false), got, 1e-6, 1e-5, "softmax");
        var w = Harness.Random(24, 4);
        Harness.AssertClose(Harness.FiniteDifference(v => Reference.SoftmaxOverAxes(v, s_shape, axes, false), x, w),
            h.TapeGradient(t => Ops.Softmax(t, axes), x, s_shape, w), 2e-5, 2e-4, "d softmax");
    }

    [Theory]
    [MemberData(nameof(Axes))]
    public void LogSoftmax_MatchesFloat64_ValuesAndGradients(int[] axes)
    {
        using var h = new Harness();
        var x = Harness.Random(24, 5, -4, 4);
        var got = Harness.Download(Ops.LogSoftmax(h.Upload(x, s_shape), axes));
        Harness.AssertClose(Reference.SoftmaxOverAxes(x, s_shape, axes, log: true), got, 1e-5, 1e-5, "log_softmax");
        var w = Harness.Random(24, 6);
        Harness.AssertClose(Harness.FiniteDifference(v => Reference.SoftmaxOverAxes(v, s_shape, axes, true), x, w),
            h.TapeGradient(t => Ops.LogSoftmax(t, axes), x, s_shape, w), 2e-5, 2e-4, "d log_softmax");
    }

    [Fact]
    public void SingleAxisOverloads_AgreeWithTheArrayForm()
    {
        using var h = new Harness();
        var x = Harness.Random(24, 7, -3, 3);
        var t = h.Upload(x, s_shape);
        Harness.AssertClose(Harness.Download(Ops.Softmax(t, [1])), Harness.Download(Ops.Softmax(t, 1)), 0, 0, "softmax(axis=1)");
        Harness.AssertClose(Harness.Download(Ops.LogSoftmax(t, [0])), Harness.Download(Ops.LogSoftmax(t, 0)), 0, 0, "log_softmax(axis=0)");
        Harness.AssertClose(Harness.Download(Ops.Softmax(t)), Harness.Download(ActivationFunction.Softmax().Call(t)), 0, 0, "softmax()");
        Harness.AssertClose(Harness.Download(Ops.Softmax(t, 0)), Harness.Download(ActivationFunction.Softmax(0).Call(t)), 0, 0, "softmax(0)");
        Harness.AssertClose(Harness.Download(Ops.LogSoftmax(t, 1)), Harness.Download(ActivationFunction.LogSoftmax(1).Call(t)), 0, 0, "log_softmax(1)");
    }

    [Fact]
    public void LargeLogits_StayFinite()
    {
        using var h = new Harness();
        double[] x = [1000, 0, -1000, 999, 500, -500];
        int[] shape = [2, 3];
        foreach (int axis in new[] { 0, 1 })
        {
            Harness.AssertClose(Reference.SoftmaxOverAxes(x, shape, [axis], log: false),
                Harness.Download(Ops.Softmax(h.Upload(x, shape), axis)), 1e-6, 1e-5, $"softmax axis {axis}");
            Harness.AssertClose(Reference.SoftmaxOverAxes(x, shape, [axis], log: true),
                Harness.Download(Ops.LogSoftmax(h.Upload(x, shape), axis)), 1e-3, 1e-6, $"log_softmax axis {axis}");
        }
    }

    [Fact]
    public void LogSoftmax_IsTheLogOfSoftmax_WhereBothAreRepresentable()
    {
        using var h = new Harness();
        var x = Harness.Random(30, 8, -5, 5);
        var t = h.Upload(x, [5, 6]);
        var logOfSoftmax = Harness.Download(Ops.Softmax(t)).Select(v => Math.Log(v)).ToArray();
        Harness.AssertClose(logOfSoftmax, Harness.Download(Ops.LogSoftmax(t)), 1e-5, 1e-5, "log(softmax) vs log_softmax");
    }

    [Fact]
    public void BadAxes_AreRejected_WithWhatWasReceived()
    {
        using var h = new Harness();
        var t = h.Upload(Harness.Random(24, 9), s_shape);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => Ops.Softmax(t, 3)).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => Ops.LogSoftmax(t, -4)).Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => Ops.Softmax(t, [1, -2])).Message);
        Assert.Contains("at least one axis", Assert.Throws<ArgumentException>(() => Ops.LogSoftmax(t, Array.Empty<int>())).Message);
        Assert.Contains("scalar", Assert.Throws<ArgumentException>(() => Ops.Softmax(Ops.Scalar(h.Backend, 1f), 0)).Message);
    }
}
