package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.InvalidInputException;
import io.gradsweep.report.ReportData;
import io.gradsweep.report.ReportLoader;
import io.gradsweep.report.ReportOptions;
import io.gradsweep.train.TrialOutcome;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every canned analysis, and the report's loading, through Spark SQL and DuckDB on the same sweeps, compared cell
 * by cell: the two engines must give the same answer, so that which one ran is only a matter of speed.
 */
class EngineAgreementTest {
    static SparkSession spark;
    static List<TrialOutcome> outcomes;

    @TempDir
    static Path dir;

    static String out;

    @BeforeAll
    static void start() throws Exception {
        spark = Fixtures.session();
        out = dir.resolve("results").toString();
        outcomes = Fixtures.run(spark, out);
        Fixtures.runRecurrent(spark, out);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Each analysis with its defaults, plus the other layout and axes that change the SQL's shape. */
    static List<Analysis.Bound> cases() {
        List<Analysis.Bound> all = new ArrayList<>();
        for (String name : Analyses.NAMES) {
            all.add(Analyses.get(name).bind(Map.of()));
        }
        all.add(Analyses.get("grid-effect").bind(Map.of("layout", "long")));
        all.add(Analyses.get("grid-effect").bind(Map.of("rows", "initializer", "columns", "seed")));
        all.add(Analyses.get("grid-effect").bind(Map.of("rows", "learning_rate", "columns", "activation",
                "bins", "0.5")));
        all.add(Analyses.get("diagnosis").bind(Map.of("vanishing_ratio", "0.5", "exploding_l2", "10")));
        for (String windowed : List.of("timestep-ratio", "activation-profile", "preact-profile")) {
            all.add(Analyses.get(windowed).bind(Map.of("window", "2")));
        }
        return all;
    }

    @Test
    void everyCannedAnalysisGivesTheSameCellsOnBothEngines() throws SQLException {
        ResultViews.register(spark, out, null);
        try (DuckResults duck = DuckResults.open(out, null, null)) {
            for (Analysis.Bound bound : cases()) {
                List<ResultRow> expected = SparkResults.rows(SqlQueries.analysis(spark, bound));
                List<ResultRow> actual;
                try (ResultSet rs = duck.analysis(bound)) {
                    actual = DuckResults.rows(rs);
                }
                String what = bound.name() + " " + bound.values();
                assertThat(actual).as(what).hasSameSizeAs(expected);
                if (!bound.name().equals("workers")) { // no data-parallel trial in these sweeps: no rows anywhere
                    assertThat(expected).as(what).isNotEmpty();
                }
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).columns()).as(what).isEqualTo(expected.get(i).columns());
                    for (int c = 0; c < expected.get(i).columns().size(); c++) {
                        assertSameCell(actual.get(i).get(c), expected.get(i).get(c),
                                what + " row " + i + " column " + expected.get(i).columns().get(c));
                    }
                }
            }
        }
    }

    @Test
    void theReportLoadsTheSameDataOnBothEngines() {
        ReportOptions options = new ReportOptions(out, "mix", dir.resolve("r").toString(), List.of(), List.of(), null);
        ReportData expected = ReportLoader.load(SparkResults.over(spark, out, "mix"), options);
        ReportData actual;
        try (DuckResults duck = DuckResults.open(out, "mix", null)) {
            actual = ReportLoader.load(duck, options);
        }
        assertThat(expected.trials()).hasSize(12);
        assertThat(expected.traces()).isNotEmpty();
        assertSameValue(actual, expected, "report");
    }

    /**
     * A trial committed twice (its batch's files copied under a second batch key, as two drivers on one sweep
     * without the lock would leave it) is refused by both engines before any view exists.
     */
    @Test
    void aTrialCommittedTwiceIsRefusedByEitherEngine() throws Exception {
        Path twice = dir.resolve("twice");
        String batch = null;
        for (String table : List.of("trials", "epochs", "gradients", "activations", "histograms",
                "timestep_gradients")) {
            Path from = Path.of(out, table, "sweep=boom");
            if (!Files.isDirectory(from)) {
                continue;
            }
            Path to = Files.createDirectories(twice.resolve(table).resolve("sweep=boom"));
            List<Path> parts;
            try (Stream<Path> files = Files.list(from)) {
                parts = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
            }
            for (Path p : parts) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
            Path first = parts.get(0);
            batch = first.getFileName().toString();
            Files.copy(first, to.resolve(batch.replace(".parquet", "x.parquet")));
        }
        String expected = "Cannot read results of sweep 'boom': ";
        assertThatThrownBy(() -> DuckResults.open(twice.toString(), null, null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith(expected)
                .hasMessageContaining(" committed more than once (trial id")
                .hasMessageContaining(batch + ", " + batch.replace(".parquet", "x.parquet"))
                .hasMessageEndingWith("; expected each trial in one trials file, so that no trial counts twice; "
                        + "run the sweep again with --overwrite");
        assertThatThrownBy(() -> ResultViews.register(spark, twice.toString(), null))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith(expected);
    }

    static void assertSameCell(Object actual, Object expected, String what) {
        if (expected instanceof Double || expected instanceof Float) {
            double e = ((Number) expected).doubleValue();
            assertThat(actual).as(what).isInstanceOf(Double.class);
            double a = (Double) actual;
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                assertThat(Double.compare(a, e)).as(what + ": " + a + " vs " + e).isZero();
            } else {
                // Sums may add in another order: a few ulps apart, never more.
                assertThat(Math.abs(a - e)).as(what + ": " + a + " vs " + e)
                        .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(e)));
            }
        } else if (expected instanceof Number n && !(expected instanceof java.math.BigDecimal)) {
            assertThat(actual).as(what).isInstanceOf(Number.class);
            assertThat(((Number) actual).longValue()).as(what).isEqualTo(n.longValue());
        } else {
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }

    /** Records field by field, lists element by element, double arrays value by value. */
    static void assertSameValue(Object actual, Object expected, String what) {
        if (expected instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    assertSameValue(c.getAccessor().invoke(actual), c.getAccessor().invoke(expected),
                            what + "." + c.getName());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        } else if (expected instanceof List<?> l) {
            assertThat((List<?>) actual).as(what).hasSameSizeAs(l);
            for (int i = 0; i < l.size(); i++) {
                assertSameValue(((List<?>) actual).get(i), l.get(i), what + "[" + i + "]");
            }
        } else if (expected instanceof double[] d) {
            double[] a = (double[]) actual;
            assertThat(a).as(what).hasSameSizeAs(d);
            for (int i = 0; i < d.length; i++) {
                assertSameCell(a[i], d[i], what + "[" + i + "] of " + Arrays.toString(d));
            }
        } else {
            assertSameCell(actual, expected, what);
        }
    }
}
