package io.gradsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.analysis.ResultSql;
import io.gradsweep.analysis.SqlEngine;
import io.gradsweep.report.ReportData.TimestepProfile;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.testing.Duck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/**
 * The report's gradient-through-time figure on a real recurrent sweep (two models, two lengths, two seeds), loaded
 * through DuckDB: every plotted ratio is checked against DuckDB's own SQL over the raw Parquet files, which takes the
 * last step's norm by a join rather than the loader's window and its median with quantile_cont.
 */
class ReportRecurrentTest {
    static final int EPOCHS = 3;

    static ReportData data;

    /** The same results loaded through Spark SQL, the report's other engine. */
    static ReportData sparkData;

    @TempDir
    static Path dir;

    static Path out;

    @BeforeAll
    static void sweep() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("gradsweep-report-recurrent-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        out = dir.resolve("results");
        try {
            new SweepJob(spark, new PrintWriter(new StringWriter())).run(SpecParser.parse("""
                    name: through-time
                    dataset: {name: adding, samples: 64, length: 5, seed: 1, test_fraction: 0.25}
                    train: {epochs: %d, batch_size: 16}
                    grid: {model: [simple_rnn, lstm], sequence_length: [5, 8], activation: [tanh], depth: [1],
                           width: [4], initializer: [glorot_uniform], optimizer: [adam], learning_rate: [0.01],
                           seed: [1, 2]}
                    """.formatted(EPOCHS)), new SweepJob.Options(out.toString(), 2, Grid.DEFAULT_MAX_TRIALS, false));
            sparkData = ReportLoader.load(spark, options());
        } finally {
            spark.stop();
        }
        try (ResultSql db = ResultSql.open(SqlEngine.DUCKDB, out.toString(), null, null, "test")) {
            data = ReportLoader.load(db, options());
        }
    }

    private static ReportOptions options() {
        return new ReportOptions(out.toString(), null, dir.resolve("unused").toString(), List.of(), List.of(), null);
    }

    @Test
    void sparkSqlLoadsTheSameProfilesAsDuckDb() {
        assertThat(sparkData.timesteps()).hasSize(data.timesteps().size()).hasSize(4 * (1 + EPOCHS));
        for (int i = 0; i < data.timesteps().size(); i++) {
            TimestepProfile duck = data.timesteps().get(i);
            TimestepProfile spark = sparkData.timesteps().get(i);
            assertThat(List.of(spark.model(), spark.length(), spark.line()))
                    .isEqualTo(List.of(duck.model(), duck.length(), duck.line()));
            assertThat(spark.t()).containsExactly(duck.t());
            assertThat(spark.ratio()).containsExactly(duck.ratio(), within(1e-12));
        }
    }

    @Test
    void plottedRatiosEqualDuckDbOverTheRawRows() throws Exception {
        List<XYChart> panels = TimestepFigures.panels(data.timesteps());
        assertThat(panels).extracting(XYChart::getTitle).containsExactly(
                "simple_rnn, T = 5: gradient reaching each step", "simple_rnn, T = 8: gradient reaching each step",
                "lstm, T = 5: gradient reaching each step", "lstm, T = 8: gradient reaching each step");
        int checked = 0;
        for (XYChart panel : panels) {
            String model = panel.getTitle().substring(0, panel.getTitle().indexOf(','));
            int length = Integer.parseInt(panel.getTitle().replaceAll("^.*T = (\\d+):.*$", "$1"));
            assertThat(panel.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).map(s -> s.getName()))
                    .containsExactly(TimestepFigures.FIRST_LINE, "epoch 0", "epoch 1", "epoch 2");
            for (int line = TimestepProfile.FIRST; line < EPOCHS; line++) {
                String where = line == TimestepProfile.FIRST ? "r.iteration = 0" : "r.epoch = " + line;
                List<List<Object>> rows = Duck.rows("WITH g AS (SELECT * FROM " + Duck.table(out,
                        "timestep_gradients") + " WHERE layer = 0), tr AS (SELECT * FROM " + Duck.table(out, "trials")
                        + "), last AS (SELECT g.trial_id, g.iteration, g.l2 AS l2_last FROM g JOIN tr USING "
                        + "(trial_id) WHERE g.t = tr.sequence_length - 1), r AS (SELECT g.trial_id, g.epoch, "
                        + "g.iteration, g.t, g.l2 / last.l2_last AS ratio FROM g JOIN last USING (trial_id, "
                        + "iteration)) SELECT r.t, quantile_cont(r.ratio, 0.5), count(*) FROM r JOIN tr USING "
                        + "(trial_id) WHERE tr.model = '" + model + "' AND tr.sequence_length = " + length
                        + " AND " + where + " GROUP BY r.t ORDER BY r.t");
                assertThat(rows).hasSize(length);
                // two seeds, at one iteration (the first) or at each of the epoch's three updates
                assertThat(((Number) rows.get(0).get(2)).intValue()).isEqualTo(line == TimestepProfile.FIRST ? 2 : 6);
                double[][] plotted = OverTimeFigures.points(panel, line == TimestepProfile.FIRST
                        ? TimestepFigures.FIRST_LINE : "epoch " + line);
                assertThat(plotted[0]).hasSize(length);
                for (int t = 0; t < length; t++) {
                    assertThat(plotted[0][t]).isEqualTo(t);
                    assertThat(plotted[1][t]).as(panel.getTitle() + " line " + line + " t " + t)
                            .isCloseTo((Double) rows.get(t).get(1), within(1e-12));
                    checked++;
                }
                assertThat(plotted[1][length - 1]).isEqualTo(1.0);
            }
        }
        assertThat(checked).isEqualTo((1 + EPOCHS) * 2 * (5 + 8));
    }

    /** Past 12 decades (a long sequence's 1e-40) the panels plot exponents on a linear axis; zeros are not drawn. */
    @Test
    void ratiosSpanningManyDecadesArePlottedAsExponents() {
        List<TimestepProfile> wide = List.of(
                new TimestepProfile("simple_rnn", 4, TimestepProfile.FIRST, new double[] {0, 1, 2, 3},
                        new double[] {1e-30, 1e-20, 0.5, 1}),
                new TimestepProfile("simple_rnn", 4, 0, new double[] {0, 1, 2, 3}, new double[] {0, 1e-10, 0.1, 1}));
        assertThat(TimestepFigures.decades(wide)).isCloseTo(30, within(1e-12));
        XYChart c = TimestepFigures.panels(wide).get(0);
        assertThat(c.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(OverTimeFigures.points(c, TimestepFigures.FIRST_LINE)[1])
                .containsExactly(new double[] {-30, -20, Math.log10(0.5), 0}, within(1e-12));
        assertThat(OverTimeFigures.points(c, "epoch 0")[0]).containsExactly(1, 2, 3);
        // this sweep's ratios span few decades: a log axis, as the other test reads it
        assertThat(TimestepFigures.decades(data.timesteps())).isLessThan(TimestepFigures.MAX_LOG_DECADES);
    }

    @Test
    void theReportOfARecurrentSweepDrawsTheFigure() throws Exception {
        Path to = dir.resolve("report");
        ReportGenerator.Written w = ReportGenerator.write(data, new ReportOptions(out.toString(), null,
                to.toString(), List.of(data.trials().get(0).trialId()), List.of(), null));
        assertThat(w.images()).contains(to.resolve("timestep-gradients.png"));
        assertThat(Files.size(to.resolve("timestep-gradients.png"))).isGreaterThan(10_000);
        assertThat(Files.readString(w.html())).contains("<h2 id=\"timesteps\">Gradient through time</h2>")
                .contains("title=\"timestep-gradients.png\"");
    }
}
