using BenchmarkDotNet.Attributes;
using KerasGpu.Backend;

namespace KerasGpu.Bench.Primitives;

/// <summary>
/// Softmax and the fused softmax + sparse cross-entropy, forward and backward, on <c>[Length/10, 10]</c> logits
/// (the MNIST classifier's output shape); reports GB/s.
/// </summary>
public class SoftmaxBenchmarks : KernelBenchmark
{
    public const int Classes = 10;
    private IDeviceBuffer _logits = null!, _probabilities = null!, _dy = null!, _dx = null!, _labels = null!, _rowLoss = null!, _rowGrad = null!;

    [ParamsSource(nameof(Lengths))]
    public int Length { get; set; }

    private int Rows => Length / Classes;

    /// <summary>Bytes read + written by one call; labels are int32, row losses float32.</summary>
    public static double Traffic(string method, int length)
    {
        double rows = length / Classes, elements = rows * Classes;
        return 4.0 * method switch
        {
            nameof(Softmax) => 2 * elements,                          // x in, y out
            nameof(SoftmaxBackward) => 3 * elements,                  // y, dy in, dx out
            nameof(SoftmaxCrossEntropy) => 2 * elements + 2 * rows,   // logits + labels in, probabilities + row loss out
            nameof(SoftmaxCrossEntropyBackward) => 2 * elements + 2 * rows, // probabilities + labels + row grad in, dlogits out
            _ => double.NaN,
        };
    }

    [GlobalSetup]
    public void Setup()
    {
        CreateBackend();
        long n = (long)Rows * Classes;
        _logits = Floats(n, -4f, 4f);
        _probabilities = Floats(n, 0f, 1f);
        _dy = Floats(n);
        _dx = Floats(n);
        _labels = Ints(Rows, Classes);
        _rowLoss = Floats(Rows);
        _rowGrad = Floats(Rows, 0f, 1f);
    }

    [Benchmark]
    public void Softmax()
    {
        Run(() => Device.Softmax(_logits, _probabilities, Rows, Classes));
    }

    [Benchmark]
    public void SoftmaxBackward()
    {
        Run(() => Device.SoftmaxBackward(_probabilities, _dy, _dx, Rows, Classes));
    }

    [Benchmark]
    public void SoftmaxCrossEntropy()
    {
        Run(() => Device.SoftmaxCrossEntropy(_logits, _labels, TargetKind.SparseIndex, Rows, Classes, _probabilities, _rowLoss));
    }

    [Benchmark]
    public void SoftmaxCrossEntropyBackward()
    {
        Run(() => Device.SoftmaxCrossEntropyBackward(_probabilities, _labels, TargetKind.SparseIndex, _rowGrad, _dx, Rows, Classes));
    }
}
