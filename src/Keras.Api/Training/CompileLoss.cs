using System.Collections;
using KerasGpu.Losses;

namespace KerasGpu.Training;

/// <summary>
/// The <c>loss</c> argument of <see cref="Model.Compile"/>, in Keras' three forms: one loss for every output
/// (<c>loss: "mse"</c>), a list by output position (<c>loss: ["sparse_categorical_crossentropy", "mse"]</c>, null for an
/// output without loss) or a dictionary by output name (<c>loss: new() { ["class"] = "sparse_categorical_crossentropy" }</c>).
/// </summary>
public sealed class CompileLoss : IEnumerable<Loss?>
{
    private readonly List<Loss?> _list = [];
    private readonly Dictionary<string, Loss?> _byName = [];

    /// <summary>An empty specification, to fill as a list (<see cref="Add"/>) or a dictionary (the indexer).</summary>
    public CompileLoss() { }

    private CompileLoss(Loss single) => Single = single;

    /// <summary>The loss for every output, when given as one loss.</summary>
    public Loss? Single { get; }

    /// <summary>The losses by output position, when given as a list.</summary>
    public IReadOnlyList<Loss?> ByPosition => _list;

    /// <summary>The losses by output name, when given as a dictionary (in insertion order).</summary>
    public IReadOnlyDictionary<string, Loss?> ByName => _byName;

    /// <summary>Appends the loss of the next output (list form).</summary>
    /// <exception cref="InvalidOperationException">The specification is already a single loss or a dictionary.</exception>
    public void Add(Loss? loss)
    {
        if (Single is not null || _byName.Count > 0) throw new InvalidOperationException("A loss specification is either one loss, a list or a dictionary; this one is not a list.");
        _list.Add(loss);
    }

    /// <summary>The loss of the output named <paramref name="outputName"/> (dictionary form).</summary>
    /// <exception cref="InvalidOperationException">Setting: the specification is already a single loss or a list.</exception>
    public Loss? this[string outputName]
    {
        get => _byName[outputName];
        set
        {
            ArgumentNullException.ThrowIfNull(outputName);
            if (Single is not null || _list.Count > 0) throw new InvalidOperationException("A loss specification is either one loss, a list or a dictionary; this one is not a dictionary.");
            _byName[outputName] = value;
        }
    }

    /// <summary>One loss for every output.</summary>
    public static implicit operator CompileLoss?(Loss? loss) => loss is null ? null : new(loss);

    /// <summary>One loss, by Keras name, for every output.</summary>
    public static implicit operator CompileLoss?(string? name) => name is null ? null : new(Loss.Get(name));

    /// <summary>Losses by output position.</summary>
    public static implicit operator CompileLoss?(Loss?[]? losses)
    {
        if (losses is null) return null;
        var spec = new CompileLoss();
        foreach (var l in losses) spec.Add(l);
        return spec;
    }

    /// <summary>Losses by output name.</summary>
    public static implicit operator CompileLoss?(Dictionary<string, Loss?>? losses)
    {
        if (losses is null) return null;
        var spec = new CompileLoss();
        foreach (var (k, v) in losses) spec[k] = v;
        return spec;
    }

    /// <inheritdoc />
    public IEnumerator<Loss?> GetEnumerator() => (Single is not null ? new List<Loss?> { Single } : _byName.Count > 0 ? [.. _byName.Values] : _list).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Python's repr of the specification, for error messages.</summary>
    public override string ToString() =>
        Single is not null ? Single.Name
        : _byName.Count > 0 ? $"{{{string.Join(", ", _byName.Select(p => $"'{p.Key}': {p.Value?.Name ?? "None"}"))}}}"
        : $"[{string.Join(", ", _list.Select(l => l?.Name ?? "None"))}]";
}
