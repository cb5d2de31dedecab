package io.gradsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.InvalidInputException;
import io.gradsweep.report.ReportData.LayerProfile;
import io.gradsweep.report.ReportData.LayerTrace;
import io.gradsweep.report.ReportData.LossCurve;
import io.gradsweep.report.ReportData.Trial;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The drawing half of the report, on hand-made data: no Spark, so every number here is known. */
class ReportGeneratorTest {
    @TempDir
    Path dir;

    /** sigmoid seeds 0-2 (accuracies 0.6, 0.5, 0.7), relu seeds 0-2 (0.9, 0.95, 0.8); relu seed 2 diverged. */
    static List<Trial> trials() {
        List<Trial> trials = new ArrayList<>();
        double[] acc = {0.6, 0.5, 0.7, 0.9, 0.95, 0.8};
        String[] diagnosis = {"vanishing", "vanishing", "healthy", "healthy", "healthy", "diverged"};
        for (int i = 0; i < 6; i++) {
            String activation = i < 3 ? "sigmoid" : "relu";
            Map<String, String> axes = Map.of("activation", activation, "depth", "3", "width", "4",
                    "initializer", i % 2 == 0 ? "normal(0,1)" : "glorot_uniform", "optimizer", "sgd",
                    "learning_rate", "0.01", "clipping", "none", "seed", Integer.toString(i % 3), "dataset", "xor",
                    "epochs", "2");
            trials.add(new Trial("t" + i, i, axes, i == 5 ? "diverged" : "ok", diagnosis[i], acc[i], "train",
                    i < 2 ? 0.01 * (i + 1) : 2.0, 1.5, null));
        }
        return trials;
    }

    static List<LayerTrace> traces(String id, boolean broken) {
        List<LayerTrace> traces = new ArrayList<>();
        for (int layer = 0; layer <= 3; layer++) {
            double[] it = {0, 1, 2, 3};
            double scale = Math.pow(10, layer - 4);
            double[] std = broken ? new double[] {0, Double.NaN, 0, Double.POSITIVE_INFINITY}
                    : new double[] {scale, 2 * scale, 3 * scale, 4 * scale};
            traces.add(new LayerTrace(id, layer, 1, it, new double[] {-scale, scale, 0, scale}, std,
                    new double[] {0, 0.1, 0.2, 0.3}, new double[] {1, 1.1, 1.2, 1.3},
                    broken ? new double[] {scale, Double.NaN, scale, Double.NaN} : std.clone(),
                    broken ? new double[] {0, 1, 0, 1} : new double[4]));
        }
        return traces;
    }

    static ReportData data() {
        List<LayerTrace> traces = new ArrayList<>();
        List<LossCurve> losses = new ArrayList<>();
        for (String id : List.of("t2", "t1", "t4", "t5")) {
            traces.addAll(traces(id, id.equals("t5")));
            losses.add(new LossCurve(id, new double[] {0, 1}, new double[] {0.7, 0.5}, new double[] {0.8, 0.6}));
        }
        List<LayerProfile> profiles = List.of(
                new LayerProfile("sigmoid", new double[] {0, 1, 2, 3}, new double[] {1e-4, 1e-3, 1e-2, 1e-1},
                        new double[] {1e-3, 1e-3, 1e-2, 1e-2}),
                new LayerProfile("relu", new double[] {0, 1, 2, 3}, new double[] {0.1, 0.1, 0.1, 0.1},
                        new double[] {0, Double.NaN, 0.05, 0.05}));
        return new ReportData("demo", "xor(samples=64)", trials(), traces, losses, profiles, List.of(), List.of());
    }

    @Test
    void writesAPageThatEmbedsEveryChartAndListsTrialsByDiagnosis() throws IOException {
        ReportOptions options = new ReportOptions("unused", "demo", dir.resolve("r").toString(), List.of(),
                List.of(), null);
        ReportGenerator.Written w = ReportGenerator.write(data(), options);

        assertThat(w.images()).extracting(p -> p.getFileName().toString()).containsExactly("grid-heatmaps.png",
                "layer-std.png", "trial-t2-gradients.png", "trial-t2-weights.png", "trial-t1-gradients.png",
                "trial-t1-weights.png", "trial-t4-gradients.png", "trial-t4-weights.png", "trial-t5-gradients.png",
                "trial-t5-weights.png");
        assertThat(size(w.images().get(1))).isEqualTo(List.of(2 * ChartStyle.PANEL_WIDTH, ChartStyle.PANEL_HEIGHT));
        assertThat(size(w.images().get(2))).isEqualTo(List.of(2 * ChartStyle.PANEL_WIDTH,
                2 * ChartStyle.PANEL_HEIGHT));
        assertThat(size(w.images().get(3))).isEqualTo(List.of(2 * ChartStyle.PANEL_WIDTH, ChartStyle.PANEL_HEIGHT));

        String html = Files.readString(w.html());
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)\" alt=\"[^\"]*\" title=\"([^\"]+)\"")
                .matcher(html);
        List<String> embedded = new ArrayList<>();
        while (m.find()) {
            embedded.add(m.group(2));
            assertThat(Base64.getDecoder().decode(m.group(1)))
                    .isEqualTo(Files.readAllBytes(w.html().resolveSibling(m.group(2))));
        }
        assertThat(embedded).hasSize(w.images().size());
        assertThat(html).contains("<tr><td>vanishing</td><td class=\"n\">2</td><td class=\"n\">0</td>"
                        + "<td class=\"n\">2</td></tr>")
                .contains("<h3>diverged (1)</h3>").contains("<h3>healthy (3)</h3>")
                .contains("Best of 3 sigmoid trials; status ok, diagnosis healthy, train accuracy 0.7000")
                .contains("Worst of 3 sigmoid trials").contains("Status: diverged 1, ok 5.")
                .contains("over activation × initializer")
                .doesNotContain("id=\"distributions\""); // no histograms: the section is left out
    }

    /** Where the activations table has ∂L/∂s, its layer profile follows the ∂L/∂W one, in the same layout. */
    @Test
    void drawsThePreactivationGradientProfileWhereThereIsOne() throws IOException {
        ReportData d = data();
        ReportData withPreact = new ReportData(d.sweep(), d.dataset(), d.trials(), d.traces(), d.losses(),
                d.profiles(), d.histograms(), d.smallGradients(), List.of(new LayerProfile("sigmoid",
                        new double[] {0, 1, 2}, new double[] {1e-3, 1e-2, 1e-1}, new double[] {1e-3, 1e-3, 1e-2})));
        ReportOptions options = new ReportOptions("unused", "demo", dir.resolve("preact").toString(), List.of(),
                List.of(), null);
        ReportGenerator.Written w = ReportGenerator.write(withPreact, options);
        assertThat(w.images()).extracting(p -> p.getFileName().toString()).startsWith("grid-heatmaps.png",
                "layer-std.png", "layer-preact-std.png", "trial-t2-gradients.png");
        assertThat(size(w.images().get(2))).isEqualTo(List.of(2 * ChartStyle.PANEL_WIDTH, ChartStyle.PANEL_HEIGHT));
        assertThat(Files.readString(w.html())).contains("The same for ∂L/∂s");
    }

    private static List<Integer> size(Path png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        return List.of(image.getWidth(), image.getHeight());
    }

    @Test
    void chartsOfNonFiniteOrEmptyDataStillDraw() throws IOException {
        Trial t = trials().get(5);
        byte[] gradients = TrialFigures.gradients(t, traces("t5", true), null);
        byte[] empty = LayerStdChart.png(List.of());
        // depth 1 everywhere: no grad_ratio, so no cell for XChart's heatmap
        byte[] noRatio = GridHeatmaps.png(new GridHeatmaps.Grid("activation", "depth", List.of("relu"),
                List.of("1"), new Double[][] {{0.5}}, new Double[][] {{null}}));
        for (byte[] png : List.of(gradients, empty, noRatio, TrialFigures.weights(t, List.of()))) {
            assertThat(ImageIO.read(new ByteArrayInputStream(png))).isNotNull();
        }
    }

    /** The L2 panel draws each layer's finite norms and crosses the iterations where any layer's was not finite. */
    @Test
    void theL2PanelDrawsFiniteNormsAndMarksWhereTheyStopped() {
        Trial t = trials().get(5);
        List<LayerTrace> broken = traces("t5", true);
        XYChart c = TrialFigures.gradL2(t, broken);
        // layer 3 of depth 3 is the output; its finite norms are 1e-1 at iterations 0 and 2
        double out = Math.pow(10, -1);
        double first = Math.pow(10, -4);
        assertThat(OverTimeFigures.points(c, "output")).isDeepEqualTo(new double[][] {{0, 2}, {out, out}});
        assertThat(OverTimeFigures.points(c, "layer 0 (first)")).isDeepEqualTo(new double[][] {{0, 2},
            {first, first}});
        assertThat(OverTimeFigures.points(c, TrialFigures.NON_FINITE)).isDeepEqualTo(new double[][] {{1, 3},
            {out, out}});
        XYChart healthy = TrialFigures.gradL2(t, traces("t4", false));
        assertThat(healthy.getSeriesMap()).doesNotContainKey(TrialFigures.NON_FINITE);
        double s = Math.pow(10, -3);
        assertThat(OverTimeFigures.points(healthy, "layer 1")).isDeepEqualTo(new double[][] {{0, 1, 2, 3},
            {s, 2 * s, 3 * s, 4 * s}});
    }

    @Test
    void defaultSelectionIsTheBestAndTheWorstOfEachActivation() {
        assertThat(TrialSelection.choose(trials(), List.of())).extracting(Trial::trialId)
                .containsExactly("t2", "t1", "t4", "t5");
        assertThat(TrialSelection.choose(trials(), List.of("t3", "t0", "t3"))).extracting(Trial::trialId)
                .containsExactly("t3", "t0");
        assertThatThrownBy(() -> TrialSelection.choose(trials(), List.of("t9")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot select trials: '--trials' is 't9'; expected one of t0, t1, t2, t3, t4, t5");
    }

    @Test
    void regressionTrialsAreSelectedByLossLowestFirstAndADivergedOneRanksLast() {
        List<Trial> regression = trials().stream().map(t -> new Trial(t.trialId(), t.index(), t.axes(), t.status(),
                t.diagnosis(), null, "test", t.gradRatio(), t.maxGradL2(), 1.0 / (1 + t.index()))).toList();
        // No accuracy, losses 1, 1/2, ..., 1/6. Sigmoid: t2 lowest, t0 highest. Relu: t5 has the lowest loss but
        // diverged, so it ranks below t3 and t4: t4 is the best and t5 the worst.
        assertThat(TrialSelection.choose(regression, List.of())).extracting(Trial::trialId)
                .containsExactly("t2", "t0", "t4", "t5");
    }

    @Test
    void heatmapCellsAreMeanAccuracyAndMedianRatioInGridOrder() {
        GridHeatmaps.Grid g = GridHeatmaps.aggregate(trials(), "activation", "initializer");
        assertThat(g.rows()).containsExactly("sigmoid", "relu");
        assertThat(g.columns()).containsExactly("normal(0,1)", "glorot_uniform");
        // sigmoid x normal(0,1): t0 (0.6, ratio 0.01) and t2 (0.7, ratio 2.0)
        assertThat(g.accuracy()[0][0]).isCloseTo(0.65, within(1e-12));
        assertThat(g.gradRatio()[0][0]).isCloseTo((0.01 + 2.0) / 2, within(1e-12));
        assertThat(g.accuracy()[1][0]).isEqualTo(0.95); // relu x normal(0,1): t4 alone
        assertThat(g.accuracy()[1][1]).isCloseTo(0.85, within(1e-12)); // relu x glorot_uniform: t3 and t5
        assertThat(GridHeatmaps.chooseAxes(trials(), List.of())).containsExactly("activation", "initializer");
        assertThatThrownBy(() -> GridHeatmaps.chooseAxes(trials(), List.of("activation", "colour")))
                .hasMessage("Cannot draw heatmaps: '--axes' is 'colour'; expected one of activation, initializer, "
                        + "depth, width, optimizer, learning_rate, clipping, batch_norm, residual, model, widths, "
                        + "dropout, sequence_length, seed");
        assertThatThrownBy(() -> GridHeatmaps.chooseAxes(trials(), List.of("seed")))
                .hasMessage("Cannot draw heatmaps: '--axes' is 'seed'; expected two different axes, "
                        + "e.g. activation,initializer");
    }

    @Test
    void deepNetsDrawAtMostNineLayersIncludingBothEnds() {
        List<LayerTrace> traces = new ArrayList<>();
        for (int layer = 0; layer <= 20; layer++) {
            traces.add(new LayerTrace("x", layer, 1, new double[1], new double[1], new double[1], new double[1],
                    new double[1], new double[1], new double[1]));
        }
        assertThat(TrialFigures.pickLayers(traces)).extracting(LayerTrace::layer)
                .containsExactly(0, 3, 5, 8, 10, 13, 15, 18, 20);
        assertThat(TrialFigures.layerName(0, 20)).isEqualTo("layer 0 (first)");
        assertThat(TrialFigures.layerName(20, 20)).isEqualTo("output");
        assertThat(HtmlPage.esc("<a href=\"x\">&</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }

    /** The design rule of the report package: only the loader may use Spark. */
    @Test
    void onlyTheLoaderImportsSpark() throws IOException {
        Path pkg = Path.of("src/main/java/io/gradsweep/report");
        try (Stream<Path> files = Files.list(pkg)) {
            List<String> sparkUsers = new ArrayList<>();
            for (Path f : files.toList()) {
                if (Files.readString(f).contains("org.apache.spark")) {
                    sparkUsers.add(f.getFileName().toString());
                }
            }
            assertThat(sparkUsers).containsExactly("ReportLoader.java");
        }
    }
}
