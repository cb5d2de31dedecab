package io.gradsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.report.ReportData.Histogram;
import io.gradsweep.report.ReportData.SmallGradients;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.GridAxis;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.Duck;
import io.gradsweep.train.TrialOutcome;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The histograms part of the report on one small real sweep: what Spark hands to the charts is checked against
 * DuckDB reading the raw rows of the same Parquet files, then drawn; and outputs without the table still report.
 */
class ReportLoaderTest {
    static final int EPOCHS = 3;
    static final int DEPTH = 4;

    static SparkSession spark;
    static List<TrialOutcome> outcomes;
    static ReportData data;

    @TempDir
    static Path dir;

    static Path out;

    @BeforeAll
    static void sweep() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-report-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        out = dir.resolve("results");
        // 96 samples in minibatches of 24: 4 iterations per epoch, so gradient histograms exist for after_epochs 0-3
        outcomes = new SweepJob(spark, new PrintWriter(new StringWriter())).run(SpecParser.parse("""
                name: hist
                dataset: {name: circles, samples: 96, noise: 0.1, factor: 0.5}
                train: {epochs: %d, batch_size: 24}
                grid: {activation: [sigmoid, relu], depth: [%d], width: [5], initializer: ["normal(0,1)"],
                       optimizer: [rmsprop], seed: [1]}
                """.formatted(EPOCHS, DEPTH)), new SweepJob.Options(out.toString(), 2, Grid.DEFAULT_MAX_TRIALS, false));
        data = ReportLoader.load(spark, options(out, dir.resolve("unused")));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static ReportOptions options(Path results, Path to) {
        return new ReportOptions(results.toString(), null, to.toString(), List.of(), List.of(), null);
    }

    @Test
    void binFractionsHandedToTheChartsEqualDuckDbOverTheRawRows() throws Exception {
        List<String> expected = new ArrayList<>();
        for (TrialOutcome o : outcomes) { // one trial per activation: both are selected
            for (String kind : List.of("weight", "gradient")) {
                for (int layer = 0; layer < DEPTH; layer++) { // hidden layers only, the output layer left out
                    expected.add(o.trialId() + "/" + kind + "/" + layer + "/0");
                    expected.add(o.trialId() + "/" + kind + "/" + layer + "/" + EPOCHS);
                }
            }
        }
        assertThat(data.histograms()).extracting(h -> h.trialId() + "/" + h.kind() + "/" + h.layer() + "/"
                + h.afterEpochs()).containsExactlyInAnyOrderElementsOf(expected);

        String raw = Duck.table(out, "histograms");
        for (Histogram h : data.histograms()) {
            List<List<Object>> rows = Duck.rows("SELECT sign, bin, bin_lo, count FROM " + raw + " WHERE trial_id = '"
                    + h.trialId() + "' AND kind = '" + h.kind() + "' AND layer = " + h.layer()
                    + " AND after_epochs = " + h.afterEpochs() + " AND param = 'W'");
            long total = rows.stream().mapToLong(r -> (Long) r.get(3)).sum();
            double[] fraction = new double[SignedBins.COUNT];
            for (List<Object> r : rows) {
                int sign = (Integer) r.get(0);
                int bin = (Integer) r.get(1);
                // the axis runs by signed value: negatives mirrored left of the zeros, each decade one step
                int position = SignedBins.ZERO + sign * (bin + 1);
                fraction[position] += (double) (Long) r.get(3) / total;
                if (r.get(2) != null && bin < 14 && sign != 0) { // the label names the decade's edge nearest zero
                    assertThat(Double.parseDouble(SignedBins.label(position)))
                            .isCloseTo(sign * (Double) r.get(2), within(1e-9 * (Double) r.get(2)));
                }
            }
            for (int i = 0; i < fraction.length; i++) {
                assertThat(h.fraction()[i]).as(h.trialId() + " " + h.kind() + " layer " + h.layer() + " after "
                        + h.afterEpochs() + " at " + SignedBins.label(i)).isCloseTo(fraction[i], within(1e-12));
            }
        }
        // every weight of the first layer was counted (2 inputs x 5 units), none lost to the filtering
        assertThat(Duck.scalar("SELECT sum(count) FROM " + raw + " WHERE kind = 'weight' AND layer = 0 AND "
                + "param = 'W' AND after_epochs = " + EPOCHS + " AND trial_id = '" + outcomes.get(0).trialId() + "'"))
                .isEqualTo(10);
    }

    /** Twelve iterations per trial fit in one window each: every L2 point is the raw row DuckDB reads. */
    @Test
    void gradientL2TracesAreTheRecordedNormsOfEachLayersWeights() throws Exception {
        String raw = Duck.table(out, "gradients");
        assertThat(data.traces()).hasSize(outcomes.size() * (DEPTH + 1));
        for (ReportData.LayerTrace t : data.traces()) {
            List<List<Object>> rows = Duck.rows("SELECT iteration, l2 FROM " + raw + " WHERE trial_id = '"
                    + t.trialId() + "' AND layer = " + t.layer() + " AND param = 'W' ORDER BY iteration");
            assertThat(t.window()).isEqualTo(1);
            assertThat(t.iteration()).hasSize(EPOCHS * 4).hasSize(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertThat(t.iteration()[i]).isEqualTo(((Number) rows.get(i).get(0)).doubleValue());
                assertThat(t.gradL2()[i]).as(t.trialId() + " layer " + t.layer() + " iteration " + i)
                        .isEqualTo((Double) rows.get(i).get(1)).isPositive();
                assertThat(t.gradNonFinite()[i]).isZero();
            }
        }
    }

    /** One trial per activation: each dL/ds profile point is that trial's std at its first or last iteration. */
    @Test
    void preactivationProfilesEqualDuckDbOverTheRawRows() throws Exception {
        String raw = Duck.table(out, "activations");
        assertThat(data.preactProfiles()).extracting(ReportData.LayerProfile::group)
                .containsExactlyInAnyOrder("sigmoid", "relu");
        for (ReportData.LayerProfile p : data.preactProfiles()) {
            TrialOutcome o = outcomes.stream().filter(t -> t.config().activation().toString().equals(p.group()))
                    .findFirst().orElseThrow();
            assertThat(p.layer()).containsExactly(0, 1, 2, 3); // hidden layers only
            for (int layer = 0; layer < DEPTH; layer++) {
                String at = " FROM " + raw + " WHERE trial_id = '" + o.trialId() + "' AND layer = " + layer
                        + " AND iteration = (SELECT %s(iteration) FROM " + raw + ")";
                assertThat(p.initStd()[layer]).as(p.group() + " init " + layer)
                        .isEqualTo(Duck.scalar("SELECT preact_grad_std" + at.formatted("min")));
                assertThat(p.endStd()[layer]).as(p.group() + " end " + layer)
                        .isEqualTo(Duck.scalar("SELECT preact_grad_std" + at.formatted("max")));
            }
        }
    }

    /** The report's trials carry every grid axis, as the same text the console shows for the config. */
    @Test
    void eachTrialCarriesEveryGridAxisAsText() {
        assertThat(data.trials()).hasSize(outcomes.size());
        for (ReportData.Trial t : data.trials()) {
            TrialConfig config = outcomes.stream().filter(o -> o.trialId().equals(t.trialId())).findFirst()
                    .orElseThrow().config();
            for (GridAxis axis : GridAxis.values()) {
                assertThat(t.axis(axis.column())).as(axis.column()).isEqualTo(axis.text(config));
            }
        }
        assertThat(data.trials().get(0).axis("learning_rate")).isEqualTo("0.001");
        assertThat(data.trials().get(0).axis("sequence_length")).isEqualTo("null");
    }

    @Test
    void smallGradientSharesEqualDuckDbOverTheRawRows() throws Exception {
        assertThat(data.smallGradients()).hasSize(outcomes.size() * DEPTH);
        for (SmallGradients s : data.smallGradients()) {
            // bin_hi is the table's own upper edge: a bin lies below 1e-6 when its edge does (up to rounding)
            List<List<Object>> rows = Duck.rows("SELECT after_epochs, coalesce(sum(count) FILTER (WHERE sign = 0 "
                    + "OR bin_hi <= 1.000001e-6), 0) / sum(count) FROM " + Duck.table(out, "histograms")
                    + " WHERE trial_id = '" + s.trialId() + "' AND kind = 'gradient' AND param = 'W' AND layer = "
                    + s.layer() + " GROUP BY after_epochs ORDER BY after_epochs");
            assertThat(s.afterEpochs()).containsExactly(0, 1, 2, 3);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(s.fraction()[i]).isCloseTo((Double) rows.get(i).get(1), within(1e-12));
            }
        }
    }

    @Test
    void theReportDrawsThreeDistributionFiguresPerSelectedTrial() throws IOException {
        Path to = dir.resolve("report");
        ReportGenerator.Written w = ReportGenerator.write(data, options(out, to));
        String html = Files.readString(w.html());
        assertThat(html).contains("<h2 id=\"distributions\">");
        for (TrialOutcome o : outcomes) {
            for (String suffix : List.of("-weight-histograms.png", "-gradient-histograms.png",
                    "-small-gradients.png")) {
                Path png = to.resolve("trial-" + o.trialId() + suffix);
                assertThat(w.images()).contains(png);
                assertThat(Files.size(png)).as(png.toString()).isGreaterThan(10_000);
                BufferedImage image = ImageIO.read(png.toFile());
                boolean grid = suffix.endsWith("histograms.png");
                assertThat(List.of(image.getWidth(), image.getHeight())).isEqualTo(grid
                        ? List.of(DEPTH * DistributionFigures.PANEL_WIDTH, DistributionFigures.PANEL_HEIGHT)
                        : List.of(ChartStyle.PANEL_WIDTH, ChartStyle.PANEL_HEIGHT));
                assertThat(html).contains("title=\"" + png.getFileName() + "\"");
            }
        }
    }

    /** Results written before the table existed have no histograms directory; others may hold it empty. */
    @Test
    void withoutHistogramsTheReportLeavesTheSectionOut() throws Exception {
        Path absent = copyWithoutHistograms("absent");
        Path empty = copyWithoutHistograms("empty");
        Path part = Files.createDirectories(empty.resolve("histograms/sweep=hist")).resolve("part-0.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_parquet('" + out + "/histograms/*/*.parquet') LIMIT 0) TO '" + part
                    + "' (FORMAT parquet)");
        }
        assertThat(part).exists();

        for (Path results : List.of(absent, empty)) {
            ReportData old = ReportLoader.load(spark, options(results, dir.resolve("unused")));
            assertThat(old.histograms()).as(results.toString()).isEmpty();
            assertThat(old.smallGradients()).isEmpty();
            assertThat(old.traces()).isNotEmpty();

            Path to = results.resolveSibling(results.getFileName() + "-report");
            ReportGenerator.Written w = ReportGenerator.write(old, options(results, to));
            // heatmaps, the five over-time figures (no third axis: no small multiples), layer std of dL/dW and dL/ds,
            // and the gradients and weights figures of each selected trial: nothing else
            assertThat(w.images()).hasSize(3 + 5 + 2 * outcomes.size());
            try (Stream<Path> files = Files.list(to)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.endsWith("-histograms.png") || n.endsWith("-small-gradients.png"));
            }
            assertThat(Files.readString(w.html())).doesNotContain("id=\"distributions\"")
                    .contains("<h2 id=\"trials\">");
        }
    }

    /**
     * Output as a version before the histograms table wrote it: no histograms, and trials parts without the row
     * counts that commit now records (which would name the missing parts), rewritten by DuckDB.
     */
    private static Path copyWithoutHistograms(String name) throws Exception {
        Path copy = dir.resolve(name);
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.toList()) {
                Path rel = out.relativize(p);
                if (!rel.startsWith("histograms") && !(rel.startsWith("trials") && p.toString().endsWith(".crc"))) {
                    Files.copy(p, copy.resolve(rel.toString()));
                }
            }
        }
        try (Stream<Path> files = Files.list(copy.resolve("trials/sweep=hist"));
             Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            for (Path part : files.toList()) {
                Path tmp = part.resolveSibling("rewrite.tmp");
                st.execute("COPY (SELECT * FROM read_parquet('" + part + "')) TO '" + tmp + "' (FORMAT parquet)");
                Files.move(tmp, part, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }
}
