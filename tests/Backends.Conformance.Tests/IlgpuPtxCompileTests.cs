using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using KerasGpu.Backends.Ilgpu.Kernels;

namespace KerasGpu.Conformance;

/// <summary>
/// Compiles the math kernels to PTX on the host (ILGPU's PTX backend needs no GPU; assembling needs the driver, which CI
/// lacks), with the ILGPU.Algorithms intrinsics the backend enables. Catches what the CPU accelerator cannot: code ILGPU
/// cannot lower for a GPU, and approximate hardware math (<c>sin.approx</c>, <c>ex2.approx</c>, <c>lg2.approx</c>,
/// <c>tanh.approx</c>) in kernels whose float32 results must match the CPU backend's to an ulp.
/// </summary>
public sealed class IlgpuPtxCompileTests
{
    private static string CompileToPtx(MethodInfo kernel)
    {
        using var context = Context.Create(builder => builder.Cuda().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(new CudaArchitecture(7, 5)), new CudaArchitecture(7, 5),
            new CudaInstructionSet(7, 8), nvvmAPI: null);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, default(KernelSpecialization));
        return compiled.PTXAssembly;
    }

    private static MethodInfo Kernel(Type type, string name, Type? generic = null)
    {
        var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        return generic is null ? method : method.MakeGenericMethod(generic);
    }

    public static TheoryData<string, string> Kernels => new()
    {
        { nameof(MathKernels), nameof(MathKernels.Unary) }, { nameof(MathKernels), nameof(MathKernels.Where) },
        { nameof(MathKernels), nameof(MathKernels.IntToFloat) }, { nameof(MathKernels), nameof(MathKernels.FloatToInt) },
        { nameof(MathKernels), nameof(MathKernels.CopyStrided) }, { nameof(MathKernels), nameof(MathKernels.Permute) },
        { nameof(ElementwiseKernels), nameof(ElementwiseKernels.Binary) }, { nameof(ElementwiseKernels), nameof(ElementwiseKernels.Reduce) },
        { nameof(ElementwiseKernels), nameof(ElementwiseKernels.ActivationForward) },
    };

    [Theory, MemberData(nameof(Kernels))]
    public void Kernel_CompilesToPtx_WithoutApproximateMath(string type, string name)
    {
        var owner = type == nameof(MathKernels) ? typeof(MathKernels) : typeof(ElementwiseKernels);
        bool generic = name is nameof(MathKernels.CopyStrided) or nameof(MathKernels.Permute);
        string ptx = CompileToPtx(Kernel(owner, name, generic ? typeof(float) : null));
        Assert.Contains(".entry", ptx, StringComparison.Ordinal);
        var approximate = Regex.Matches(ptx, @"\b(sin|cos|ex2|lg2|tanh|rcp|sqrt|div)\.approx\.[a-z0-9.]+").Select(m => m.Value).Distinct().ToArray();
        Assert.True(approximate.Length == 0, $"{type}.{name} uses approximate instructions: {string.Join(", ", approximate)}");
    }
}
