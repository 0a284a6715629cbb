// The classic Keras MNIST program (keras.io functional-API guide) in C#: build, compile, fit, evaluate, predict.
// Usage: dotnet run --project examples/Mnist [-- --epochs N] [--backend NAME] [--seed N]
using System.Globalization;
using KerasGpu;
using KerasGpu.Layers;
using KerasGpu.Losses;
using KerasGpu.Optimizers;

int epochs = 2;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], out int e) && e >= 0:
            epochs = e;
            i++;
            break;
        case "--backend" when i + 1 < args.Length:
            Keras.Config.SetBackend(args[++i]); // same as KERAS_BACKEND
            break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out int seed):
            Keras.Utils.SetRandomSeed(seed); // same initial weights and shuffles on every backend
            i++;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument \"{args[i]}\". Usage: Mnist [--epochs N] [--backend NAME] [--seed N]");
            return 2;
    }
}
Console.WriteLine($"Backend: {Keras.Config.Backend} ({Keras.Config.CurrentBackend.DeviceName})");

var model = new Sequential(name: "mnist_model");
model.Add(Keras.Input(shape: [784]));
model.Add(new Dense(64, activation: "relu"));
model.Add(new Dense(10));

model.Compile(
    loss: new SparseCategoricalCrossentropy(fromLogits: true),
    optimizer: new RMSprop(),
    metrics: ["accuracy"]);

var ((xTrain, yTrain), (xTest, yTest)) = Datasets.Mnist.LoadData();
xTrain = xTrain.Reshape(-1, 784).AsType<float>() / 255f;
xTest = xTest.Reshape(-1, 784).AsType<float>() / 255f;

var history = model.Fit(xTrain, yTrain, batchSize: 64, epochs: epochs, validationSplit: 0.2);
Console.WriteLine("History:");
Console.WriteLine(history);

var scores = model.Evaluate(xTest, yTest, verbose: 2);
Console.WriteLine($"Test loss: {scores[0].ToString("0.####", CultureInfo.InvariantCulture)}");
Console.WriteLine($"Test accuracy: {scores[1].ToString("0.####", CultureInfo.InvariantCulture)}");

var logits = model.Predict(xTest);
var first = logits[0].ToArray<float>();
int predicted = Array.IndexOf(first, first.Max());
Console.WriteLine($"Logits for the first test digit: [{string.Join(", ", first.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"Predicted digit: {predicted} (label: {yTest.Item<byte>(0)})");

model.Summary();
model.Dispose();
return 0;
