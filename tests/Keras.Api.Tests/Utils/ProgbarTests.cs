using System.Text;
using System.Text.RegularExpressions;
using KerasGpu.Utils;

namespace Keras.Tests.Utils;

/// <summary>
/// Exact-output tests of <see cref="Progbar"/>. The expected strings of the replayed scenarios were produced by
/// running Keras 3's own keras/src/utils/progbar.py with the same fake clock and update calls, so every byte
/// (ANSI codes, backspaces, padding) is Keras'.
/// </summary>
public class ProgbarTests
{
    private const string KerasFinalLine =
        "750/750 ━━━━━━━━━━━━━━━━━━━━ 1s 863us/step - accuracy: 0.8425 - loss: 0.5733 - val_accuracy: 0.9496 - val_loss: 0.1711";

    [Fact]
    public void Dynamic_LoggerStyle_RedrawsInPlaceWithAnsi()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(750, output: writer, dynamicDisplay: true, clock: () => now, statelessMetrics: []);
        now = 0.5;
        pb.Update(1, [new("accuracy", 0.1), new("loss", 2.3)], false);
        now = 0.51;
        pb.Update(2, [new("accuracy", 0.2), new("loss", 2.0)], false);
        now = 0.8;
        pb.Update(300, [new("accuracy", 0.7), new("loss", 0.9)], false);
        now = 1.146387;
        pb.Update(750, [new("accuracy", 0.8425), new("loss", 0.5733), new("val_accuracy", 0.9496), new("val_loss", 0.1711)], true);
        Assert.Equal(
            "\r\u001b[1m  1/750\u001b[0m \u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m6:14\u001b[0m 500ms/step - accuracy: 0.1000 - loss: 2.3000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m300/750\u001b[0m \u001b[32m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m0s\u001b[0m 1ms/step - accuracy: 0.7000 - loss: 0.9000    \b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m750/750\u001b[0m \u001b[32m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[37m\u001b[0m \u001b[1m1s\u001b[0m 863us/step - accuracy: 0.8425 - loss: 0.5733 - val_accuracy: 0.9496 - val_loss: 0.1711\n",
            writer.ToString());
    }

    [Fact]
    public void Dynamic_ShorterLineIsPaddedOverPrevious()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(900, output: writer, dynamicDisplay: true, clock: () => now, statelessMetrics: []);
        now = 1.0;
        pb.Update(1, [new("loss", 0.5)], false);
        now = 2.0;
        pb.Update(2, [new("loss", 0.5)], false);
        now = 3.0;
        pb.Update(899, [new("loss", 0.5)], false);
        now = 3.001;
        pb.Update(900, [new("loss", 0.5)], true);
        Assert.Equal(
            "\r\u001b[1m  1/900\u001b[0m \u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m14:59\u001b[0m 1s/step - loss: 0.5000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m  2/900\u001b[0m \u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m14:58\u001b[0m 1s/step - loss: 0.5000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m899/900\u001b[0m \u001b[32m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[37m\u2501\u001b[0m \u001b[1m0s\u001b[0m 2ms/step - loss: 0.5000  \b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m900/900\u001b[0m \u001b[32m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[37m\u001b[0m \u001b[1m3s\u001b[0m 2ms/step - loss: 0.5000\n",
            writer.ToString());
    }

    [Fact]
    public void Dynamic_DefaultAveragesValuesWeightedBySteps()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(10, output: writer, dynamicDisplay: true, clock: () => now);
        now = 1.0;
        pb.Update(1, [new("loss", 4.0)], null);
        now = 1.01;
        pb.Update(2, [new("loss", 2.0)], null);
        now = 1.5;
        pb.Update(5, [new("loss", 0.0001)], null);
        now = 3.0;
        pb.Update(10, [new("loss", 1.0)], null);
        Assert.Equal(
            "\r\u001b[1m 1/10\u001b[0m \u001b[32m\u2501\u2501\u001b[0m\u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m9s\u001b[0m 1s/step - loss: 4.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m 5/10\u001b[0m \u001b[32m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m0s\u001b[0m 125ms/step - loss: 1.2001\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m10/10\u001b[0m \u001b[32m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[37m\u001b[0m \u001b[1m3s\u001b[0m 222ms/step - loss: 1.0000\n",
            writer.ToString());
    }

    [Fact]
    public void Dynamic_UnknownTarget()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(null, output: writer, dynamicDisplay: true, clock: () => now);
        now = 0.5;
        pb.Update(1, [new("loss", 1.0)], null);
        now = 0.6;
        pb.Update(2, null, null);
        now = 0.7;
        pb.Update(3, [new("loss", 0.5)], null);
        now = 2.0;
        pb.Update(3, [new("loss", 0.25)], true);
        Assert.Equal(
            "\r      1/Unknown \u001b[1m0s\u001b[0m 500ms/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r      2/Unknown \u001b[1m1s\u001b[0m 100ms/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r      3/Unknown \u001b[1m1s\u001b[0m 100ms/step - loss: 0.7500\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r      3/Unknown \u001b[1m2s\u001b[0m 750ms/step - loss: 0.2500\n",
            writer.ToString());
    }

    [Fact]
    public void Dynamic_LongEtaAndENotation()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(100000, output: writer, dynamicDisplay: true, clock: () => now, statelessMetrics: []);
        now = 2.0;
        pb.Update(1, [new("loss", 1.0)], false);
        now = 3.0;
        pb.Update(2, null, false);
        now = 4.0;
        pb.Update(3, [new("loss", 1e-05)], false);
        now = 5.0;
        pb.Update(50, [new("loss", -0.0002)], false);
        Assert.Equal(
            "\r\u001b[1m     1/100000\u001b[0m \u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m55:33:18\u001b[0m 2s/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m     2/100000\u001b[0m \u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m27:46:38\u001b[0m 1s/step - loss: 1.0000\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m     3/100000\u001b[0m \u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m27:46:37\u001b[0m 1s/step - loss: 1.0000e-05\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\r\u001b[1m    50/100000\u001b[0m \u001b[37m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m \u001b[1m1:41:59\u001b[0m 61ms/step - loss: -2.0000e-04",
            writer.ToString());
    }

    [Fact]
    public void Verbose2_FunctionalGuideEvaluate()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(313, verbose: 2, output: writer, dynamicDisplay: true, clock: () => now, statelessMetrics: []);
        now = 0.01;
        pb.Update(1, [new("accuracy", 0.5), new("loss", 1.0)], false);
        now = 0.116392;
        pb.Update(313, [new("accuracy", 0.9613), new("loss", 0.1288)], true);
        Assert.Equal(
            "313/313 - 0s - 341us/step - accuracy: 0.9613 - loss: 0.1288\n",
            writer.ToString());
    }

    [Fact]
    public void Verbose2_NegativeValuesUseENotation()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(469, verbose: 2, output: writer, dynamicDisplay: true, clock: () => now, statelessMetrics: []);
        now = 0.5;
        pb.Update(1, [new("loss", 1.0)], false);
        now = 1.904;
        pb.Update(469, [new("accuracy", 0.9679), new("loss", 0.1077), new("neg", -0.5), new("tiny", 0.0005)], true);
        Assert.Equal(
            "469/469 - 2s - 3ms/step - loss: 0.1077 - accuracy: 0.9679 - neg: -5.0000e-01 - tiny: 5.0000e-04\n",
            writer.ToString());
    }

    [Fact]
    public void Verbose2_AveragedValues()
    {
        double now = 0.0;
        var writer = new StringWriter();
        var pb = new Progbar(4, verbose: 2, output: writer, dynamicDisplay: true, clock: () => now);
        now = 1.0;
        pb.Update(1, [new("loss", 1.0)], null);
        now = 2.0;
        pb.Update(2, [new("loss", 2.0)], null);
        now = 2.5;
        pb.Update(3, [new("loss", 3.0)], null);
        now = 12.5;
        pb.Update(4, [new("loss", 4.0)], null);
        Assert.Equal(
            "4/4 - 12s - 4s/step - loss: 4.0000\n",
            writer.ToString());
    }

    private static void ReplayFunctionalGuideEpoch(Progbar pb, Action<double> setNow)
    {
        setNow(0.5);
        pb.Update(1, [new("accuracy", 0.1), new("loss", 2.3)], false);
        setNow(0.51);
        pb.Update(2, [new("accuracy", 0.2), new("loss", 2.0)], false);
        setNow(0.8);
        pb.Update(300, [new("accuracy", 0.7), new("loss", 0.9)], false);
        setNow(1.146387);
        pb.Update(750, [new("accuracy", 0.8425), new("loss", 0.5733), new("val_accuracy", 0.9496), new("val_loss", 0.1711)], true);
    }

    [Fact]
    public void NotDynamic_WritesOnlyTheFinalLine_WithoutAnsi()
    {
        double now = 0;
        var writer = new StringWriter();
        var pb = new Progbar(750, output: writer, dynamicDisplay: false, clock: () => now, statelessMetrics: []);
        ReplayFunctionalGuideEpoch(pb, t => now = t);
        Assert.Equal(KerasFinalLine + "\n", writer.ToString());
    }

    [Fact]
    public void NotDynamic_FinalLine_IsKerasDynamicFinalLineWithoutAnsi()
    {
        double now = 0;
        var dynamicWriter = new StringWriter();
        var pb = new Progbar(750, output: dynamicWriter, dynamicDisplay: true, clock: () => now, statelessMetrics: []);
        ReplayFunctionalGuideEpoch(pb, t => now = t);
        string all = dynamicWriter.ToString();
        string last = all[(all.LastIndexOf('\r') + 1)..];
        Assert.Equal(KerasFinalLine + "\n", Regex.Replace(last, "\u001b\\[[0-9;]*m", string.Empty));
    }

    [Fact]
    public void NotDynamic_NothingBeforeFinalize_OneLinePerBar()
    {
        double now = 0;
        var writer = new StringWriter();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var pb = new Progbar(3, output: writer, dynamicDisplay: false, clock: () => now, statelessMetrics: []);
            for (int step = 1; step <= 3; step++)
            {
                now += 1;
                Assert.Equal(step == 3, pb.WantsRefresh(step));
                pb.Update(step, [new("loss", 0.25)]);
                Assert.Equal(epoch + (step == 3 ? 1 : 0), writer.ToString().Count(c => c == '\n'));
            }
        }

        Assert.Equal("3/3 ━━━━━━━━━━━━━━━━━━━━ 3s 1s/step - loss: 0.2500\n3/3 ━━━━━━━━━━━━━━━━━━━━ 3s 1s/step - loss: 0.2500\n", writer.ToString());
    }

    [Fact]
    public void WantsRefresh_HonoursInterval()
    {
        double now = 10;
        var writer = new StringWriter();
        var pb = new Progbar(100, output: writer, dynamicDisplay: true, clock: () => now, statelessMetrics: []);

        // Nothing drawn yet: the first update always draws.
        Assert.True(pb.WantsRefresh(1));
        now = 10.01;
        pb.Update(1, [new("loss", 1.0)]);
        int written = writer.ToString().Length;

        now = 10.04; // 0.03 s after the last redraw
        Assert.False(pb.WantsRefresh(2));
        pb.Update(2);
        Assert.Equal(written, writer.ToString().Length);

        now = 10.06; // exactly 0.05 s: Keras redraws when now - last >= interval
        Assert.True(pb.WantsRefresh(3));
        now = 10.2; // reading values took a while; the promised redraw still happens
        pb.Update(3, [new("loss", 0.5)]);
        Assert.True(writer.ToString().Length > written);
        Assert.Contains("loss: 0.5000", writer.ToString());

        now = 10.21;
        Assert.False(pb.WantsRefresh(4));
        Assert.True(pb.WantsRefresh(4, finalize: true));
        Assert.True(pb.WantsRefresh(100)); // current >= target finalizes
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    public void WantsRefresh_SilentOrVerbose2BeforeFinalize_IsFalse(int verbose, bool expected)
    {
        var pb = new Progbar(10, verbose: verbose, output: new StringWriter(), dynamicDisplay: true, clock: () => 100);
        Assert.Equal(expected, pb.WantsRefresh(1));
        Assert.Equal(verbose == 2, pb.WantsRefresh(10));
    }

    [Fact]
    public void Verbose2_UnknownTarget_PrintsNothing()
    {
        var writer = new StringWriter();
        var pb = new Progbar(null, verbose: 2, output: writer, clock: () => 1);
        Assert.False(pb.WantsRefresh(5, finalize: true));
        pb.Update(5, [new("loss", 1.0)], finalize: true);
        Assert.Equal(string.Empty, writer.ToString());
    }

    [Fact]
    public void Verbose0_PrintsNothing()
    {
        var writer = new StringWriter();
        var pb = new Progbar(2, verbose: 0, output: writer, clock: () => 1);
        pb.Update(1, [new("loss", 1.0)]);
        pb.Update(2, [new("loss", 1.0)]);
        Assert.Equal(string.Empty, writer.ToString());
    }

    [Fact]
    public void Add_AdvancesFromSeenSoFar_AndAverages()
    {
        double now = 0;
        var writer = new StringWriter();
        var pb = new Progbar(4, output: writer, dynamicDisplay: false, clock: () => now);
        now = 1;
        pb.Add(1, [new("loss", 3.0)]);
        now = 2;
        pb.Add(2, [new("loss", 1.0)]); // covers 2 steps: average (3*1 + 1*2) / 3
        now = 3;
        pb.Add(1, [new("acc", 0.5)]);
        Assert.Equal("4/4 ━━━━━━━━━━━━━━━━━━━━ 3s 667ms/step - loss: 1.6667 - acc: 0.5000\n", writer.ToString());
    }

    [Fact]
    public void StatefulMetrics_ShownAsGiven_OthersAveraged()
    {
        double now = 0;
        var writer = new StringWriter();
        var pb = new Progbar(null, output: writer, dynamicDisplay: false, clock: () => now, statefulMetrics: ["acc"]);
        now = 1;
        pb.Update(1, [new("acc", 0.2), new("loss", 2.0)]);
        now = 2;
        pb.Update(2, [new("acc", 0.4), new("loss", 1.0)]);
        now = 3;
        pb.Update(3, [new("acc", 0.6), new("loss", 3.0)]);
        pb.Update(3, null, finalize: true);
        Assert.Equal("      3/Unknown 3s 1s/step - acc: 0.6000 - loss: 2.0000\n", writer.ToString());
    }

    [Fact]
    public void BothMetricLists_Throws() =>
        Assert.Throws<ArgumentException>(() => new Progbar(1, statefulMetrics: ["a"], statelessMetrics: ["b"], output: new StringWriter()));

    [Fact]
    public void OutputThatCannotEncodeTheBar_FallsBackToEquals()
    {
        var writer = new AsciiWriter();
        var pb = new Progbar(2, output: writer, dynamicDisplay: false, clock: () => 0);
        pb.Update(2, null, true);
        Assert.Equal("2/2 ==================== 0s 0s/step\n", writer.ToString());
    }

    [Theory]
    [InlineData(0.0, " 0s/step")]
    [InlineData(1.0, " 1s/step")]
    [InlineData(2.5, " 2s/step")]
    [InlineData(0.5, " 500ms/step")]
    [InlineData(0.0015, " 2ms/step")]
    [InlineData(0.000863, " 863us/step")]
    [InlineData(0.0000005, " 0us/step")]
    public void FormatTime_MatchesKeras(double seconds, string expected) =>
        Assert.Equal(expected, Progbar.FormatTime(seconds, "step"));

    [Theory]
    [InlineData(0.9, "0s")]
    [InlineData(59.99, "59s")]
    [InlineData(60.0, "60s")]
    [InlineData(60.5, "1:00")]
    [InlineData(898.0, "14:58")]
    [InlineData(3600.0, "60:00")]
    [InlineData(3601.0, "1:00:01")]
    [InlineData(199998.0, "55:33:18")]
    public void FormatEta_MatchesKeras(double eta, string expected) =>
        Assert.Equal(expected, Progbar.FormatEta(eta));

    private sealed class AsciiWriter : StringWriter
    {
        public override Encoding Encoding => Encoding.ASCII;
    }
}
