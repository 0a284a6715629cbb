using KerasGpu.Utils;

namespace KerasGpu;

public partial class Model
{
    /// <summary>
    /// Prints Keras 3's summary table: layer (type), output shape, param # (and "Connected to" for non-linear
    /// functional models), then total, trainable and non-trainable params with their sizes, and optimizer params
    /// once the optimizer has been built.
    /// </summary>
    /// <param name="lineLength">Total width; Keras' default (88, or 108 with connections) when null.</param>
    /// <param name="printFn">Where each line goes; the console by default.</param>
    public void Summary(int? lineLength = null, Action<string>? printFn = null)
    {
        string text = SummaryText(lineLength);
        if (printFn is null) Console.Write(text);
        else foreach (var line in text.TrimEnd('\n').Split('\n')) printFn(line);
    }

    /// <summary>The text <see cref="Summary"/> prints.</summary>
    public string SummaryText(int? lineLength = null)
    {
        var rows = SummaryRows().ToList();
        bool sequentialLike = IsSequentialLike;
        if (sequentialLike) rows = [.. rows.Select(r => r with { ConnectedTo = null })];
        long trainable = TrainableWeights.Sum(w => w.Value.Size), nonTrainable = NonTrainableWeights.Sum(w => w.Value.Size);
        long? optimizerParams = Optimizer is { Built: true } o ? o.CountParams() : null;
        long? optimizerBytes = Optimizer is { Built: true } opt ? opt.CountParamBytes() : null;
        return SummaryTable.Render(Name, rows, sequentialLike, trainable + nonTrainable, trainable, nonTrainable,
            optimizerParams, lineLength, trainableBytes: trainable * 4, nonTrainableBytes: nonTrainable * 4,
            optimizerBytes: optimizerBytes);
    }
}
