package io.gradsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.analysis.ResultSql;
import io.gradsweep.analysis.SqlEngine;
import io.gradsweep.report.ReportData.LayerMetric;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.testing.Duck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/**
 * The over-time figures on one real sweep with a third varying axis (depth), loaded through DuckDB as the report
 * loads by default: every plotted point is checked against DuckDB's own SQL over the raw Parquet files, written
 * independently of the loader's (quantile_cont for median, integer division for the windows).
 */
class ReportOverTimeTest {
    /** 48 training examples in minibatches of 4 for 30 epochs: 360 iterations, so windows of 2 iterations. */
    static final int EPOCHS = 30;

    static ReportData data;
    static Facets facets;

    @TempDir
    static Path dir;

    static Path out;

    @BeforeAll
    static void sweep() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("gradsweep-over-time-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        out = dir.resolve("results");
        try {
            new SweepJob(spark, new PrintWriter(new StringWriter())).run(SpecParser.parse("""
                    name: overtime
                    dataset: {name: circles, samples: 64, noise: 0.1, factor: 0.5, test_fraction: 0.25}
                    train: {epochs: %d, batch_size: 4}
                    grid: {activation: [sigmoid, relu], depth: [2, 3], width: [4],
                           initializer: ["normal(0,1)", glorot_uniform], optimizer: [rmsprop], seed: [1, 2]}
                    """.formatted(EPOCHS)), new SweepJob.Options(out.toString(), 2, Grid.DEFAULT_MAX_TRIALS, false));
        } finally {
            spark.stop();
        }
        ReportOptions options = new ReportOptions(out.toString(), null, dir.resolve("unused").toString(), List.of(),
                List.of(), null);
        try (ResultSql db = ResultSql.open(SqlEngine.DUCKDB, out.toString(), null, null, "test")) {
            data = ReportLoader.load(db, options);
        }
        facets = Facets.of(data.trials(), List.of());
    }

    @Test
    void theThirdVaryingAxisGetsPanelsAndSeedsArePooledIntoLines() {
        assertThat(facets).isEqualTo(new Facets(List.of("activation", "initializer"), "depth", List.of()));
        List<XYChart> panels = OverTimeFigures.curves(data.curves(), facets, "test");
        assertThat(panels).extracting(c -> c.getTitle()).containsExactly("test loss per epoch, depth = 2",
                "test accuracy per epoch, depth = 2", "test loss per epoch, depth = 3",
                "test accuracy per epoch, depth = 3");
        // shared axes: every loss panel on one y range, every accuracy panel on another
        assertThat(panels.get(0).getStyler().getYAxisMax()).isEqualTo(panels.get(2).getStyler().getYAxisMax());
        assertThat(panels.get(1).getStyler().getYAxisMin()).isEqualTo(panels.get(3).getStyler().getYAxisMin());
    }

    /** Each line is the median over its two seeds after each epoch; its band spans their minimum to maximum. */
    @Test
    void plottedCurvesAndBandsEqualDuckDbOverTheRawRows() throws SQLException {
        List<XYChart> panels = OverTimeFigures.curves(data.curves(), facets, "test");
        int checked = 0;
        for (String depth : List.of("2", "3")) {
            for (String activation : List.of("sigmoid", "relu")) {
                for (String init : List.of("normal(0,1)", "glorot_uniform")) {
                    String line = activation + ", " + init;
                    List<List<Object>> rows = Duck.rows("SELECT e.epoch, quantile_cont(e.test_loss, 0.5), "
                            + "min(e.test_loss), max(e.test_loss), quantile_cont(e.test_accuracy, 0.5) FROM "
                            + Duck.table(out, "epochs") + " e JOIN " + Duck.table(out, "trials") + " t USING "
                            + "(trial_id) WHERE t.activation = '" + activation + "' AND t.initializer = '" + init
                            + "' AND t.depth = " + depth + " AND isfinite(e.test_loss) GROUP BY e.epoch "
                            + "HAVING count(*) = 2 ORDER BY e.epoch");
                    assertThat(rows).as(line).hasSize(EPOCHS);
                    int row = depth.equals("2") ? 0 : 2;
                    double[][] loss = OverTimeFigures.points(panels.get(row), line);
                    double[][] band = OverTimeFigures.points(panels.get(row), line + " range");
                    double[][] accuracy = OverTimeFigures.points(panels.get(row + 1), line);
                    for (int i = 0; i < EPOCHS; i++) {
                        double epoch = ((Number) rows.get(i).get(0)).doubleValue();
                        assertThat(loss[0][i]).isEqualTo(epoch);
                        assertThat(loss[1][i]).as(line + " epoch " + epoch).isCloseTo((Double) rows.get(i).get(1),
                                within(1e-12));
                        assertThat(accuracy[1][i]).isCloseTo((Double) rows.get(i).get(4), within(1e-12));
                        // the polygon runs along the maxima left to right, then back along the minima
                        assertThat(band[1][i]).isCloseTo((Double) rows.get(i).get(3), within(1e-12));
                        assertThat(band[1][2 * EPOCHS - 1 - i]).isCloseTo((Double) rows.get(i).get(2),
                                within(1e-12));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(8 * EPOCHS);
    }

    /** Median std(dW) per activation, depth, layer and epoch over both initializers and seeds. */
    @Test
    void plottedGradientStdPerEpochEqualsDuckDb() throws SQLException {
        checkLayers(LayerMetric.GRAD_STD, "epoch", "quantile_cont(g.std, 0.5)", "gradients", "g.param = 'W' AND "
                + "isfinite(g.std)", 1, 3 + 4 + 3 + 4);
    }

    @Test
    void plottedUpdateRatiosEqualDuckDbInWindowsOfTwoIterations() throws SQLException {
        checkLayers(LayerMetric.UPDATE_RATIO, "iteration // 2", "quantile_cont(g.update_ratio, 0.5)", "gradients",
                "g.param = 'W' AND isfinite(g.update_ratio)", 2, 3 + 4 + 3 + 4);
    }

    /** sigmoid panels show saturation, relu panels dead units: the mean over trials and window. */
    @Test
    void plottedSaturationAndDeadUnitsEqualDuckDb() throws SQLException {
        assertThat(Duck.scalar("SELECT max(iteration) + 1 FROM " + Duck.table(out, "activations")))
                .isEqualTo(EPOCHS * 12);
        checkLayers(LayerMetric.SATURATED, "iteration // 2", "avg(g.saturated_fraction)", "activations",
                "t.activation = 'sigmoid'", 2, 2 + 3);
        checkLayers(LayerMetric.DEAD, "iteration // 2", "avg(g.dead_fraction)", "activations",
                "t.activation = 'relu'", 2, 2 + 3);
    }

    /** Glorot and Bengio's figure 2: the mean over trials and window of each minibatch's output mean and std. */
    @Test
    void plottedActivationMeansAndStdsEqualDuckDb() throws SQLException {
        checkLayers(LayerMetric.ACT_MEAN, "iteration // 2", "avg(g.mean)", "activations", "isfinite(g.mean)", 2,
                2 + 3 + 2 + 3);
        checkLayers(LayerMetric.ACT_STD, "iteration // 2", "avg(g.std)", "activations", "isfinite(g.std)", 2,
                2 + 3 + 2 + 3);
        List<XYChart> rows = OverTimeFigures.meanAndStd(data.overTime());
        assertThat(rows).extracting(XYChart::getTitle).startsWith("sigmoid, depth 2: mean of outputs per layer",
                "sigmoid, depth 2: std of outputs per layer", "sigmoid, depth 3: mean of outputs per layer");
        assertThat(rows).hasSize(8);
        // each column on one y range: every mean panel alike, every std panel alike
        assertThat(rows.get(0).getStyler().getYAxisMax()).isEqualTo(rows.get(6).getStyler().getYAxisMax());
        assertThat(rows.get(1).getStyler().getYAxisMin()).isEqualTo(rows.get(7).getStyler().getYAxisMin());
    }

    /**
     * For each panel (activation, depth) and layer line, the plotted points against DuckDB grouping the raw rows by
     * {@code bucket}; x is the bucket's first iteration (or the epoch).
     */
    private static void checkLayers(LayerMetric metric, String bucket, String value, String table, String filter,
                                    int span, int expectedLines) throws SQLException {
        List<LayerMetric> asked = metric == LayerMetric.SATURATED || metric == LayerMetric.DEAD
                ? List.of(LayerMetric.SATURATED, LayerMetric.DEAD) : List.of(metric);
        List<XYChart> panels = OverTimeFigures.layers(data.overTime(), asked);
        assertThat(panels).extracting(XYChart::getTitle).contains("sigmoid, depth 2: " + OverTimeFigures.title(
                asked.get(0)), "relu, depth 3: " + OverTimeFigures.title(asked.get(asked.size() - 1)));
        int lines = 0;
        for (XYChart panel : panels) {
            String group = panel.getTitle().substring(0, panel.getTitle().indexOf(':'));
            if (!panel.getTitle().endsWith(OverTimeFigures.title(metric))) {
                continue;
            }
            String activation = group.substring(0, group.indexOf(','));
            int depth = Integer.parseInt(group.substring(group.lastIndexOf(' ') + 1));
            boolean hidden = asked.get(0) != LayerMetric.UPDATE_RATIO && asked.get(0) != LayerMetric.GRAD_STD;
            int layers = hidden ? depth : depth + 1;
            for (int layer = 0; layer < layers; layer++) {
                String x = metric == LayerMetric.GRAD_STD ? "g.epoch" : "min(g.iteration)";
                List<List<Object>> rows = Duck.rows("SELECT " + x + ", " + value + " FROM " + Duck.table(out, table)
                        + " g JOIN " + Duck.table(out, "trials") + " t USING (trial_id) WHERE " + filter
                        + " AND t.activation = '" + activation + "' AND t.depth = " + depth + " AND g.layer = "
                        + layer + " GROUP BY " + (bucket.equals("epoch") ? "g.epoch" : "g." + bucket)
                        + " ORDER BY 1");
                double[][] plotted = OverTimeFigures.points(panel, TrialFigures.layerName(layer, depth));
                assertThat(plotted).as(group + " layer " + layer).isNotNull();
                assertThat(plotted[0]).hasSize(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    assertThat(plotted[0][i]).isEqualTo(((Number) rows.get(i).get(0)).doubleValue());
                    assertThat(plotted[1][i]).as(group + " layer " + layer + " at " + plotted[0][i])
                            .isCloseTo(((Number) rows.get(i).get(1)).doubleValue(), within(1e-12));
                }
                if (span > 1) {
                    assertThat(rows).hasSize(EPOCHS * 12 / span);
                }
                lines++;
            }
        }
        assertThat(lines).isEqualTo(expectedLines); // every layer of every panel: hidden ones, and output for W
    }

    /** The heatmaps per depth hold only that depth's trials, on the whole sweep's rows and columns. */
    @Test
    void heatmapSmallMultiplesEqualDuckDbPerDepth() throws SQLException {
        List<GridHeatmaps.Grid> grids = GridHeatmaps.byPanel(data.trials(), "activation", "initializer", "depth");
        assertThat(grids).hasSize(2);
        for (int d = 0; d < 2; d++) {
            GridHeatmaps.Grid g = grids.get(d);
            assertThat(g.rows()).containsExactly("sigmoid", "relu");
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    List<List<Object>> cell = Duck.rows("SELECT avg(test_accuracy), median(grad_ratio) FROM "
                            + Duck.table(out, "trials") + " WHERE depth = " + (d + 2) + " AND activation = '"
                            + g.rows().get(r) + "' AND initializer = '" + g.columns().get(c) + "'");
                    assertThat(g.accuracy()[r][c]).isCloseTo((Double) cell.get(0).get(0), within(1e-12));
                    assertThat(g.gradRatio()[r][c]).isCloseTo((Double) cell.get(0).get(1), within(1e-12));
                }
            }
        }
    }

    @Test
    void thePageListsEveryNewFigure() throws IOException {
        Path to = dir.resolve("report");
        // one selected trial: the per-trial figures are not this test's, and drawing them all costs seconds
        ReportGenerator.Written w = ReportGenerator.write(data, new ReportOptions(out.toString(), null,
                to.toString(), List.of(data.trials().get(0).trialId()), List.of(), null));
        String html = Files.readString(w.html());
        for (String file : List.of("grid-heatmaps-by-depth.png", "curves.png", "activations-over-time.png",
                "activation-mean-std.png", "update-ratio.png", "grad-std-per-epoch.png")) {
            assertThat(w.images()).contains(to.resolve(file));
            assertThat(html).contains("title=\"" + file + "\"");
        }
        assertThat(data.timesteps()).isEmpty(); // no recurrent trial, so no figure of gradients through time
        assertThat(w.images()).doesNotContain(to.resolve("timestep-gradients.png"));
        assertThat(html).contains("<h2 id=\"curves\">Loss and accuracy per epoch, by activation × initializer</h2>")
                .contains("one row of panels per depth");
    }
}
