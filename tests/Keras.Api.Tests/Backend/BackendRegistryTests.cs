using KerasGpu.Backend;

namespace KerasGpu.Tests.Backend;

/// <summary>Backend selection: explicit setter, then KERAS_BACKEND, then keras.json, then "cpu".</summary>
[Collection("KerasHome")]
public sealed class BackendRegistryTests : IDisposable
{
    private readonly string? _savedBackend = Environment.GetEnvironmentVariable(BackendRegistry.EnvironmentVariable);
    private readonly string? _savedHome = Environment.GetEnvironmentVariable("KERAS_HOME");
    private readonly string _home = Directory.CreateTempSubdirectory("keras-home-").FullName;

    public BackendRegistryTests()
    {
        _ = Keras.Config.CurrentBackend; // create the process-wide backend before these tests change the environment
        Environment.SetEnvironmentVariable("KERAS_HOME", _home);
        Environment.SetEnvironmentVariable(BackendRegistry.EnvironmentVariable, null);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(BackendRegistry.EnvironmentVariable, _savedBackend);
        Environment.SetEnvironmentVariable("KERAS_HOME", _savedHome);
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public void Resolve_NothingSet_IsCpu() => Assert.Equal("cpu", BackendRegistry.Resolve(null));

    [Fact]
    public void Resolve_EnvironmentVariable_Wins_OverKerasJson()
    {
        File.WriteAllText(Path.Combine(_home, "keras.json"), """{"backend": "nope"}""");
        Environment.SetEnvironmentVariable(BackendRegistry.EnvironmentVariable, "cpu");
        Assert.Equal("cpu", BackendRegistry.Resolve(null));
    }

    [Fact]
    public void Resolve_ProgrammaticSetter_WinsOverEverything()
    {
        Environment.SetEnvironmentVariable(BackendRegistry.EnvironmentVariable, "not-a-backend");
        Assert.Equal("cpu", BackendRegistry.Resolve("cpu"));
    }

    [Fact]
    public void Resolve_UnknownEnvironmentBackend_ListsKnownOnes()
    {
        Environment.SetEnvironmentVariable(BackendRegistry.EnvironmentVariable, "foo");
        var e = Assert.Throws<ArgumentException>(() => BackendRegistry.Resolve(null));
        Assert.Contains("Unknown backend \"foo\" (from the KERAS_BACKEND environment variable)", e.Message);
        Assert.Contains("Known backends: cpu", e.Message);
    }

    [Fact]
    public void Resolve_KerasJsonBackend_IsUsed_AndValidated()
    {
        File.WriteAllText(Path.Combine(_home, "keras.json"), """{"floatx": "float32", "backend": "cpu"}""");
        Assert.Equal("cpu", BackendRegistry.Resolve(null));
        File.WriteAllText(Path.Combine(_home, "keras.json"), """{"backend": "quantum"}""");
        var e = Assert.Throws<ArgumentException>(() => BackendRegistry.Resolve(null));
        Assert.Contains("keras.json", e.Message);
    }

    [Fact]
    public void Resolve_PythonKerasJson_FallsBackToCpu_WithANotice()
    {
        File.WriteAllText(Path.Combine(_home, "keras.json"), """{"backend": "tensorflow"}""");
        var notices = new StringWriter();
        Assert.Equal("cpu", BackendRegistry.Resolve(null, notices));
        Assert.Contains("tensorflow", notices.ToString());
    }

    [Fact]
    public void Resolve_MalformedKerasJson_IsAClearError()
    {
        File.WriteAllText(Path.Combine(_home, "keras.json"), "{ backend: ");
        var e = Assert.Throws<InvalidDataException>(() => BackendRegistry.Resolve(null));
        Assert.Contains("keras.json is not valid JSON", e.Message);
    }

    [Fact]
    public void Create_CpuSelectorIsAThreadCount_AndUnknownListsNames()
    {
        Assert.IsType<KerasGpu.Backend.Cpu.CpuBackend>(BackendRegistry.Create("cpu")).Dispose();
        using (var one = Assert.IsType<KerasGpu.Backend.Cpu.CpuBackend>(BackendRegistry.Create("cpu:1")))
        {
            Assert.Equal(1, one.MaxThreads);
            Assert.Equal("cpu:1", one.Name);
        }
        foreach (var bad in new[] { "cpu:0", "cpu:x", "cpu:-1", "cpu:1:2" })
            Assert.Contains("thread count", Assert.Throws<ArgumentException>(() => BackendRegistry.Create(bad)).Message);
        var e = Assert.Throws<ArgumentException>(() => BackendRegistry.Create("no-such-backend:0")); // "vulkan" is known once its assembly is referenced
        Assert.Contains("Known backends:", e.Message);
    }

    [Fact]
    public void Register_AddsAProvider_ThatReceivesTheSelector()
    {
        string? seen = null;
        BackendRegistry.Register("test-provider", selector => { seen = selector; return new KerasGpu.Backend.Cpu.CpuBackend(); });
        BackendRegistry.Create("test-provider:gpu:1").Dispose();
        Assert.Equal("gpu:1", seen);
        Assert.Contains("test-provider", BackendRegistry.Names);
    }

    [Fact]
    public void SetBackend_UnknownName_Throws_BeforeAnythingChanges()
    {
        var e = Assert.Throws<ArgumentException>(() => Keras.Config.SetBackend("tpu"));
        Assert.Contains("Unknown backend \"tpu\"", e.Message);
    }
}
