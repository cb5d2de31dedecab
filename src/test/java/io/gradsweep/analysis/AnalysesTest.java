package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.InvalidInputException;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.train.TrialOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The views and the canned analyses on two real sweeps, checked against the job's own numbers and DuckDB. */
class AnalysesTest {
    static SparkSession spark;
    static List<TrialOutcome> outcomes;
    static Map<String, TrialOutcome> byId;

    @TempDir
    static Path dir;

    static String out;

    @BeforeAll
    static void start() throws Exception {
        spark = Fixtures.session();
        out = dir.resolve("results").toString();
        outcomes = Fixtures.run(spark, out);
        byId = outcomes.stream().collect(Collectors.toMap(TrialOutcome::trialId, Function.identity()));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<Row> analysis(String name, Map<String, String> params) {
        return SqlQueries.analysis(spark, Analyses.get(name).bind(params)).collectAsList();
    }

    @Test
    void viewsCoverEveryTableAndSweepWithASweepColumn() {
        ResultViews.Registered r = ResultViews.register(spark, out, null);
        assertThat(r.sweeps()).containsExactly("boom", "mix");
        for (Table<?> t : Tables.ALL) {
            assertThat(spark.table(t.name()).columns()).as(t.name())
                    .containsExactlyElementsOf(Stream.concat(t.columnNames().stream(), Stream.of("sweep")).toList());
        }
        Map<String, Long> perSweep = new TreeMap<>();
        spark.sql("SELECT sweep, count(*) FROM trials GROUP BY sweep").collectAsList()
                .forEach(row -> perSweep.put(row.getString(0), row.getLong(1)));
        assertThat(perSweep).containsExactly(Map.entry("boom", 2L), Map.entry("mix", 12L));
        // mix: 200 samples / 32 = 7 iterations x 3 epochs, 9 layers x (W, b)
        assertThat(spark.sql("SELECT count(*) FROM gradients WHERE sweep = 'mix'").first().getLong(0))
                .isEqualTo(12 * 21 * 18);

        ResultViews.register(spark, out, "boom");
        assertThat(spark.sql("SELECT count(*), min(sweep), max(sweep) FROM trials").first().toString())
                .isEqualTo("[2,boom,boom]");
        assertThat(spark.sql("SELECT DISTINCT sweep FROM epochs").collectAsList()).hasSize(1);
    }

    @Test
    void aMissingTableIsAnEmptyViewAndStagedFilesStayInvisible() throws Exception {
        Path partial = dir.resolve("partial");
        Path trials = Files.createDirectories(partial.resolve("trials/sweep=mix"));
        List<Path> parts;
        try (Stream<Path> files = Files.list(Path.of(out, "trials", "sweep=mix"))) {
            parts = files.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
        // Rewritten by DuckDB, like output of a version before commit recorded each table's rows: with the record,
        // the missing parts would be damage (see PartCheck), not tables that were never written.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            for (Path f : parts) {
                st.execute("COPY (SELECT * FROM read_parquet('" + f + "')) TO '" + trials.resolve(f.getFileName())
                        + "' (FORMAT parquet)");
            }
        }
        // An in-flight batch: neither under a table directory nor named *.parquet.
        Path staged = Files.createDirectories(partial.resolve("_staging/sweep=mix/b00001.0"));
        Files.copy(parts.get(0), staged.resolve("trials.parquet.tmp"));

        ResultViews.Registered r = ResultViews.register(spark, partial.toString(), null);
        assertThat(r.sweeps()).containsExactly("mix");
        assertThat(spark.sql("SELECT count(*) FROM trials").first().getLong(0)).isEqualTo(12);
        assertThat(spark.sql("SELECT count(*) FROM gradients").first().getLong(0)).isZero();
        assertThat(spark.table("epochs").columns()).contains("train_loss", "sweep");
        assertThat(analysis("layer-profile", Map.of())).isEmpty();
        assertThat(analysis("leaderboard", Map.of())).hasSize(6);
    }

    @Test
    void anUnknownSweepOrAnEmptyDirectoryIsInvalidInput() throws Exception {
        assertThatThrownBy(() -> ResultViews.register(spark, out, "nope"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot select sweep: '--sweep' is 'nope'; expected one of boom, mix");
        Path empty = Files.createDirectories(dir.resolve("empty/trials"));
        assertThatThrownBy(() -> ResultViews.register(spark, empty.getParent().toString(), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot query results: '--out' is " + empty.getParent()
                        + "; expected a directory holding gradsweep results (<table>/sweep=<name>/*.parquet)");
    }

    @Test
    void layerProfileMatchesAnIndependentDuckDbComputation() throws Exception {
        ResultViews.register(spark, out, null);
        List<Row> spark = analysis("layer-profile", Map.of());
        assertThat(spark).hasSize(12 * 9 + 2 * 4);

        String g = "read_parquet('" + out + "/gradients/**/*.parquet', hive_partitioning = true)";
        String t = "read_parquet('" + out + "/trials/**/*.parquet', hive_partitioning = true)";
        String duckSql = "WITH m AS (SELECT sweep, trial_id, layer, count(*) AS n, median(std) AS s, "
                + "quantile_cont(l2, 0.5) AS l FROM " + g + " WHERE param = 'W' AND isfinite(l2) GROUP BY ALL) "
                + "SELECT m.sweep, m.trial_id, m.layer, m.n, m.s, m.l, m.s / last.s FROM m JOIN " + t + " t "
                + "ON t.sweep = m.sweep AND t.trial_id = m.trial_id LEFT JOIN m last ON last.sweep = m.sweep "
                + "AND last.trial_id = m.trial_id AND last.layer = t.depth - 1";
        Map<String, double[]> duck = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(duckSql)) {
            while (rs.next()) {
                duck.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3),
                        new double[] {rs.getLong(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)});
            }
        }
        assertThat(duck).hasSize(spark.size());
        for (Row r : spark) {
            double[] d = duck.get(r.getAs("sweep") + "/" + r.getAs("trial_id") + "/" + r.getAs("layer"));
            assertThat(d).as("DuckDB row for %s", r).isNotNull();
            assertThat((long) r.getAs("iterations")).isEqualTo((long) d[0]);
            assertRelative(r.getAs("median_std"), d[1]);
            assertRelative(r.getAs("median_l2"), d[2]);
            assertRelative(r.getAs("std_ratio_to_last_hidden"), d[3]);
        }
        // The classic picture: sigmoid with N(0,1) weights, first layer orders of magnitude below the last.
        double sigmoidFirst = spark.stream().filter(r -> r.getAs("activation").equals("sigmoid")
                && r.getAs("initializer").equals("normal(0,1)") && (int) r.getAs("layer") == 0)
                .mapToDouble(r -> r.getAs("std_ratio_to_last_hidden")).max().orElseThrow();
        assertThat(sigmoidFirst).isLessThan(0.01);
    }

    static void assertRelative(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-9 * Math.max(Math.abs(expected), 1e-300)));
    }

    @Test
    void diagnosisAgreesWithTheJobForEveryTrial() {
        ResultViews.register(spark, out, null);
        List<Row> rows = analysis("diagnosis", Map.of());
        assertThat(rows).hasSize(14);
        Map<String, Long> seen = new TreeMap<>();
        for (Row r : rows) {
            TrialOutcome o = byId.get(r.<String>getAs("trial_id"));
            assertThat(r.<String>getAs("gradient_diagnosis")).as(o.trialId()).isEqualTo(o.diagnosis())
                    .isEqualTo(r.<String>getAs("job_diagnosis"));
            assertThat(r.<String>getAs("diagnosis")).as(o.trialId())
                    .isEqualTo(o.status().equals(TrialOutcome.DIVERGED) ? "diverged" : o.diagnosis());
            assertRelative(r.getAs("grad_ratio"), o.gradRatio());
            assertThat(r.<Double>getAs("max_grad_l2")).isEqualTo(o.maxGradL2());
            seen.merge(r.getAs("activation") + "/" + r.getAs("initializer") + ":" + r.getAs("diagnosis"), 1L,
                    Long::sum);
            double chance = o.chance();
            double accuracy = o.testAccuracy() != null ? o.testAccuracy() : o.trainAccuracy();
            assertThat(r.<Double>getAs("chance")).isEqualTo(chance);
            if (o.diagnosis().equals("stalled")) {
                assertThat(accuracy).as(o.trialId()).isLessThan(chance + 0.05);
                assertThat(o.gradRatio()).as(o.trialId()).isGreaterThanOrEqualTo(0.1);
            } else if (o.diagnosis().equals("healthy")) {
                assertThat(accuracy).as(o.trialId()).isGreaterThanOrEqualTo(chance + 0.05);
            }
        }
        // three epochs on 200 samples: one seed of tanh and relu with N(0,1) weights has not left chance yet
        assertThat(seen).containsEntry("sigmoid/normal(0,1):vanishing", 2L)
                .containsEntry("tanh/normal(0,1):healthy", 1L).containsEntry("tanh/normal(0,1):stalled", 1L)
                .containsEntry("relu/normal(0,1):healthy", 1L).containsEntry("relu/normal(0,1):stalled", 1L)
                .containsEntry("linear/normal(0,10):diverged", 1L)
                .containsEntry("linear/normal(0,10):exploding", 1L);

        // The thresholds are parameters: loosen both and nothing vanishes or explodes any more; what vanished at
        // chance is stalled now, and a zero margin leaves stalled only the trials below chance.
        List<Row> loose = analysis("diagnosis", Map.of("vanishing_ratio", "1e-9", "exploding_l2", "1e30"));
        assertThat(loose.stream().map(r -> r.<String>getAs("diagnosis")).distinct().sorted())
                .containsExactly("diverged", "healthy", "stalled");
        List<Row> unmarged = analysis("diagnosis", Map.of("vanishing_ratio", "1e-9", "exploding_l2", "1e30",
                "stalled_margin", "0"));
        for (Row r : unmarged) {
            if (r.<String>getAs("status").equals("diverged")) {
                continue; // its gradients are non-finite: exploding whatever the threshold
            }
            boolean below = r.<Double>getAs("final_accuracy") < r.<Double>getAs("chance");
            assertThat(r.<String>getAs("gradient_diagnosis")).isEqualTo(below ? "stalled" : "healthy");
        }
    }

    @Test
    void leaderboardAggregatesSeedsAsMeanStdAndN() {
        ResultViews.register(spark, out, null);
        List<Row> rows = analysis("leaderboard", Map.of());
        assertThat(rows).hasSize(6 + 2);
        for (int i = 1; i < rows.size(); i++) { // configurations with a diverged seed come after all others
            boolean diverged = rows.get(i).<Long>getAs("diverged") > 0;
            boolean before = rows.get(i - 1).<Long>getAs("diverged") > 0;
            assertThat(diverged || !before).as("row " + i).isTrue();
            if (diverged == before) {
                assertThat(rows.get(i).<Double>getAs("accuracy_mean"))
                        .isLessThanOrEqualTo(rows.get(i - 1).<Double>getAs("accuracy_mean"));
            }
        }
        assertThat(rows.get(rows.size() - 1).<Long>getAs("diverged")).isEqualTo(1);
        for (Row r : rows) {
            List<TrialOutcome> seeds = outcomes.stream().filter(o -> o.config().activation().toString()
                    .equals(r.getAs("activation")) && o.config().initializer().toString().equals(r.getAs("initializer"))
                    && o.config().learningRate() == r.<Double>getAs("learning_rate")).toList();
            double[] acc = seeds.stream().mapToDouble(o -> o.testAccuracy() != null ? o.testAccuracy()
                    : o.trainAccuracy()).toArray();
            double mean = java.util.Arrays.stream(acc).average().orElseThrow();
            assertThat(r.<Long>getAs("n")).isEqualTo(acc.length);
            assertThat(r.<Double>getAs("accuracy_mean")).isCloseTo(mean, within(1e-12));
            if (acc.length > 1) {
                double var = java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / (acc.length - 1);
                assertThat(r.<Double>getAs("accuracy_std")).isCloseTo(Math.sqrt(var), within(1e-12));
                assertThat(r.<String>getAs("accuracy")).isEqualTo(String.format("%.4f ± %.4f", mean, Math.sqrt(var)));
            } else {
                assertThat(r.<Double>getAs("accuracy_std")).isNull();
            }
            assertThat(r.<String>getAs("split")).isEqualTo(r.getAs("sweep").equals("boom") ? "test" : "train");
        }
    }

    @Test
    void gridEffectPivotsAccuracyAndVanishingRateOverTwoAxes() {
        ResultViews.register(spark, out, "mix");
        List<Row> wide = analysis("grid-effect", Map.of());
        assertThat(SqlQueries.analysis(spark, Analyses.get("grid-effect").bind(Map.of())).columns())
                .containsExactly("activation", "glorot_uniform_mean_accuracy", "glorot_uniform_vanishing_rate",
                        "normal(0,1)_mean_accuracy", "normal(0,1)_vanishing_rate");
        assertThat(wide).hasSize(3);
        for (Row r : wide) {
            for (String init : List.of("glorot_uniform", "normal(0,1)")) {
                List<TrialOutcome> cell = outcomes.stream().filter(o -> o.config().activation().toString()
                        .equals(r.getAs("activation")) && o.config().initializer().toString().equals(init)).toList();
                assertThat(r.<Double>getAs(init + "_mean_accuracy")).isCloseTo(cell.stream()
                        .mapToDouble(TrialOutcome::trainAccuracy).average().orElseThrow(), within(1e-12));
                assertThat(r.<Double>getAs(init + "_vanishing_rate")).isEqualTo(cell.stream()
                        .mapToDouble(o -> o.diagnosis().equals("vanishing") ? 1 : 0).average().orElseThrow());
            }
        }
        List<Row> sigmoid = analysis("grid-effect", Map.of("rows", "initializer", "columns", "activation"));
        assertThat(sigmoid).hasSize(2);
        assertThat(analysis("grid-effect", Map.of("columns", "seed", "layout", "long"))).hasSize(3 * 2)
                .allSatisfy(r -> assertThat(r.<Long>getAs("trials")).isEqualTo(2));
    }

    /** boom's learning rates 1000 and 1e-4 at half a bin per decade: [100, 10^4) and [10^-4, 10^-2). */
    @Test
    void gridEffectBinsAContinuousAxisByItsLowerEdge() {
        ResultViews.register(spark, out, "boom");
        Map<String, String> binned = Map.of("rows", "learning_rate", "columns", "activation", "layout", "long");
        List<Row> levels = analysis("grid-effect", binned);
        assertThat(levels).extracting(r -> r.<Double>getAs("learning_rate")).containsExactly(1e-4, 1000.0);
        Map<String, String> half = new java.util.HashMap<>(binned);
        half.put("bins", "0.5");
        List<Row> bins = analysis("grid-effect", half);
        assertThat(bins).extracting(r -> r.<Double>getAs("learning_rate")).containsExactly(1e-4, 100.0);
        assertThat(bins).extracting(r -> r.<Long>getAs("trials")).containsExactly(1L, 1L);
        half.put("bins", "0.25"); // one bin of four decades, [10^-4, 1), and one from 1 holding 1000
        assertThat(analysis("grid-effect", half)).extracting(r -> r.<Double>getAs("learning_rate"))
                .containsExactly(1e-4, 1.0);
        assertThat(AxisBins.expression("depth", 4)).isEqualTo("depth");
        assertThatThrownBy(() -> Analyses.get("grid-effect").bind(Map.of("bins", "4"))).hasMessage("Cannot run "
                + "analysis 'grid-effect': 'bins' is 4 with rows=activation and columns=initializer; expected 0 (no "
                + "binning), or a positive number with 'rows' or 'columns' one of dropout, learning_rate");
        assertThatThrownBy(() -> Analyses.get("grid-effect").bind(Map.of("rows", "learning_rate", "bins", "-1")))
                .hasMessageContaining("'bins' is -1 with rows=learning_rate");
    }

    @Test
    void badParametersAndBadSqlAreInvalidInputWithTheChoices() {
        ResultViews.register(spark, out, null);
        Analysis grid = Analyses.get("grid-effect");
        assertThatThrownBy(() -> Analyses.get("nope")).hasMessage("Cannot run analysis: '--analysis' is 'nope'; "
                + "expected one of layer-profile, diagnosis, leaderboard, grid-effect, workers, timestep-ratio, "
                + "activation-profile, preact-profile");
        assertThatThrownBy(() -> grid.bind(Map.of("row", "depth"))).hasMessage("Cannot run analysis "
                + "'grid-effect': '--param' is 'row'; expected one of rows, columns, layout, bins");
        assertThatThrownBy(() -> grid.bind(Map.of("rows", "depth; DROP VIEW trials"))).hasMessage("Cannot run "
                + "analysis 'grid-effect': 'rows' is 'depth; DROP VIEW trials'; expected one of "
                + String.join(", ", AnalysisParam.AXES));
        assertThatThrownBy(() -> grid.bind(Map.of("rows", "seed", "columns", "seed"))).hasMessage("Cannot run "
                + "analysis 'grid-effect': 'columns' is 'seed'; expected an axis other than 'rows'");
        assertThatThrownBy(() -> Analyses.get("diagnosis").bind(Map.of("exploding_l2", "1e3 OR 1=1")))
                .hasMessage("Cannot run analysis 'diagnosis': 'exploding_l2' is '1e3 OR 1=1'; expected a finite "
                        + "number or recorded");
        assertThatThrownBy(() -> Analyses.get("layer-profile").bind(Map.of("x", "1"))).hasMessage("Cannot run "
                + "analysis 'layer-profile': '--param' is 'x'; expected none, it takes no parameters");

        assertThatThrownBy(() -> SqlQueries.sql(spark, "SELEC * FROM trials"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Cannot run query: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'")
                .hasMessageEndingWith("Views: activations, epochs, gradients, histograms, timestep_gradients, trials"
                        + " (see docs/analysis.md)");
        assertThatThrownBy(() -> SqlQueries.sql(spark, "SELECT nope FROM trials"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Cannot run query: [UNRESOLVED_COLUMN.WITH_SUGGESTION]");
    }

    @Test
    void everyShippedAnalysisParsesAndAxesAreRealTrialsColumns() {
        assertThat(Analyses.all()).extracting(Analysis::name).containsExactlyElementsOf(Analyses.NAMES);
        assertThat(Analyses.all()).allSatisfy(a -> assertThat(a.description()).isNotBlank());
        List<String> trialsColumns = Stream.concat(Tables.TRIALS.columnNames().stream(), Stream.of("sweep")).toList();
        assertThat(trialsColumns).containsAll(AnalysisParam.AXES);
        assertThat(Analyses.get("diagnosis").params()).extracting(AnalysisParam::name, AnalysisParam::defaultValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vanishing_ratio", "recorded"),
                        org.assertj.core.groups.Tuple.tuple("exploding_l2", "recorded"),
                        org.assertj.core.groups.Tuple.tuple("stalled_margin", "recorded"));
    }
}
