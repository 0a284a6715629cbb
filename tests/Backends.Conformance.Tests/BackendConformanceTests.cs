using KerasGpu.Backend;

namespace KerasGpu.Conformance;

/// <summary>
/// The conformance suite: every theory runs one kernel of <typeparamref name="TFixture"/>'s backend in float32 on seeded
/// inputs and compares it with the float64 reference (Reference/) under the bounds in <see cref="Tolerances"/>.
/// One partial file per kernel family; case tables live in <see cref="Cases"/>.
/// </summary>
public abstract partial class BackendConformanceTests<TFixture> : IClassFixture<TFixture>, IDisposable
    where TFixture : BackendFixture
{
    private readonly long _liveAtStart;

    protected BackendConformanceTests(TFixture fixture)
    {
        Backend = fixture.Backend;
        _liveAtStart = Backend.LiveBufferCount;
    }

    protected IBackend Backend { get; }

    /// <summary>Opens the buffer scope of one test, after skipping (with the table's reason) a kernel the backend lacks.</summary>
    private protected DeviceScope Open(string kernel)
    {
        if (KnownGaps.Reason(typeof(TFixture), kernel) is { } reason) Assert.Skip($"{kernel} is a known gap of {Backend.Name}: {reason}");
        return new DeviceScope(Backend);
    }

    /// <summary>Leak check: every buffer a test allocated is back when it ends.</summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        long live = Backend.LiveBufferCount;
        Assert.True(live == _liveAtStart, $"Leak: {Backend.Name} holds {live} live buffers after the test, {_liveAtStart} before it.");
    }
}

/// <summary>Case tables (MemberData) shared by every backend; one partial file per kernel family.</summary>
public static partial class Cases
{
    /// <summary>Elementwise lengths: empty, single, odd, around a 32-wide vector, a few blocks plus a tail.</summary>
    public static readonly int[] Lengths = [0, 1, 3, 31, 32, 33, 257, 6 * 512 + 7];
}
