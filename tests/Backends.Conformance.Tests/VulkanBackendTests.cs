using System.Security.Cryptography;
using KerasGpu.Backend;
using KerasGpu.Backend.Cpu;
using KerasGpu.Backends.Vulkan;

namespace KerasGpu.Conformance;

/// <summary>Vulkan-specific checks beyond the shared suite: the committed SPIR-V matches its sources, the windowed paths
/// for buffers larger than one storage binding, both MatMul shaders, device naming. Validation is on throughout.</summary>
public sealed class VulkanBackendTests : IClassFixture<VulkanBackendFixture>, IDisposable
{
    private readonly VulkanBackendFixture _fixture;

    public VulkanBackendTests(VulkanBackendFixture fixture) => _fixture = fixture;

    public void Dispose() => _fixture.AssertNoValidationMessages();

    private static string ShaderDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shaders");
            if (File.Exists(Path.Combine(candidate, "spirv", "manifest.txt"))) return candidate;
        }
        throw new DirectoryNotFoundException("shaders/spirv/manifest.txt was not found above the test's folder.");
    }

    [Fact]
    public void CommittedSpirv_WasBuiltFromTheCurrentShaderSources()
    {
        string dir = ShaderDirectory();
        var manifest = File.ReadAllLines(Path.Combine(dir, "spirv", "manifest.txt"))
            .Select(l => l.Split(' ', 2)).ToDictionary(p => p[1].Trim(), p => p[0], StringComparer.Ordinal);
        var sources = Directory.GetFiles(dir, "*.comp").Select(f => Path.GetFileName(f))
            .Concat(Directory.GetFiles(Path.Combine(dir, "include"), "*.glsl").Select(f => "include/" + Path.GetFileName(f))).ToList();
        var stale = new List<string>();
        foreach (string source in sources)
        {
            string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, source))));
            if (!manifest.TryGetValue(source, out var recorded) || !string.Equals(recorded, hash, StringComparison.OrdinalIgnoreCase))
                stale.Add(source);
        }
        Assert.True(stale.Count == 0, "Shader sources changed without rebuilding shaders/spirv (build with glslc on PATH, " +
            "then commit shaders/spirv): " + string.Join(", ", stale));
        Assert.Equal(sources.Count, manifest.Count);
        foreach (string shader in Directory.GetFiles(dir, "*.comp").Select(f => Path.GetFileNameWithoutExtension(f)!))
            Assert.True(File.Exists(Path.Combine(dir, "spirv", shader + ".spv")), $"shaders/spirv/{shader}.spv is missing.");
        // The embedded manifest is the committed one.
        Assert.Equal(manifest.OrderBy(p => p.Key), KerasGpu.Backends.Vulkan.Shaders.Manifest().OrderBy(p => p.Key));
    }

    [Fact]
    public void DeviceName_ShowsDeviceDriverAndSubgroupSize()
    {
        var vulkan = _fixture.Vulkan;
        Assert.Matches(@"^vulkan:\d+$", vulkan.Name);
        Assert.Contains(vulkan.PhysicalDeviceName, vulkan.DeviceName);
        Assert.Contains(vulkan.DriverName, vulkan.DeviceName);
        Assert.Contains($"subgroup size {vulkan.SubgroupSize}", vulkan.DeviceName);
        Assert.True(vulkan.SubgroupSize >= 1);
        Assert.True(vulkan.ValidationEnabled);
        var error = Assert.Throws<ArgumentException>(() => new VulkanBackendFactory().Create("99"));
        Assert.Contains("vulkan:0 =", error.Message);
    }

    /// <summary>The naive shader and the tiled one at three tile shapes (GPU default, lavapipe default, a non-square
    /// register count) agree with the cpu backend on every transpose case, with bias and activation.</summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(70, 65, 33)]
    [InlineData(5, 130, 17)]
    public void NaiveAndTiledMatMul_AgreeOnEveryTransposeCase(int m, int n, int k)
    {
        var vulkan = _fixture.Vulkan;
        using var cpu = new CpuBackend(1);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (naive, tile) in new[] { (true, (16u, 4u)), (false, (16u, 4u)), (false, (4u, 8u)), (false, (8u, 2u)) })
                {
                    var shape = new MatMulShape(m, n, k, ta, tb);
                    float[] a = Inputs.Uniform(m + n, m * k), b = Inputs.Uniform(k + 1, k * n), bias = Inputs.Uniform(7, n);
                    float[] expected = Run(cpu, shape, a, b, bias, null);
                    float[] got = Run(vulkan, shape, a, b, bias, (naive, tile));
                    for (int i = 0; i < expected.Length; i++)
                        Assert.True(Math.Abs(expected[i] - got[i]) <= (k + 3) * Tolerances.Eps * (Math.Abs(expected[i]) + k + 1),
                            $"{shape} naive={naive} tile={tile} [{i}]: {got[i]} vs {expected[i]}");
                }
    }

    private static float[] Run(IBackend backend, MatMulShape shape, float[] a, float[] b, float[] bias, (bool Naive, (uint, uint) Tile)? choice)
    {
        using var d = new DeviceScope(backend);
        var y = d.Upload(new float[shape.M * shape.N]);
        if (choice is { } c && backend is VulkanBackend vk)
            vk.MatMul(d.Upload(a), d.Upload(b), y, shape, d.Upload(bias), ActivationKind.Tanh, false, c.Naive, c.Tile);
        else backend.MatMul(d.Upload(a), d.Upload(b), y, shape, d.Upload(bias), ActivationKind.Tanh);
        return d.Read(y);
    }

    /// <summary>The windowed paths (buffers larger than one storage binding) at an artificial 4 KiB binding limit:
    /// Copy, GatherRows, Fill, RandomUniform, activations, ScaleAdd and Adam split their work and match the cpu backend.</summary>
    [Fact]
    public void SmallBindingLimit_SplitsWork_AndMatchesTheCpuBackend()
    {
        using var small = new VulkanBackend(new VulkanBackendOptions { Validation = true, MaxBindingBytes = 4096 });
        using var cpu = new CpuBackend(1);
        foreach (var backend in new IBackend[] { small })
        {
            CompareWindowed(backend, cpu, n: 10_007, rowLength: 13);
            Assert.Empty(small.ValidationMessages);
        }
    }

    /// <summary>The row-windowed kernels at an artificial 4 KiB binding limit (1024 floats; every operand below spans
    /// several windows): MatMul by row blocks of Y and chunks of k (naive and tiled, every transpose case, with bias,
    /// activation and accumulate), softmax and
    /// its backward, every loss and its backward, accuracy counts, Reduce by outer windows or axis chunks and Binary by windows of its
    /// outermost dimension, each against the float64 reference with the suite's tolerances; validation stays silent. The
    /// cases left unsupported (a non-splittable operand larger than one binding) throw NotSupportedException.</summary>
    [Fact]
    public void SmallBindingLimit_WindowsRowKernels_AndMatchesTheReference()
    {
        using var vk = new VulkanBackend(new VulkanBackendOptions { Validation = true, MaxBindingBytes = 4096 });
        double[] D(float[] x) => Inputs.ToDouble(x);

        // MatMul: blocks of Y's rows and chunks of k (A and Y larger than a binding; then B too; then rows of A longer than
        // a binding), every transpose case; a transposed B whose column block cannot fit is refused.
        var matMulCases = new List<(int M, int N, int K, bool TA, bool TB, bool Naive, bool Accumulate)>();
        foreach (var (m0, n0, k0) in new[] { (100, 20, 30), (8, 40, 100), (50, 3, 700) })
            foreach (bool ta0 in new[] { false, true })
                foreach (bool tb0 in new[] { false, true })
                    foreach (bool naive0 in new[] { false, true })
                        foreach (bool accumulate0 in new[] { false, true })
                            matMulCases.Add((m0, n0, k0, ta0, tb0, naive0, accumulate0));
        foreach (var (m, n, k, ta, tb, naive, accumulate) in matMulCases)
        {
            var shape = new MatMulShape(m, n, k, ta, tb);
            if (tb && (long)(n - 1) * k + 1 > 1024 - vk.AlignElements)
            {
                using var t = new DeviceScope(vk);
                Assert.Throws<NotSupportedException>(() => vk.MatMul(t.Upload(new float[m * k]), t.Upload(new float[k * n]),
                    t.Upload(new float[m * n]), shape, null, ActivationKind.Linear, false));
                continue;
            }
            float[] a = Inputs.Normal(11, m * k), b = Inputs.Normal(12, k * n), bias = Inputs.Normal(13, n), y0 = Inputs.Normal(14, m * n);
            var activation = accumulate ? ActivationKind.Linear : ActivationKind.Tanh;
            using var d = new DeviceScope(vk);
            var y = d.Upload(accumulate ? y0 : new float[m * n]);
            vk.MatMul(d.Upload(a), d.Upload(b), y, shape, d.Upload(bias), activation, accumulate, naive, (8u, 2u));
            double[]? r0 = accumulate ? D(y0) : null;
            Check.Close($"MatMul {shape} naive={naive} accumulate={accumulate}", d.Read(y),
                MatMulRef.Forward(D(a), D(b), shape, D(bias), activation, r0), Tolerances.MatMul(k, activation),
                MatMulRef.Magnitude(D(a), D(b), shape, D(bias), r0));
        }

        // Softmax and its backward: 200 rows of 13.
        {
            const int rows = 200, cols = 13;
            float[] x = Inputs.Normal(21, rows * cols), dy = Inputs.Normal(22, rows * cols);
            using var d = new DeviceScope(vk);
            var y = d.Upload(new float[rows * cols]);
            vk.Softmax(d.Upload(x), y, rows, cols);
            float[] yHost = d.Read(y);
            var (yRef, yMag) = SoftmaxRef.Forward(D(x), rows, cols);
            Check.Close("Softmax", yHost, yRef, Tolerances.Softmax(cols), yMag);
            var dx = d.Upload(new float[rows * cols]);
            vk.SoftmaxBackward(y, d.Upload(dy), dx, rows, cols);
            var (dxRef, dxMag) = SoftmaxRef.Backward(D(yHost), D(dy), rows, cols);
            Check.Close("SoftmaxBackward", d.Read(dx), dxRef, Tolerances.SoftmaxBackward(cols), dxMag);
        }

        // Losses, sparse and dense targets: 200 rows of 13.
        foreach (bool sparse in new[] { true, false })
        {
            const int rows = 200, cols = 13;
            const float eps = 1e-7f;
            float[] z = Inputs.Normal(31, rows * cols), g = Inputs.Normal(32, rows);
            float[] probs = Inputs.Uniform(33, rows * cols, 0.01, 1);
            int[] labels = Inputs.Ints(34, rows, cols);
            float[] soft = Inputs.Uniform(35, rows * cols, 0, 1);
            double[] t = sparse ? LossRef.OneHot(labels, cols) : D(soft);
            var kind = sparse ? TargetKind.SparseIndex : TargetKind.Dense;
            string tag = sparse ? "sparse" : "dense";
            using var d = new DeviceScope(vk);
            var targets = sparse ? d.Upload(labels) : d.Upload(soft);

            var p = d.Upload(new float[rows * cols]);
            var loss = d.Upload(new float[rows]);
            vk.SoftmaxCrossEntropy(d.Upload(z), targets, kind, rows, cols, p, loss);
            float[] pHost = d.Read(p);
            var (pRef, pMag) = SoftmaxRef.Forward(D(z), rows, cols);
            Check.Close($"SoftmaxCrossEntropy probabilities {tag}", pHost, pRef, Tolerances.Softmax(cols), pMag);
            var (lossRef, lossMag) = LossRef.SoftmaxCrossEntropy(D(z), t, rows, cols);
            Check.Close($"SoftmaxCrossEntropy {tag}", d.Read(loss), lossRef, Tolerances.SoftmaxCrossEntropyLoss(cols), lossMag);
            var dz = d.Upload(new float[rows * cols]);
            vk.SoftmaxCrossEntropyBackward(p, targets, kind, d.Upload(g), dz, rows, cols);
            var (dzRef, dzMag) = LossRef.SoftmaxCrossEntropyBackward(D(pHost), t, D(g), rows, cols);
            Check.Close($"SoftmaxCrossEntropyBackward {tag}", d.Read(dz), dzRef, Tolerances.SoftmaxCrossEntropyBackward(cols), dzMag);

            var pr = d.Upload(probs);
            var ce = d.Upload(new float[rows]);
            vk.CrossEntropy(pr, targets, kind, rows, cols, eps, ce);
            var (ceRef, ceMag) = LossRef.CrossEntropy(D(probs), t, rows, cols, eps);
            Check.Close($"CrossEntropy {tag}", d.Read(ce), ceRef, Tolerances.CrossEntropyLoss(cols), ceMag);
            var dp = d.Upload(new float[rows * cols]);
            vk.CrossEntropyBackward(pr, targets, kind, d.Upload(g), dp, rows, cols, eps);
            var (dpRef, dpMag) = LossRef.CrossEntropyBackward(D(probs), t, D(g), rows, cols, eps);
            Check.Close($"CrossEntropyBackward {tag}", d.Read(dp), dpRef, Tolerances.CrossEntropyBackward(cols), dpMag);

            if (sparse) continue;
            var se = d.Upload(new float[rows]);
            vk.SquaredError(d.Upload(z), targets, rows, cols, se);
            Check.Close("SquaredError", d.Read(se), LossRef.SquaredError(D(z), t, rows, cols), Tolerances.SquaredError(cols));
            var dse = d.Upload(new float[rows * cols]);
            vk.SquaredErrorBackward(d.Upload(z), targets, d.Upload(g), dse, rows, cols);
            Check.Close("SquaredErrorBackward", d.Read(dse), LossRef.SquaredErrorBackward(D(z), t, D(g), rows, cols),
                Tolerances.SquaredErrorBackward);
        }

        // Accuracy counts: 300 rows of 13, added to a non-zero accumulator window by window.
        foreach (var kind in new[] { AccuracyKind.SparseCategorical, AccuracyKind.Categorical, AccuracyKind.Binary })
        {
            const int rows = 300, cols = 13;
            float[] p = Inputs.Uniform(41, rows * cols, 0, 1), t = Inputs.Uniform(42, rows * cols, 0, 1);
            if (kind == AccuracyKind.Binary) t = Array.ConvertAll(t, v => v > 0.5f ? 1f : 0f);
            int[] labels = Inputs.Ints(43, rows, cols);
            using var d = new DeviceScope(vk);
            var acc = d.Upload(new float[] { 5 });
            vk.AccuracyCount(kind, d.Upload(p), kind == AccuracyKind.SparseCategorical ? d.Upload(labels) : d.Upload(t), rows, cols, acc);
            double expected = 5 + AccuracyRef.Count(kind, D(p), kind == AccuracyKind.SparseCategorical ? null : D(t),
                kind == AccuracyKind.SparseCategorical ? labels : null, rows, cols);
            Check.Close($"AccuracyCount {kind}", d.Read(acc), [expected], Tolerances.Accuracy(kind, rows, cols));
        }

        // Reduce by windows of outer slices, and (the last three shapes: one slice larger than a binding) by chunks of the
        // axis at unaligned offsets: per-thread and per-workgroup shaders, with and without accumulate.
        foreach (var (outer, axis, inner) in new[] { (50, 40, 3), (3000, 2, 1), (6, 150, 1), (1, 5000, 1), (3, 700, 2), (2, 90, 13) })
            foreach (var op in new[] { ReduceOp.Sum, ReduceOp.Mean, ReduceOp.Max })
                foreach (bool accumulate in new[] { false, true })
                {
                    float[] x = Inputs.Normal(51, outer * axis * inner), y0 = Inputs.Normal(52, outer * inner);
                    using var d = new DeviceScope(vk);
                    var y = d.Upload(accumulate ? y0 : new float[outer * inner]);
                    if (op == ReduceOp.Max && accumulate && outer * axis * inner > 1024 && axis * inner * vk.AlignElements > 1024)
                    {
                        Assert.Throws<NotSupportedException>(() => vk.Reduce(op, d.Upload(x), outer, axis, inner, y, accumulate));
                        continue;
                    }
                    vk.Reduce(op, d.Upload(x), outer, axis, inner, y, accumulate);
                    var (yRef, mag) = ReduceRef.Forward(op, D(x), outer, axis, inner, accumulate ? D(y0) : null);
                    Check.Close($"Reduce {op} {outer}x{axis}x{inner} accumulate={accumulate}", d.Read(y), yRef,
                        accumulate && op == ReduceOp.Max ? new(0, 0, Tolerances.Eps) : Tolerances.Reduce(op, axis), mag);
                }

        // Binary: same shapes, broadcast along leading axes (either operand), and a broadcast in the middle.
        foreach (var (aText, bText, yText) in new[]
        {
            ("100x37", "100x37", "100x37"), ("100x37", "37", "100x37"), ("1x37", "100x37", "100x37"),
            ("100x5x7", "100x1x7", "100x5x7"), ("100x1x7", "1x5x7", "100x5x7"),
        })
            foreach (var op in new[] { BinaryOp.Add, BinaryOp.Divide, BinaryOp.Maximum })
            {
                int[] aShape = Inputs.Shape(aText), bShape = Inputs.Shape(bText), yShape = Inputs.Shape(yText);
                float[] a = Inputs.Normal(61, aShape.Aggregate(1, (x, v) => x * v)), b = Inputs.Normal(62, bShape.Aggregate(1, (x, v) => x * v));
                using var d = new DeviceScope(vk);
                var y = d.Upload(new float[yShape.Aggregate(1, (x, v) => x * v)]);
                vk.Binary(op, d.Upload(a), aShape, d.Upload(b), bShape, y, yShape);
                var (yRef, mag) = ElementwiseRef.Binary(op, D(a), aShape, D(b), bShape, yShape);
                Check.Close($"Binary {op} {aText} {bText}", d.Read(y), yRef, Tolerances.Binary(op), mag);
            }
        Assert.Empty(vk.ValidationMessages);

        // What stays unsupported throws: a row of Y larger than one binding, a transposed B whose column block (k × all of
        // its n rows) exceeds one binding, a Reduce
        // whose inner extent exceeds one binding, a row larger than one binding, a broadcast operand larger than one binding.
        using var s = new DeviceScope(vk);
        Assert.Throws<NotSupportedException>(() => vk.MatMul(s.Upload(new float[2]), s.Upload(new float[2 * 2000]),
            s.Upload(new float[2000]), new MatMulShape(1, 2000, 2, false, false)));
        Assert.Throws<NotSupportedException>(() => vk.MatMul(s.Upload(new float[8 * 2000]), s.Upload(new float[2000 * 2]),
            s.Upload(new float[16]), new MatMulShape(8, 2, 2000, false, true)));
        Assert.Throws<NotSupportedException>(() => vk.Reduce(ReduceOp.Sum, s.Upload(new float[2 * 2 * 1100]), 2, 2, 1100, s.Upload(new float[2 * 1100])));
        Assert.Throws<NotSupportedException>(() => vk.Softmax(s.Upload(new float[2 * 2000]), s.Upload(new float[2 * 2000]), 2, 2000));
        Assert.Throws<NotSupportedException>(() => vk.Binary(BinaryOp.Add, s.Upload(new float[3 * 2000]), [3, 2000],
            s.Upload(new float[2000]), [2000], s.Upload(new float[3 * 2000]), [3, 2000]));
    }

    /// <summary>A tensor larger than lavapipe's 128 MiB maxStorageBufferRange (the full MNIST training set is 188 MB):
    /// 144 MiB copied, gathered, reduced by rows and multiplied by a weight matrix through windows, checked at both ends.</summary>
    [Fact]
    public void TensorLargerThanMaxStorageBufferRange_CopiesAndGathers()
    {
        var vulkan = _fixture.Vulkan;
        const int rowLength = 784, rows = 48_000; // 150.5 MB as float32
        long n = (long)rows * rowLength;
        var host = new float[n];
        for (long i = 0; i < n; i++) host[i] = i % 1_000_003;
        using var d = new DeviceScope(vulkan);
        var x = d.Upload(host);
        var copy = d.Upload(new float[n]);
        vulkan.Copy(x, 0, copy, 0, n);
        var tail = new float[rowLength * 3];
        vulkan.Download<float>(copy, tail, n - tail.Length);
        Assert.Equal(host.AsSpan((int)(n - tail.Length)).ToArray(), tail);
        int[] indices = [rows - 1, 0, rows / 2, rows - 2];
        var y = d.Upload(new float[indices.Length * rowLength]);
        vulkan.GatherRows(x, rowLength, d.Upload(indices), 0, indices.Length, y);
        var got = d.Read(y);
        for (int r = 0; r < indices.Length; r++)
            Assert.Equal(host.AsSpan(indices[r] * rowLength, rowLength).ToArray(), got.AsSpan(r * rowLength, rowLength).ToArray());
        // Row sums through windows of whole rows at the device's own binding limit.
        var sums = d.Upload(new float[rows]);
        vulkan.Reduce(ReduceOp.Sum, x, rows, rowLength, 1, sums);
        var sumsHost = d.Read(sums);
        foreach (int r in indices)
        {
            double expected = 0, magnitude = 0;
            for (int j = 0; j < rowLength; j++) { expected += host[(long)r * rowLength + j]; magnitude += Math.Abs(host[(long)r * rowLength + j]); }
            Check.Close($"Reduce row {r}", [sumsHost[r]], [expected], Tolerances.Reduce(ReduceOp.Sum, rowLength), [magnitude]);
        }
        // A dense layer over the whole set (a full-batch forward pass): Y = X·W by blocks of rows.
        const int units = 10;
        float[] w = Inputs.Normal(7, rowLength * units);
        var yDense = d.Upload(new float[rows * units]);
        vulkan.MatMul(x, d.Upload(w), yDense, new MatMulShape(rows, units, rowLength, false, false));
        var yHost = d.Read(yDense);
        foreach (int r in indices)
            for (int j = 0; j < units; j++)
            {
                double expected = 0, magnitude = 0;
                for (int p = 0; p < rowLength; p++)
                {
                    double term = (double)host[(long)r * rowLength + p] * w[p * units + j];
                    expected += term;
                    magnitude += Math.Abs(term);
                }
                Check.Close($"MatMul row {r} col {j}", [yHost[r * units + j]], [expected], Tolerances.MatMul(rowLength, ActivationKind.Linear), [magnitude]);
            }
    }

    private static void CompareWindowed(IBackend vk, IBackend cpu, int n, int rowLength)
    {
        float[] x = Inputs.Normal(1, n), z = Inputs.Normal(2, n), g = Inputs.Normal(3, n);
        int[] ints = Inputs.Ints(4, n, 1 << 20);
        int rows = n / rowLength;
        int[] indices = Inputs.Ints(5, 300, rows);
        foreach (var (name, run) in new (string, Func<IBackend, float[]>)[]
        {
            ("Copy", b => { using var d = new DeviceScope(b); var y = d.Upload(z); b.Copy(d.Upload(x), 3, y, 5, n - 9); return d.Read(y); }),
            ("Copy int32", b => { using var d = new DeviceScope(b); var y = d.Upload(new int[n]); b.Copy(d.Upload(ints), 1, y, 2, n - 3); return Array.ConvertAll(d.ReadInts(y), v => (float)v); }),
            ("GatherRows", b => { using var d = new DeviceScope(b); var y = d.Upload(new float[200 * rowLength]); b.GatherRows(d.Upload(x), rowLength, d.Upload(indices), 100, 200, y); return d.Read(y); }),
            ("Fill", b => { using var d = new DeviceScope(b); var y = d.Upload(x); b.Fill(y, -0.5f); return d.Read(y); }),
            ("RandomUniform", b => { using var d = new DeviceScope(b); var y = d.Upload(x); b.RandomUniform(y, 99, 1UL << 33, -2f, 3f); return d.Read(y); }),
            ("Tanh", b => { using var d = new DeviceScope(b); var y = d.Upload(z); b.ActivationForward(ActivationKind.Relu, d.Upload(x), y, n - 1); return d.Read(y); }),
            ("ScaleAdd", b => { using var d = new DeviceScope(b); var y = d.Upload(x); b.ScaleAdd(y, 2f, d.Upload(z), 0.5f, y, n); return d.Read(y); }),
            ("Adam", b => { using var d = new DeviceScope(b); var w = d.Upload(x); b.AdamUpdate(w, d.Upload(g), d.Upload(z), d.Upload(new float[n]), null, n, 0.01f, 0.9f, 0.999f, 1e-7f); return d.Read(w); }),
        })
        {
            float[] expected = run(cpu), got = run(vk);
            for (int i = 0; i < n && i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - got[i]) <= 8 * Tolerances.Eps * Math.Abs(expected[i]) || expected[i] == got[i],
                    $"{name} [{i}]: {got[i]} vs {expected[i]}");
        }
    }
}

/// <summary>Life-cycle details that need their own backends: the persisted pipeline cache and the VkResult mapping.</summary>
public sealed class VulkanLifeCycleTests
{
    [Fact]
    public void PipelineCache_IsSavedAtDisposal_AndReloaded()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kerasgpu-vk-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            string? path;
            using (var first = new VulkanBackend(new VulkanBackendOptions { PipelineCacheDirectory = dir }))
            {
                path = first.PipelineCachePath;
                using var y = first.Allocate(DType.Float32, 8);
                first.Fill(y, 1f);
                first.Synchronize();
            }
            Assert.NotNull(path);
            Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"No pipeline cache at {path}.");
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
            using var second = new VulkanBackend(new VulkanBackendOptions { PipelineCacheDirectory = dir });
            using var z = second.Allocate(DType.Float32, 8);
            second.Fill(z, 2f);
            var host = new float[8];
            second.Download<float>(z, host);
            Assert.All(host, v => Assert.Equal(2f, v));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void VkResults_MapToTypedExceptions()
    {
        var lost = Assert.Throws<VulkanDeviceLostException>(() => KerasGpu.Backends.Vulkan.Interop.VulkanDevice.Throw(
            Silk.NET.Vulkan.Result.ErrorDeviceLost, "vkQueueSubmit", 0, "gpu"));
        Assert.Contains("VK_ERROR_DEVICE_LOST", lost.Message);
        var oom = Assert.Throws<VulkanOutOfMemoryException>(() => KerasGpu.Backends.Vulkan.Interop.VulkanDevice.Throw(
            Silk.NET.Vulkan.Result.ErrorOutOfDeviceMemory, "vkAllocateMemory", 3UL << 30, "gpu"));
        Assert.Equal(3UL << 30, oom.RequestedBytes);
        Assert.Contains("3072 MiB", oom.Message);
        Assert.Throws<VulkanException>(() => KerasGpu.Backends.Vulkan.Interop.VulkanDevice.Throw(
            Silk.NET.Vulkan.Result.ErrorInitializationFailed, "vkCreateDevice", 0, null));
        KerasGpu.Backends.Vulkan.Interop.VulkanDevice.Throw(Silk.NET.Vulkan.Result.Incomplete, "vkEnumeratePhysicalDevices", 0, null);
    }

    [Fact]
    public void SizeClasses_RoundUpToPowersOfTwoAndThreeQuarters()
    {
        Assert.Equal(256UL, KerasGpu.Backends.Vulkan.Interop.VulkanDevice.SizeClass(1));
        Assert.Equal(384UL, KerasGpu.Backends.Vulkan.Interop.VulkanDevice.SizeClass(300));
        Assert.Equal(512UL, KerasGpu.Backends.Vulkan.Interop.VulkanDevice.SizeClass(400));
        Assert.Equal(192UL << 20, KerasGpu.Backends.Vulkan.Interop.VulkanDevice.SizeClass(188_160_000));
    }
}

public sealed class VulkanTimingTests
{
    [Fact]
    public void MeasureDeviceTime_TimesTheLaunchedKernels()
    {
        using var vk = new VulkanBackend(new VulkanBackendOptions { Validation = true });
        using var a = vk.Allocate(DType.Float32, 128 * 128);
        using var y = vk.Allocate(DType.Float32, 128 * 128);
        vk.Fill(a, 0.5f);
        var time = vk.MeasureDeviceTime(() => vk.MatMul(a, a, y, new MatMulShape(128, 128, 128)));
        Assert.NotNull(time);
        Assert.True(time.Value > TimeSpan.Zero && time.Value < TimeSpan.FromSeconds(30), $"{time}");
        var host = new float[1];
        vk.Download<float>(y, host);
        Assert.Equal(32f, host[0]);
        Assert.Empty(vk.ValidationMessages);
    }
}

public sealed class VulkanValidationTests
{
    /// <summary>The messenger is live: an invalid descriptor (range 0) is reported, so "no messages" in the suite means something.</summary>
    [Fact]
    public void ValidationLayer_ReportsAnInvalidDescriptor()
    {
        using var vk = new VulkanBackend(new VulkanBackendOptions { Validation = true });
        using var y = vk.Allocate(DType.Float32, 16);
        var device = (KerasGpu.Backends.Vulkan.Interop.VulkanDevice)typeof(VulkanBackend)
            .GetField("_device", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(vk)!;
        var allocation = ((KerasGpu.Backends.Vulkan.VulkanBuffer)y).Allocation;
        var bad = new KerasGpu.Backends.Vulkan.Interop.Binding(allocation, 0, 0);
        device.Dispatch("data", [256, 1, 0], [bad, bad, bad], [0, 0, 0, 0, 0, 0, 0, 0], 1);
        vk.Synchronize();
        Assert.Contains(vk.ValidationMessages, m => m.Contains("range", StringComparison.OrdinalIgnoreCase));
    }
}

[CollectionDefinition("VulkanEnvironment", DisableParallelization = true)]
public sealed class VulkanEnvironmentCollection;

/// <summary>Changes process-wide loader variables (in the native environment the Vulkan loader reads), so it runs alone.</summary>
[Collection("VulkanEnvironment")]
public sealed class VulkanUnavailableTests
{
    // .NET's Environment.SetEnvironmentVariable does not reach the native environment on Unix; the loader reads that one.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setenv", CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "unsetenv", CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
    private static extern int UnsetEnv(string name);

    [Fact]
    public void NoDriver_IsAClearErrorNamingTheDebianPackage()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("Sets the loader's variables through libc.");
        string[] names = ["VK_DRIVER_FILES", "VK_ICD_FILENAMES"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            foreach (string name in names) SetEnv(name, "/nonexistent/no_icd.json", 1);
            var error = Assert.Throws<VulkanUnavailableException>(() => new VulkanBackend(new VulkanBackendOptions { Validation = false }));
            Assert.Contains("mesa-vulkan-drivers", error.Message);
        }
        finally
        {
            foreach (var (name, value) in saved)
                if (value is null) UnsetEnv(name); else SetEnv(name, value, 1);
        }
    }
}
