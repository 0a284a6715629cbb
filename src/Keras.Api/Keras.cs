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

        private static readonly AsyncLocal<IBackend?> s_scoped = new();

        /// <summary>
        /// The backend every new tensor and weight goes to: the innermost <see cref="UseBackend"/> scope's on this
        /// async flow, else the process-wide one (created on first use from SetBackend / KERAS_BACKEND / keras.json).
        /// </summary>
        public static IBackend CurrentBackend
        {
            get
            {
                if (s_scoped.Value is { } scoped) return scoped;
                lock (s_lock) return s_backend ??= BackendRegistry.Create(BackendRegistry.Resolve(s_requested));
            }
        }

        /// <summary>
        /// Runs the code of a scope on <paramref name="backend"/> (like a device scope): models built and trained inside
        /// use it. Dispose the returned handle to restore the previous backend; the caller still owns the backend.
        /// </summary>
        public static IDisposable UseBackend(IBackend backend)
        {
            ArgumentNullException.ThrowIfNull(backend);
            var previous = s_scoped.Value;
            s_scoped.Value = backend;
            return new BackendScope(previous);
        }

        private sealed class BackendScope(IBackend? previous) : IDisposable
        {
            private bool _disposed;

            public void Dispose()
            {
                if (_disposed) return;
                _disposed = true;
                s_scoped.Value = previous;
            }
        }

        /// <summary>Keras' fuzz factor, <c>keras.config.epsilon()</c> = 1e-7.</summary>
        public static float Epsilon { get; set; } = 1e-7f;
    }

    /// <summary>Model functions, like <c>keras.models</c>.</summary>
    public static class Models
    {
        /// <summary>
        /// Keras' <c>keras.models.clone_model</c>: a new model with the same architecture (layer types, configuration
        /// and names, the same graph) and freshly initialized weights. Works for Sequential and functional models (nested
        /// models are cloned too); shared layers stay shared in the clone.
        /// </summary>
        /// <param name="model">The model to clone.</param>
        /// <param name="cloneFunction">Creates the copy of each layer (InputLayers excepted); by default a new instance
        /// of the layer's class built from its public configuration properties.</param>
        /// <exception cref="NotSupportedException">A subclassed model, or a layer the default cloning cannot rebuild.</exception>
        public static Model CloneModel(Model model, Func<Layer, Layer>? cloneFunction = null) => ModelCloning.Clone(model, cloneFunction);
    }

    /// <summary>Utilities, like <c>keras.utils</c>.</summary>
    public static class Utils
    {
        /// <summary>Seeds every random choice KerasGpu makes (initializers, shuffling), so a run is reproducible on a
        /// given backend — Keras' <c>keras.utils.set_random_seed</c>.</summary>
        public static void SetRandomSeed(int seed) => RandomState.Seed((ulong)(uint)seed);
    }
}
