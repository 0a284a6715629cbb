using System.Reflection;
using KerasGpu.Layers;

namespace KerasGpu;

/// <summary>
/// Keras' <c>clone_model</c>: the same architecture with freshly initialized weights. Functional models are rebuilt by
/// replaying their graph on new inputs with a clone of each layer (a shared layer stays shared); Sequential models by
/// adding clones in order; nested models are cloned recursively.
/// </summary>
internal static class ModelCloning
{
    public static Model Clone(Model model, Func<Layer, Layer>? cloneFunction)
    {
        ArgumentNullException.ThrowIfNull(model);
        var clones = new Dictionary<Layer, Layer>(ReferenceEqualityComparer.Instance);
        Layer CloneOnce(Layer layer)
        {
            if (!clones.TryGetValue(layer, out var clone))
            {
                clone = layer is InputLayer input ? CloneInput(input)
                    : layer is Model inner && cloneFunction is null ? Clone(inner, null)
                    : cloneFunction?.Invoke(layer) ?? CloneLayer(layer);
                clones[layer] = clone;
            }
            return clone;
        }
        return model switch
        {
            Sequential s => CloneSequential(s, CloneOnce),
            _ when model.IsFunctionalModel => CloneFunctional(model, CloneOnce),
            _ => throw new NotSupportedException($"Cannot clone model \"{model.Name}\" of type {model.GetType().Name}: CloneModel clones Sequential and functional models; a subclassed model is cloned by constructing a new instance of its class."),
        };
    }

    private static Model CloneSequential(Sequential model, Func<Layer, Layer> clone)
    {
        var copy = new Sequential(name: model.Name);
        if (model.InputLayer is { } input) copy.Add(clone(input));
        foreach (var layer in model.Layers) copy.Add(clone(layer));
        return copy;
    }

    private static Model CloneFunctional(Model model, Func<Layer, Layer> clone)
    {
        var tensors = new Dictionary<KerasTensor, KerasTensor>(ReferenceEqualityComparer.Instance);
        foreach (var node in model.GraphNodes)
        {
            if (node.Layer is InputLayer)
            {
                tensors[node.Outputs[0]] = ((InputLayer)clone(node.Layer)).Output;
                continue;
            }
            var layer = clone(node.Layer);
            tensors[node.Outputs[0]] = layer.Apply([.. node.Inputs.Select(t => tensors[t])]);
        }
        return new Model([.. model.GraphInputs.Select(t => tensors[t])], [.. model.GraphOutputs.Select(t => tensors[t])], model.Name);
    }

    private static InputLayer CloneInput(InputLayer input) =>
        new([.. input.BatchShape.Skip(1).Select(d => d ?? throw new NotSupportedException($"Cannot clone input \"{input.Name}\" with an unknown dimension."))],
            batchSize: input.BatchShape[0], dtype: input.DType, name: input.Name);

    /// <summary>
    /// Keras' default <c>layer.__class__.from_config(layer.get_config())</c>, by reflection: the public constructor whose
    /// parameters can all be read from public properties of the same name (PascalCase), or take their defaults.
    /// The clone keeps the name and trainable flag and has no weights until it is built.
    /// </summary>
    internal static Layer CloneLayer(Layer layer)
    {
        var type = layer.GetType();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        string? missing = null;
        foreach (var ctor in type.GetConstructors().OrderByDescending(c => c.GetParameters().Length))
        {
            var args = new List<object?>();
            foreach (var p in ctor.GetParameters())
            {
                if (properties.TryGetValue(p.Name!, out var prop) && prop.CanRead && IsAssignable(prop.PropertyType, p.ParameterType))
                    args.Add(prop.GetValue(layer));
                else if (p.HasDefaultValue) args.Add(p.DefaultValue);
                else
                {
                    missing = p.Name;
                    args = null;
                    break;
                }
            }
            if (args is null) continue;
            var clone = (Layer)ctor.Invoke([.. args]);
            clone.Trainable = layer.Trainable;
            return clone;
        }
        throw new NotSupportedException($"Cannot clone layer \"{layer.Name}\" ({type.Name}): its constructor parameter \"{missing}\" has no public property of the same name to read it from. Pass a cloneFunction that creates the copy.");
    }

    private static bool IsAssignable(Type from, Type to) =>
        to.IsAssignableFrom(from) || (Nullable.GetUnderlyingType(to) is { } underlying && underlying.IsAssignableFrom(from));
}
