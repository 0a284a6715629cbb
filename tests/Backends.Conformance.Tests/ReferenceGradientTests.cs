using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>
/// Proves each backward reference right in float64 against central differences of its forward reference (the upstream
/// gradient w enters as the scalar Σ w·f). The backend's float32 backward kernels are then compared with these references.
/// </summary>
public sealed class ReferenceGradientTests
{
    private static void Agree(string what, Func<double[], double> f, double[] x, double[] analytic) =>
        Check.Close(what, analytic, FiniteDifference.Gradient(f, x), Tolerances.GradientCheck);

    private static double[] Normal(int seed, int n, double std = 1) => Inputs.ToDouble(Inputs.Normal(seed, n, std));

    [Theory]
    [InlineData(ActivationKind.Linear)]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    public void ActivationBackward_IsTheDerivative(ActivationKind kind)
    {
        // Relu is not differentiable at 0: keep |x| ≥ 0.01.
        var x = Array.ConvertAll(Normal(1, 64, 2), v => Math.Abs(v) < 0.01 ? 0.5 : v);
        var dy = Normal(2, 64);
        var analytic = new double[x.Length];
        for (int i = 0; i < x.Length; i++) analytic[i] = ActivationRef.Backward(kind, ActivationRef.Forward(kind, x[i]), dy[i]);
        Agree($"{kind}'", v => FiniteDifference.Dot(dy, ActivationRef.Forward(kind, v)), x, analytic);
    }

    [Fact]
    public void SoftmaxBackward_IsTheDerivative()
    {
        const int rows = 3, cols = 7;
        double[] x = Normal(3, rows * cols, 2), dy = Normal(4, rows * cols);
        var (dx, _) = SoftmaxRef.Backward(SoftmaxRef.Forward(x, rows, cols).Y, dy, rows, cols);
        Agree("softmax'", v => FiniteDifference.Dot(dy, SoftmaxRef.Forward(v, rows, cols).Y), x, dx);
    }

    [Theory]
    [InlineData("onehot")]
    [InlineData("soft")]
    public void SoftmaxCrossEntropyBackward_IsTheDerivative(string targets)
    {
        const int rows = 4, cols = 6;
        double[] z = Normal(5, rows * cols, 2), g = Normal(6, rows);
        var t = targets == "soft" ? Inputs.ToDouble(Inputs.Uniform(7, rows * cols, 0, 1)) : LossRef.OneHot(Inputs.Ints(7, rows, cols), cols);
        var (dz, _) = LossRef.SoftmaxCrossEntropyBackward(SoftmaxRef.Forward(z, rows, cols).Y, t, g, rows, cols);
        Agree($"softmax-crossentropy' ({targets})", v => FiniteDifference.Dot(g, LossRef.SoftmaxCrossEntropy(v, t, rows, cols).Loss), z, dz);
    }

    [Theory]
    [InlineData("onehot", 1e-7)]
    [InlineData("soft", 1e-7)]
    [InlineData("soft", 0.15)] // a wide clip: some q fall below ε, where the gradient through log is 0
    public void CrossEntropyBackward_IsTheDerivative(string targets, double epsilon)
    {
        const int rows = 4, cols = 6;
        double[] p = Inputs.ToDouble(Inputs.Uniform(8, rows * cols, 0.05, 1)), g = Normal(9, rows);
        var t = targets == "soft" ? Inputs.ToDouble(Inputs.Uniform(10, rows * cols, 0, 1)) : LossRef.OneHot(Inputs.Ints(10, rows, cols), cols);
        var (dp, _) = LossRef.CrossEntropyBackward(p, t, g, rows, cols, epsilon);
        Agree($"crossentropy' ({targets}, ε={epsilon})", v => FiniteDifference.Dot(g, LossRef.CrossEntropy(v, t, rows, cols, epsilon).Loss), p, dp);
    }

    [Fact]
    public void SquaredErrorBackward_IsTheDerivative()
    {
        const int rows = 3, cols = 5;
        double[] p = Normal(11, rows * cols), t = Normal(12, rows * cols), g = Normal(13, rows);
        Agree("squared error'", v => FiniteDifference.Dot(g, LossRef.SquaredError(v, t, rows, cols)), p,
            LossRef.SquaredErrorBackward(p, t, g, rows, cols));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMulBackward_IsTheDerivative(bool ta, bool tb)
    {
        var s = new MatMulShape(3, 4, 5, ta, tb);
        double[] a = Normal(14, s.M * s.K), b = Normal(15, s.K * s.N), dy = Normal(16, s.M * s.N);
        var (da, db) = MatMulRef.Backward(a, b, s, dy);
        Agree($"∂/∂A of {s}", v => FiniteDifference.Dot(dy, MatMulRef.Forward(v, b, s)), a, da);
        Agree($"∂/∂B of {s}", v => FiniteDifference.Dot(dy, MatMulRef.Forward(a, v, s)), b, db);
    }
}
