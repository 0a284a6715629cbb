namespace KerasGpu.Backend.Cpu;

/// <summary>
/// Scratch arrays owned by one backend (packed GEMM panels, padded copies, reduction accumulators), rented and returned
/// around each use. After warm-up every rent is served from the free list, so kernels allocate nothing; the list only
/// grows to the most arrays ever in use at once (one per thread per kernel that needs scratch).
/// </summary>
internal sealed class CpuScratch
{
    private readonly List<float[]> _free = [];
    private readonly Lock _lock = new();

    /// <summary>An array of at least <paramref name="length"/> floats, with unspecified contents.</summary>
    public float[] Rent(int length)
    {
        lock (_lock)
        {
            // The smallest free array that fits, so that a small rent does not take the big GEMM panel.
            int best = -1;
            for (int i = 0; i < _free.Count; i++)
                if (_free[i].Length >= length && (best < 0 || _free[i].Length < _free[best].Length)) best = i;
            if (best >= 0)
            {
                float[] found = _free[best];
                _free.RemoveAt(best);
                return found;
            }
        }
        return GC.AllocateUninitializedArray<float>(Math.Max(length, 64));
    }

    /// <summary>Gives back an array from <see cref="Rent"/>.</summary>
    public void Return(float[] array)
    {
        lock (_lock) _free.Add(array);
    }

    /// <summary>Drops every free array (the backend is being disposed).</summary>
    public void Clear()
    {
        lock (_lock) _free.Clear();
    }
}
