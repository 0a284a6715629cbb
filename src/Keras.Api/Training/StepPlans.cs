using KerasGpu.Backend;

namespace KerasGpu.Training;

/// <summary>The <see cref="StepPlan"/> of each batch size met on one dataset (a full batch and, at the end of a pass,
/// a partial one), created on first use and kept for the whole Fit or Evaluate call.</summary>
internal sealed class StepPlans(IBackend backend, DeviceData data, bool traced) : IDisposable
{
    private readonly Dictionary<int, StepPlan> _plans = [];

    /// <summary>The data the plans gather from.</summary>
    public DeviceData Data { get; } = data;

    /// <summary>The plan for batches of <paramref name="count"/> samples.</summary>
    public StepPlan For(int count)
    {
        if (!_plans.TryGetValue(count, out var plan)) _plans[count] = plan = new StepPlan(backend, Data, count, traced);
        return plan;
    }

    /// <summary>Frees every plan.</summary>
    public void Dispose()
    {
        foreach (var plan in _plans.Values) plan.Dispose();
        _plans.Clear();
    }
}
