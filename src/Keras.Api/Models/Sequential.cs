using KerasGpu.Layers;

namespace KerasGpu;

/// <summary>
/// A linear stack of layers (Keras' <c>keras.Sequential</c>). Start it with <c>Add(Keras.Input(shape: [...]))</c> to
/// build each layer as it is added; without an Input it is built on the first Fit/Predict from the data's shape.
/// </summary>
public sealed class Sequential : Model
{
    private readonly List<Layer> _layers = [];
    private InputLayer? _input;
    private int?[]? _inputShape;

    /// <summary>Creates a Sequential model, optionally from layers.</summary>
    public Sequential(IEnumerable<Layer>? layers = null, string? name = null) : base(name ?? AutoName("sequential"))
    {
        if (layers is null) return;
        foreach (var layer in layers) Add(layer);
    }

    /// <inheritdoc />
    public override string ClassName => "Sequential";

    /// <summary>The InputLayer added first, if any.</summary>
    internal InputLayer? InputLayer => _input;

    /// <summary>The layers (the InputLayer excluded, as in Keras).</summary>
    public override IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Adds a symbolic input created by <see cref="Keras.Input"/>; it must come first.</summary>
    public void Add(KerasTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Node.Layer is not InputLayer inputLayer)
            throw new ArgumentException($"Only an input from Keras.Input() can be added as a tensor; received {input}.");
        Add(inputLayer);
    }

    /// <summary>Adds a layer on top of the stack, building it when the input shape is known.</summary>
    /// <exception cref="ArgumentException">The layer does not accept the current output shape (nothing is added).</exception>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is InputLayer input)
        {
            if (_input is not null || _layers.Count > 0)
                throw new ArgumentException("An InputLayer can only be added first, to an empty Sequential model.");
            _input = input;
            _inputShape = input.BatchShape;
            return;
        }
        if (_layers.Contains(layer)) throw new ArgumentException($"Layer \"{layer.Name}\" is already in the model.");
        if (_inputShape is not null)
        {
            var shape = OutputShapeAfter(_layers.Count);
            if (!layer.Built) layer.BuildMany([shape]);
            CheckChain(layer, shape);
        }
        _layers.Add(layer);
        Built = _inputShape is not null;
    }

    /// <summary>Removes and returns the last layer.</summary>
    /// <exception cref="InvalidOperationException">There are no layers.</exception>
    public Layer Pop()
    {
        if (_layers.Count == 0) throw new InvalidOperationException("There are no layers in the model.");
        var last = _layers[^1];
        _layers.RemoveAt(_layers.Count - 1);
        return last;
    }

    internal override int?[][]? InputShapes => _inputShape is null ? null : [_inputShape];

    internal override int?[][]? OutputShapes => _inputShape is null ? null : [OutputShapeAfter(_layers.Count)];

    internal override IReadOnlyList<string> OutputNames => [_layers.Count > 0 ? _layers[^1].Name : Name];

    internal override bool IsSequentialLike => true;

    private int?[] OutputShapeAfter(int count)
    {
        var shape = _inputShape!;
        for (int i = 0; i < count; i++) shape = _layers[i].ComputeOutputShape(shape);
        return shape;
    }

    private static void CheckChain(Layer layer, int?[] shape) => layer.CheckInput([.. shape.Select(d => d ?? -1)], 0);

    internal override void EnsureBuilt(IReadOnlyList<int[]> shapes)
    {
        if (_inputShape is not null) return;
        if (shapes.Count != 1) throw new ArgumentException($"A Sequential model takes 1 input; received {shapes.Count}.");
        var shape = shapes[0].Select((d, i) => i == 0 ? (int?)null : d).ToArray();
        foreach (var layer in _layers)
        {
            if (!layer.Built) layer.BuildMany([shape]);
            CheckChain(layer, shape);
            shape = layer.ComputeOutputShape(shape);
        }
        _inputShape = [.. shapes[0].Select((d, i) => i == 0 ? (int?)null : d)];
        Built = true;
    }

    /// <inheritdoc />
    protected internal override void CheckInput(int[] shape, int inputIndex) => CheckInputs([shape]);

    internal override void CheckInputs(IReadOnlyList<int[]> shapes)
    {
        if (shapes.Count != 1) throw new ArgumentException($"A Sequential model takes 1 input; received {shapes.Count}.");
        if (_input is not null) _input.CheckInput(shapes[0], 0);
        else if (_layers.Count > 0 && _layers[0].Built) _layers[0].CheckInput(shapes[0], 0);
    }

    internal override IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        foreach (var layer in _layers) x = layer.CallMany([x], training);
        return [x];
    }

    internal override IEnumerable<Utils.SummaryRow> SummaryRows()
    {
        var shape = _inputShape;
        foreach (var layer in _layers)
        {
            shape = shape is null ? null : layer.ComputeOutputShape(shape);
            yield return new Utils.SummaryRow(layer.Name, layer.ClassName, shape is null ? "?" : Shapes.Format(shape),
                layer.Built ? layer.CountParams() : null);
        }
    }
}
