using KerasGpu.Backend;

namespace KerasGpu.Tests.Backend;

public class PhiloxTests
{
    [Fact]
    public void Uniform_TopBitsThatRoundToHigh_StayBelowHigh()
    {
        // u = 1 − 2⁻²⁴; fma(u, 1, 0.5) rounds to exactly 1.5 (ties to even) without the clamp.
        float v = Philox.Uniform(0xFFFFFFFFu, 0.5f, 1.5f);
        Assert.True(v < 1.5f);
        Assert.Equal(MathF.BitDecrement(1.5f), v);
    }

    [Fact]
    public void Uniform_ZeroBits_IsLow() => Assert.Equal(-2f, Philox.Uniform(0u, -2f, 3f));

    [Fact]
    public void Permutation_IsAPermutationAndDependsOnTheKey()
    {
        var a = RandomState.Permutation(1000, 1);
        var b = RandomState.Permutation(1000, 2);
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.NotEqual(a, b);
        Assert.Equal(a, RandomState.Permutation(1000, 1));
    }
}

public class UseBackendTests
{
    [Fact]
    public void UseBackend_ScopesTheCurrentBackend_AndModelsTrainOnIt()
    {
        using var backend = new KerasGpu.Backend.Cpu.CpuBackend(maxThreads: 1);
        var global = Keras.Config.CurrentBackend;
        using (Keras.Config.UseBackend(backend))
        {
            Assert.Same(backend, Keras.Config.CurrentBackend);
            var model = new Sequential([new KerasGpu.Layers.Dense(2)]);
            model.Compile(loss: "mse", optimizer: "sgd");
            model.Fit(NDArray.Zeros(DType.Float32, 4, 3), NDArray.Zeros(DType.Float32, 4, 2), verbose: 0);
            Assert.Same(backend, model.Weights[0].Value.Backend);
            Assert.True(backend.LiveBufferCount > 0);
            model.Dispose();
            Assert.Equal(0, backend.LiveBufferCount);
        }
        Assert.Same(global, Keras.Config.CurrentBackend);
    }
}
