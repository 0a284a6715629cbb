using KerasGpu.Utils;

namespace Keras.Tests.Utils;

/// <summary>
/// Exact-text tests of <see cref="SummaryTable"/>. Expected outputs are real Keras 3 <c>model.summary()</c> prints
/// copied from keras-io guides and notebooks, or (marked "generated") the output of Keras' print_summary logic
/// rendered by rich 13.3.1, which reproduces every real example here byte for byte.
/// </summary>
public class SummaryTableTests
{
    /// <summary>Source: keras-io guides/functional_api (Keras 3): mnist_model.</summary>
    [Fact]
    public void MnistModel_FunctionalGuide()
    {
        SummaryRow[] rows =
        [
            new("input_layer_5", "InputLayer", "(None, 784)", 0),
            new("dense_10", "Dense", "(None, 64)", 50240),
            new("dense_11", "Dense", "(None, 64)", 4160),
            new("dense_12", "Dense", "(None, 10)", 650),
        ];
        const string expected = """
Model: "mnist_model"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ input_layer_5 (InputLayer)           │ (None, 784)                 │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_10 (Dense)                     │ (None, 64)                  │          50,240 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_11 (Dense)                     │ (None, 64)                  │           4,160 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_12 (Dense)                     │ (None, 10)                  │             650 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 55,050 (215.04 KB)
 Trainable params: 55,050 (215.04 KB)
 Non-trainable params: 0 (0.00 B)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("mnist_model", rows, sequentialLike: true, totalParams: 55050, trainableParams: 55050, nonTrainableParams: 0));
    }

    /// <summary>Source: keras-io guides/functional_api (Keras 3): encoder, 76 columns (terminal 80 - 4).</summary>
    [Fact]
    public void Encoder_WrapsGlobalMaxPooling2D_Width76()
    {
        SummaryRow[] rows =
        [
            new("img", "InputLayer", "(None, 28, 28, 1)", 0),
            new("conv2d", "Conv2D", "(None, 26, 26, 16)", 160),
            new("conv2d_1", "Conv2D", "(None, 24, 24, 32)", 4640),
            new("max_pooling2d", "MaxPooling2D", "(None, 8, 8, 32)", 0),
            new("conv2d_2", "Conv2D", "(None, 6, 6, 32)", 9248),
            new("conv2d_3", "Conv2D", "(None, 4, 4, 16)", 4624),
            new("global_max_pooling2d", "GlobalMaxPooling2D", "(None, 16)", 0),
        ];
        const string expected = """
Model: "encoder"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ img (InputLayer)                │ (None, 28, 28, 1)      │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d (Conv2D)                 │ (None, 26, 26, 16)     │           160 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (None, 24, 24, 32)     │         4,640 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d (MaxPooling2D)    │ (None, 8, 8, 32)       │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_2 (Conv2D)               │ (None, 6, 6, 32)       │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_3 (Conv2D)               │ (None, 4, 4, 16)       │         4,624 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ global_max_pooling2d            │ (None, 16)             │             0 │
│ (GlobalMaxPooling2D)            │                        │               │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 18,672 (72.94 KB)
 Trainable params: 18,672 (72.94 KB)
 Non-trainable params: 0 (0.00 B)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("encoder", rows, sequentialLike: true, totalParams: 18672, trainableParams: 18672, nonTrainableParams: 0, lineLength: 76));
    }

    /// <summary>Source: keras-io guides/functional_api (Keras 3): decoder.</summary>
    [Fact]
    public void Decoder_WrapsConv2DTranspose_Width76()
    {
        SummaryRow[] rows =
        [
            new("encoded_img", "InputLayer", "(None, 16)", 0),
            new("reshape_1", "Reshape", "(None, 4, 4, 1)", 0),
            new("conv2d_transpose_4", "Conv2DTranspose", "(None, 6, 6, 16)", 160),
            new("conv2d_transpose_5", "Conv2DTranspose", "(None, 8, 8, 32)", 4640),
            new("up_sampling2d_1", "UpSampling2D", "(None, 24, 24, 32)", 0),
            new("conv2d_transpose_6", "Conv2DTranspose", "(None, 26, 26, 16)", 4624),
            new("conv2d_transpose_7", "Conv2DTranspose", "(None, 28, 28, 1)", 145),
        ];
        const string expected = """
Model: "decoder"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ encoded_img (InputLayer)        │ (None, 16)             │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ reshape_1 (Reshape)             │ (None, 4, 4, 1)        │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_transpose_4              │ (None, 6, 6, 16)       │           160 │
│ (Conv2DTranspose)               │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_transpose_5              │ (None, 8, 8, 32)       │         4,640 │
│ (Conv2DTranspose)               │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ up_sampling2d_1 (UpSampling2D)  │ (None, 24, 24, 32)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_transpose_6              │ (None, 26, 26, 16)     │         4,624 │
│ (Conv2DTranspose)               │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_transpose_7              │ (None, 28, 28, 1)      │           145 │
│ (Conv2DTranspose)               │                        │               │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 9,569 (37.38 KB)
 Trainable params: 9,569 (37.38 KB)
 Non-trainable params: 0 (0.00 B)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("decoder", rows, sequentialLike: true, totalParams: 9569, trainableParams: 9569, nonTrainableParams: 0, lineLength: 76));
    }

    /// <summary>Source: keras-io guides/functional_api (Keras 3): toy_resnet, non-sequential with Connected to.</summary>
    [Fact]
    public void ToyResNet_ConnectedTo_EllipsisCrop_Width76()
    {
        SummaryRow[] rows =
        [
            new("img", "InputLayer", "(None, 32, 32, 3)", 0, ConnectedTo: null),
            new("conv2d_8", "Conv2D", "(None, 30, 30, 32)", 896, ConnectedTo: ["img[0][0]"]),
            new("conv2d_9", "Conv2D", "(None, 28, 28, 64)", 18496, ConnectedTo: ["conv2d_8[0][0]"]),
            new("max_pooling2d_2", "MaxPooling2D", "(None, 9, 9, 64)", 0, ConnectedTo: ["conv2d_9[0][0]"]),
            new("conv2d_10", "Conv2D", "(None, 9, 9, 64)", 36928, ConnectedTo: ["max_pooling2d_2[0][0]"]),
            new("conv2d_11", "Conv2D", "(None, 9, 9, 64)", 36928, ConnectedTo: ["conv2d_10[0][0]"]),
            new("add", "Add", "(None, 9, 9, 64)", 0, ConnectedTo: ["conv2d_11[0][0]", "max_pooling2d_2[0][0]"]),
            new("conv2d_12", "Conv2D", "(None, 9, 9, 64)", 36928, ConnectedTo: ["add[0][0]"]),
            new("conv2d_13", "Conv2D", "(None, 9, 9, 64)", 36928, ConnectedTo: ["conv2d_12[0][0]"]),
            new("add_1", "Add", "(None, 9, 9, 64)", 0, ConnectedTo: ["conv2d_13[0][0]", "add[0][0]"]),
            new("conv2d_14", "Conv2D", "(None, 7, 7, 64)", 36928, ConnectedTo: ["add_1[0][0]"]),
            new("global_average_pooling2d", "GlobalAveragePooling2D", "(None, 64)", 0, ConnectedTo: ["conv2d_14[0][0]"]),
            new("dense_6", "Dense", "(None, 256)", 16640, ConnectedTo: ["global_average_pooling2d[0][0]"]),
            new("dropout", "Dropout", "(None, 256)", 0, ConnectedTo: ["dense_6[0][0]"]),
            new("dense_7", "Dense", "(None, 10)", 2570, ConnectedTo: ["dropout[0][0]"]),
        ];
        string expected = KerasGpu.Tests.Utils.KerasIoOutputs.ToyResnetSummary[..^1];
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("toy_resnet", rows, sequentialLike: false, totalParams: 223242, trainableParams: 223242, nonTrainableParams: 0, lineLength: 76));
    }

    /// <summary>Source: keras-io guides/sequential_model (Keras 3, Korean mirror): unbuilt sequential_1.</summary>
    [Fact]
    public void Unbuilt_Sequential()
    {
        SummaryRow[] rows =
        [
            new("dense_1", "Dense", "?", null),
            new("dense_2", "Dense", "?", null),
        ];
        const string expected = """
Model: "sequential_1"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ dense_1 (Dense)                      │ ?                           │     0 (unbuilt) │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_2 (Dense)                      │ ?                           │     0 (unbuilt) │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("sequential_1", rows, sequentialLike: true, totalParams: 0, trainableParams: 0, nonTrainableParams: 0));
    }

    /// <summary>Source: Keras 3 notebook output: Optimizer params line, total includes optimizer variables.</summary>
    [Fact]
    public void OptimizerParams_IncludedInTotal()
    {
        SummaryRow[] rows =
        [
            new("dense", "Dense", "(None, 64)", 50240),
            new("dense_1", "Dense", "(None, 10)", 650),
        ];
        const string expected = """
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 64)             │        50,240 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 152,672 (596.38 KB)
 Trainable params: 50,890 (198.79 KB)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 101,782 (397.59 KB)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("sequential", rows, sequentialLike: true, totalParams: 50890, trainableParams: 50890, nonTrainableParams: 0, optimizerParams: 101782, lineLength: 76));
    }

    /// <summary>Source: generated: Keras' print_summary logic rendered by rich 13.3.1.</summary>
    [Fact]
    public void Functional_DefaultWidth108()
    {
        SummaryRow[] rows =
        [
            new("img", "InputLayer", "(None, 32, 32, 3)", 0, ConnectedTo: null),
            new("conv2d_8", "Conv2D", "(None, 30, 30, 32)", 896, ConnectedTo: ["img[0][0]"]),
            new("max_pooling2d_2", "MaxPooling2D", "(None, 9, 9, 64)", 0, ConnectedTo: ["conv2d_9[0][0]"]),
            new("add", "Add", "(None, 9, 9, 64)", 0, ConnectedTo: ["conv2d_11[0][0]", "max_pooling2d_2[0][0]"]),
            new("global_average_pooling2d", "GlobalAveragePooling2D", "(None, 64)", 0, ConnectedTo: ["conv2d_14[0][0]"]),
            new("dense_6", "Dense", "(None, 256)", 16640, ConnectedTo: ["global_average_pooling2d[0][0]"]),
        ];
        const string expected = """
Model: "toy_resnet"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ img (InputLayer)              │ (None, 32, 32, 3)         │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ conv2d_8 (Conv2D)             │ (None, 30, 30, 32)        │             896 │ img[0][0]                  │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ max_pooling2d_2               │ (None, 9, 9, 64)          │               0 │ conv2d_9[0][0]             │
│ (MaxPooling2D)                │                           │                 │                            │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ add (Add)                     │ (None, 9, 9, 64)          │               0 │ conv2d_11[0][0],           │
│                               │                           │                 │ max_pooling2d_2[0][0]      │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ global_average_pooling2d      │ (None, 64)                │               0 │ conv2d_14[0][0]            │
│ (GlobalAveragePooling2D)      │                           │                 │                            │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_6 (Dense)               │ (None, 256)               │          16,640 │ global_average_pooling2d[… │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 223,242 (872.04 KB)
 Trainable params: 223,242 (872.04 KB)
 Non-trainable params: 0 (0.00 B)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("toy_resnet", rows, sequentialLike: false, totalParams: 223242, trainableParams: 223242, nonTrainableParams: 0));
    }

    /// <summary>Source: generated: Keras' print_summary logic rendered by rich 13.3.1.</summary>
    [Fact]
    public void ShowTrainable_WithOptimizer_Width120()
    {
        SummaryRow[] rows =
        [
            new("img", "InputLayer", "(None, 32, 32, 3)", 0, ConnectedTo: null),
            new("conv2d_8", "Conv2D", "(None, 30, 30, 32)", 896, ConnectedTo: ["img[0][0]"], Trainable: true),
            new("max_pooling2d_2", "MaxPooling2D", "(None, 9, 9, 64)", 0, ConnectedTo: ["conv2d_9[0][0]"]),
            new("add", "Add", "(None, 9, 9, 64)", 0, ConnectedTo: ["conv2d_11[0][0]", "max_pooling2d_2[0][0]"]),
            new("global_average_pooling2d", "GlobalAveragePooling2D", "(None, 64)", 0, ConnectedTo: ["conv2d_14[0][0]"]),
            new("dense_6", "Dense", "(None, 256)", 16640, ConnectedTo: ["global_average_pooling2d[0][0]"], Trainable: false),
        ];
        const string expected = """
Model: "wide_one"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃          Param # ┃ Connected to              ┃ Trainable ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━┩
│ img (InputLayer)              │ (None, 32, 32, 3)         │                0 │ -                         │     -     │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ conv2d_8 (Conv2D)             │ (None, 30, 30, 32)        │              896 │ img[0][0]                 │     Y     │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ max_pooling2d_2               │ (None, 9, 9, 64)          │                0 │ conv2d_9[0][0]            │     -     │
│ (MaxPooling2D)                │                           │                  │                           │           │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ add (Add)                     │ (None, 9, 9, 64)          │                0 │ conv2d_11[0][0],          │     -     │
│                               │                           │                  │ max_pooling2d_2[0][0]     │           │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ global_average_pooling2d      │ (None, 64)                │                0 │ conv2d_14[0][0]           │     -     │
│ (GlobalAveragePooling2D)      │                           │                  │                           │           │
├───────────────────────────────┼───────────────────────────┼──────────────────┼───────────────────────────┼───────────┤
│ dense_6 (Dense)               │ (None, 256)               │           16,640 │ global_average_pooling2d… │     N     │
└───────────────────────────────┴───────────────────────────┴──────────────────┴───────────────────────────┴───────────┘
 Total params: 669,728 (2.55 MB)
 Trainable params: 223,242 (872.04 KB)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 446,486 (1.70 MB)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("wide_one", rows, sequentialLike: false, totalParams: 223242, trainableParams: 223242, nonTrainableParams: 0, optimizerParams: 446486, showTrainable: true));
    }

    /// <summary>Source: generated: Keras' print_summary logic rendered by rich 13.3.1.</summary>
    [Fact]
    public void ShowTrainable_Narrow_TruncatesHeaderAndWrapsRightAligned()
    {
        SummaryRow[] rows =
        [
            new("dense", "Dense", "(None, 64)", 4160, Trainable: true),
            new("batch_normalization", "BatchNormalization", "(None, 64)", 256, Trainable: false),
            new("dropout", "Dropout", "(None, 64)", 0),
            new("dense_1", "Dense", "?", null),
        ];
        const string expected = """
Model: "seq_t"
┏━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━┓
┃ Layer (type)          ┃ Output Shape     ┃ Param # ┃ Tr… ┃
┡━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━┩
│ dense (Dense)         │ (None, 64)       │   4,160 │  Y  │
├───────────────────────┼──────────────────┼─────────┼─────┤
│ batch_normalization   │ (None, 64)       │     256 │  N  │
│ (BatchNormalization)  │                  │         │     │
├───────────────────────┼──────────────────┼─────────┼─────┤
│ dropout (Dropout)     │ (None, 64)       │       0 │  -  │
├───────────────────────┼──────────────────┼─────────┼─────┤
│ dense_1 (Dense)       │ ?                │       0 │  -  │
│                       │                  │ (unbui… │     │
└───────────────────────┴──────────────────┴─────────┴─────┘
 Total params: 4,416 (17.25 KB)
 Trainable params: 4,160 (16.25 KB)
 Non-trainable params: 256 (1.00 KB)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("seq_t", rows, sequentialLike: true, totalParams: 4416, trainableParams: 4160, nonTrainableParams: 256, lineLength: 60, showTrainable: true));
    }

    [Fact]
    public void EmptyModel_HeaderThenBottom()
    {
        const string expected = """
Model: "empty"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
""";
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", SummaryTable.Render("empty", [], true, 0, 0, 0));
    }

    [Fact]
    public void TooNarrow_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => SummaryTable.Render("m", [], true, 0, 0, 0, lineLength: 8));
        Assert.StartsWith("Insufficient console width to print summary.", e.Message);
    }

    [Fact]
    public void OptimizerBytes_CanDifferFromFloat32()
    {
        // A Keras 3 optimizer's two scalar variables (int64 iterations + float32 learning rate): "2 (12.00 B)".
        string text = SummaryTable.Render("m", [], true, 0, 0, 0, optimizerParams: 2, optimizerBytes: 12);
        Assert.EndsWith(" Total params: 2 (12.00 B)\n Trainable params: 0 (0.00 B)\n Non-trainable params: 0 (0.00 B)\n Optimizer params: 2 (12.00 B)\n", text);
    }

    [Theory]
    [InlineData(0, "0.00 B")]
    [InlineData(1023, "1023.00 B")]
    [InlineData(1024, "1.00 KB")]
    [InlineData(220200, "215.04 KB")]
    [InlineData(4224, "4.12 KB")] // 4.125 exactly: Python rounds half to even
    [InlineData(58851904, "56.13 MB")]
    [InlineData(1099511627776, "1.00 TB")]
    public void ReadableMemorySize_MatchesPython(long bytes, string expected) =>
        Assert.Equal(expected, SummaryTable.ReadableMemorySize(bytes));

    [Theory]
    [InlineData(true, false, null, 88)]
    [InlineData(false, false, null, 108)]
    [InlineData(true, true, null, 100)]
    [InlineData(false, true, null, 120)]
    [InlineData(true, false, 80, 76)]
    [InlineData(false, false, 200, 108)]
    public void DefaultLineLength_FollowsKeras(bool sequentialLike, bool showTrainable, int? columns, int expected) =>
        Assert.Equal(expected, SummaryTable.DefaultLineLength(sequentialLike, showTrainable, columns));
}
