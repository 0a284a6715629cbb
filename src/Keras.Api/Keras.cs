using KerasGpu.Backend;
using KerasGpu.Layers;

namespace KerasGpu;

/// <summary>Top-level Keras functions: <c>keras.Input</c>, <c>keras.config</c> and <c>keras.utils</c>.</summary>
public static class Keras
{
    /// <summary>
    /// Creates a symbolic input (Keras' <c>keras.Input</c>): the start of a functional model, or the first thing
    /// added to a <see cref="Sequential"/>. <paramref name="shape"/> excludes the batch dimension.
    /// </summary>
    public static KerasTensor Input(int[] shape, string? name = null, DType dtype = DType.Float32, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new InputLayer(shape, name: name, dtype: dtype, batchSize: batchSize).Output;
    }

    /// <summary>Global settings, like <c>keras.config</c>.</summary>
    public static class Config
    {
        private static readonly Lock s_lock = new();
        private static string? s_requested;
        private static IBackend? s_backend;

        /// <summary>
        /// Chooses the backend by name (<c>"cpu"</c>, later <c>"ilgpu"</c>, <c>"vulkan:1"</c>, ...) before its first use.
        /// Overrides <c>KERAS_BACKEND</c> and keras.json, like <c>keras.config.set_backend</c>.
        /// </summary>
        /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones).</exception>
        /// <exception cref="InvalidOperationException">Another backend is already in use.</exception>
        public static void SetBackend(string name)
        {
            BackendRegistry.Validate(name);
            lock (s_lock)
            {
                if (s_backend is not null && s_backend.Name != name)
                    throw new InvalidOperationException($"The backend \"{s_backend.Name}\" is already in use; SetBackend(\"{name}\") must be called before the first tensor is created.");
                s_requested = name;
            }
        }

        /// <summary>The name of the backend in use (creating it if needed), e.g. <c>"cpu"</c>.</summary>
        public static string Backend => CurrentBackend.Name;

        /// <summary>The backend every new tensor and weight goes to; created on first use.</summary>
        public static IBackend CurrentBackend
        {
            get
            {
                if (s_testBackend.Value is { } testBackend) return testBackend;
                lock (s_lock) return s_backend ??= BackendRegistry.Create(BackendRegistry.Resolve(s_requested));
            }
        }

        /// <summary>
        /// Test-only seam: within the calling async flow, <see cref="CurrentBackend"/> is <paramref name="backend"/> until
        /// the returned scope is disposed (an <see cref="AsyncLocal{T}"/>, so tests running in parallel keep theirs). The
        /// caller keeps ownership of <paramref name="backend"/>.
        /// </summary>
        internal static IDisposable UseBackendForTests(IBackend backend)
        {
            ArgumentNullException.ThrowIfNull(backend);
            var previous = s_testBackend.Value;
            s_testBackend.Value = backend;
            return new BackendRestorer(previous);
        }

        private static readonly AsyncLocal<IBackend?> s_testBackend = new();

        private sealed class BackendRestorer(IBackend? previous) : IDisposable
        {
            public void Dispose() => s_testBackend.Value = previous;
        }

        /// <summary>Keras' fuzz factor, <c>keras.config.epsilon()</c> = 1e-7.</summary>
        public static float Epsilon { get; set; } = 1e-7f;
    }

    /// <summary>Utilities, like <c>keras.utils</c>.</summary>
    public static class Utils
    {
        /// <summary>Seeds every random choice KerasGpu makes (initializers, shuffling), so a run is reproducible on a
        /// given backend — Keras' <c>keras.utils.set_random_seed</c>.</summary>
        public static void SetRandomSeed(int seed) => RandomState.Seed((ulong)(uint)seed);
    }
}
