using KerasGpu.Backend.Cpu;
using KerasGpu.Initializers;
using KerasGpu.Tests.Backends;

namespace KerasGpu.Tests.Initializers;

/// <summary>Seeded initializers give bit-identical values on the cpu backend and on ILGPU's CPU accelerator.</summary>
public sealed class InitializerBackendTests(IlgpuCpuFixture fixture) : IClassFixture<IlgpuCpuFixture>, IDisposable
{
    private readonly CpuBackend _cpu = new();

    public void Dispose() => _cpu.Dispose();

    public static TheoryData<string> Seeded => new()
    {
        "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
        "random_normal", "random_uniform", "truncated_normal", "orthogonal", "variance_scaling",
    };

    private static Initializer WithSeed(string name, int seed) => name switch
    {
        "glorot_uniform" => new GlorotUniform(seed), "glorot_normal" => new GlorotNormal(seed),
        "he_uniform" => new HeUniform(seed), "he_normal" => new HeNormal(seed),
        "lecun_uniform" => new LecunUniform(seed), "lecun_normal" => new LecunNormal(seed),
        "random_normal" => new RandomNormal(seed: seed), "random_uniform" => new RandomUniform(seed: seed),
        "truncated_normal" => new TruncatedNormal(seed: seed), "orthogonal" => new Orthogonal(seed: seed),
        _ => new VarianceScaling(seed: seed),
    };

    private static float[] FillOn(KerasGpu.Backend.IBackend backend, Initializer init, int[] shape)
    {
        using var t = Tensor.Empty(backend, shape, scoped: false);
        init.Fill(t);
        return t.ToNDArray().ToArray<float>();
    }

    [Theory]
    [MemberData(nameof(Seeded))]
    public void SeededValues_AreBitIdenticalAcrossBackends(string name)
    {
        int[] shape = [3, 3, 6, 10];
        var onCpu = FillOn(_cpu, WithSeed(name, 77), shape);
        var onIlgpu = FillOn(fixture.Backend, WithSeed(name, 77), shape);
        Assert.Equal(onCpu, onIlgpu);
        Assert.True(onCpu.Distinct().Count() > onCpu.Length / 2, "values are random, not constant");
    }
}
