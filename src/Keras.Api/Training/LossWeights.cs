using System.Collections;

namespace KerasGpu.Training;

/// <summary>
/// The <c>loss_weights</c> argument of <see cref="Model.Compile"/>: one coefficient for every loss (<c>lossWeights: 0.5</c>),
/// a list by output position (<c>lossWeights: [1.0, 0.2]</c>) or a dictionary by output name
/// (<c>lossWeights: new() { ["value"] = 0.2 }</c>). The minimized loss is the weighted sum of the outputs' losses.
/// </summary>
public sealed class LossWeights : IEnumerable<double>
{
    private readonly List<double> _list = [];
    private readonly Dictionary<string, double> _byName = [];

    /// <summary>An empty specification, to fill as a list (<see cref="Add"/>) or a dictionary (the indexer).</summary>
    public LossWeights() { }

    private LossWeights(double single) => Single = single;

    /// <summary>The coefficient of every loss, when given as one number.</summary>
    public double? Single { get; }

    /// <summary>The coefficients by output position.</summary>
    public IReadOnlyList<double> ByPosition => _list;

    /// <summary>The coefficients by output name.</summary>
    public IReadOnlyDictionary<string, double> ByName => _byName;

    /// <summary>Appends the coefficient of the next output (list form).</summary>
    /// <exception cref="InvalidOperationException">The specification is already one number or a dictionary.</exception>
    public void Add(double weight)
    {
        if (Single is not null || _byName.Count > 0) throw new InvalidOperationException("Loss weights are either one number, a list or a dictionary; these are not a list.");
        _list.Add(weight);
    }

    /// <summary>The coefficient of the output named <paramref name="outputName"/> (dictionary form).</summary>
    /// <exception cref="InvalidOperationException">Setting: the specification is already one number or a list.</exception>
    public double this[string outputName]
    {
        get => _byName[outputName];
        set
        {
            ArgumentNullException.ThrowIfNull(outputName);
            if (Single is not null || _list.Count > 0) throw new InvalidOperationException("Loss weights are either one number, a list or a dictionary; these are not a dictionary.");
            _byName[outputName] = value;
        }
    }

    /// <summary>One coefficient for every loss.</summary>
    public static implicit operator LossWeights(double weight) => new(weight);

    /// <summary>Coefficients by output position.</summary>
    public static implicit operator LossWeights?(double[]? weights)
    {
        if (weights is null) return null;
        var spec = new LossWeights();
        foreach (var w in weights) spec.Add(w);
        return spec;
    }

    /// <summary>Coefficients by output name.</summary>
    public static implicit operator LossWeights?(Dictionary<string, double>? weights)
    {
        if (weights is null) return null;
        var spec = new LossWeights();
        foreach (var (k, v) in weights) spec[k] = v;
        return spec;
    }

    /// <summary>How many coefficients were given.</summary>
    public int Count => Single is not null ? 1 : _byName.Count > 0 ? _byName.Count : _list.Count;

    /// <inheritdoc />
    public IEnumerator<double> GetEnumerator() => (Single is double s ? new List<double> { s } : _byName.Count > 0 ? [.. _byName.Values] : _list).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
