package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyses of the classic figures (timestep-ratio, activation-profile, preact-profile) against the same numbers
 * computed here in Java from the raw table rows: grouping, windows, medians and ratios to the last hidden layer.
 * EngineAgreementTest then holds DuckDB to Spark's answers.
 */
class LiteratureAnalysesTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        spark = Fixtures.session();
        String out = dir.resolve("results").toString();
        Fixtures.run(spark, out);
        Fixtures.runRecurrent(spark, out);
        ResultViews.register(spark, out, null);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<Row> analysis(String name, String window) {
        return SqlQueries.analysis(spark, Analyses.get(name).bind(window == null ? Map.of() : Map.of("window",
                window))).collectAsList();
    }

    static long num(Row r, String column) {
        return ((Number) r.getAs(column)).longValue();
    }

    /** Key of a row: trial, layer, window; epoch windows unless {@code window} > 0. */
    static String key(Row r, long window) {
        long bucket = window > 0 ? Math.floorDiv(num(r, "iteration"), window) : num(r, "epoch");
        return r.getAs("trial_id") + "/" + num(r, "layer") + "/" + bucket;
    }

    static String outKey(Row r) {
        return r.getAs("trial_id") + "/" + num(r, "layer") + "/" + num(r, "bucket");
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double mean(List<Row> rows, ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).average().orElseThrow();
    }

    /** Within 1e-12 relative (sums in another order); a diverged trial's NaN must stay NaN. */
    static void close(double actual, double expected, String what) {
        if (!Double.isFinite(expected)) {
            assertThat(Double.compare(actual, expected)).as(what + ": " + actual + " vs " + expected).isZero();
            return;
        }
        assertThat(actual).as(what).isCloseTo(expected,
                org.assertj.core.api.Assertions.within(1e-12 * Math.max(1e-300, Math.abs(expected))));
    }

    @Test
    void timestepRatioIsTheFirstOverTheLastStepsL2PerIterationThenAggregatedPerWindow() {
        List<Row> raw = spark.sql("SELECT g.trial_id, g.layer, g.epoch, g.iteration, g.t, g.l2, t.sequence_length "
                + "FROM timestep_gradients g JOIN trials t USING (sweep, trial_id)").collectAsList();
        for (long window : new long[] {0, 4}) {
            Map<String, Double> first = new TreeMap<>();
            Map<String, Double> last = new TreeMap<>();
            Map<String, Row> at = new TreeMap<>();
            for (Row r : raw) {
                String it = r.getAs("trial_id") + "/" + num(r, "layer") + "/" + num(r, "iteration");
                at.put(it, r);
                if (num(r, "t") == 0) {
                    first.put(it, r.getAs("l2"));
                } else if (num(r, "t") == num(r, "sequence_length") - 1) {
                    last.put(it, r.getAs("l2"));
                }
            }
            Map<String, List<Double>> ratios = new TreeMap<>();
            Map<String, long[]> firstIteration = new TreeMap<>();
            Map<String, Double> firstRatio = new TreeMap<>();
            for (String it : at.keySet()) {
                Row r = at.get(it);
                String k = key(r, window);
                double ratio = first.get(it) / last.get(it);
                ratios.computeIfAbsent(k, x -> new ArrayList<>()).add(ratio);
                long i = num(r, "iteration");
                if (!firstIteration.containsKey(k) || i < firstIteration.get(k)[0]) {
                    firstIteration.put(k, new long[] {i});
                    firstRatio.put(k, ratio);
                }
            }
            List<Row> rows = analysis("timestep-ratio", window == 0 ? null : Long.toString(window));
            // seq: 2 trials x 2 recurrent layers x 2 windows (epochs of 3 updates; or iterations 0-3 and 4-5)
            assertThat(rows).hasSize(2 * 2 * 2).hasSize(ratios.size());
            for (Row r : rows) {
                String k = outKey(r);
                List<Double> xs = ratios.get(k);
                assertThat(xs).as(k).isNotNull();
                assertThat(r.getAs("model").toString()).isIn("simple_rnn", "lstm");
                assertThat(num(r, "iterations")).as(k).isEqualTo(xs.size());
                assertThat(num(r, "first_iteration")).as(k).isEqualTo(firstIteration.get(k)[0]);
                assertThat(num(r, "non_finite")).as(k).isZero();
                close(r.getAs("first_ratio"), firstRatio.get(k), k + " first_ratio");
                close(r.getAs("median_ratio"), median(xs), k + " median_ratio");
                close(r.getAs("min_ratio"), Collections.min(xs), k + " min_ratio");
                close(r.getAs("max_ratio"), Collections.max(xs), k + " max_ratio");
            }
        }
    }

    @Test
    void activationProfileAveragesEachWindowsMinibatchMeanAndStd() {
        List<Row> raw = spark.sql("SELECT * FROM activations").collectAsList();
        for (long window : new long[] {0, 5}) {
            Map<String, List<Row>> groups = new TreeMap<>();
            raw.forEach(r -> groups.computeIfAbsent(key(r, window), x -> new ArrayList<>()).add(r));
            List<Row> rows = analysis("activation-profile", window == 0 ? null : Long.toString(window));
            if (window == 0) { // mix 12 x 8 layers x 3 epochs, boom 2 x 3 x (2 or fewer), seq 2 x 2 x 2
                assertThat(rows.stream().filter(r -> r.getAs("sweep").equals("mix"))).hasSize(12 * 8 * 3);
                assertThat(rows.stream().filter(r -> r.getAs("sweep").equals("seq"))).hasSize(2 * 2 * 2);
            }
            assertThat(rows).hasSize(groups.size());
            for (Row r : rows) {
                String k = outKey(r);
                List<Row> g = groups.get(k);
                assertThat(g).as(k).isNotNull();
                assertThat(num(r, "iterations")).as(k).isEqualTo(g.size());
                close(r.getAs("mean"), mean(g, x -> x.getAs("mean")), k + " mean");
                close(r.getAs("std"), mean(g, x -> x.getAs("std")), k + " std");
                if (r.getAs("activation").equals("sigmoid") || r.getAs("activation").equals("tanh")) {
                    close(r.getAs("saturated_fraction"), mean(g, x -> x.getAs("saturated_fraction")), k + " sat");
                }
                if (r.getAs("activation").equals("relu")) {
                    close(r.getAs("dead_fraction"), mean(g, x -> x.getAs("dead_fraction")), k + " dead");
                }
            }
        }
    }

    @Test
    void preactProfileIsTheMeanVarianceOfDlDsAndDlDwPerWindowAndItsRatioToTheLastHiddenLayer() {
        List<Row> raw = spark.sql("SELECT a.trial_id, a.layer, a.epoch, a.iteration, a.preact_grad_std, g.std, "
                + "t.depth FROM activations a JOIN gradients g USING (sweep, trial_id, iteration, layer) "
                + "JOIN trials t USING (sweep, trial_id) WHERE g.param = 'W' AND a.preact_grad_std IS NOT NULL")
                .collectAsList();
        assertThat(raw).isNotEmpty();
        for (long window : new long[] {0, 1}) {
            Map<String, List<Row>> groups = new TreeMap<>();
            raw.forEach(r -> groups.computeIfAbsent(key(r, window), x -> new ArrayList<>()).add(r));
            List<Row> rows = analysis("preact-profile", window == 0 ? null : Long.toString(window));
            // Only the feed-forward sweeps record dL/ds; the recurrent layers' columns are null, so seq has no rows.
            assertThat(rows).hasSize(groups.size()).noneMatch(r -> r.getAs("sweep").equals("seq"));
            for (Row r : rows) {
                String k = outKey(r);
                List<Row> g = groups.get(k);
                assertThat(g).as(k).isNotNull();
                double dlds = mean(g, x -> Math.pow(x.<Double>getAs("preact_grad_std"), 2));
                double dldw = mean(g, x -> Math.pow(x.<Double>getAs("std"), 2));
                close(r.getAs("var_dlds"), dlds, k + " var_dlds");
                close(r.getAs("var_dldw"), dldw, k + " var_dldw");
                String lastKey = r.getAs("trial_id") + "/" + (num(g.get(0), "depth") - 1) + "/" + num(r, "bucket");
                List<Row> lastLayer = groups.get(lastKey);
                double lastDlds = mean(lastLayer, x -> Math.pow(x.<Double>getAs("preact_grad_std"), 2));
                if (lastDlds > 0) {
                    close(r.getAs("dlds_ratio_to_last_hidden"), dlds / lastDlds, k + " dlds ratio");
                }
            }
        }
        // Glorot & Bengio's picture in the mix sweep: with N(0,1) weights sigmoid's dL/ds shrinks toward the input.
        double first = analysis("preact-profile", "1").stream().filter(r -> r.getAs("sweep").equals("mix")
                && r.getAs("activation").equals("sigmoid") && r.getAs("initializer").equals("normal(0,1)")
                && num(r, "layer") == 0 && num(r, "bucket") == 0)
                .mapToDouble(r -> r.getAs("dlds_ratio_to_last_hidden")).max().orElseThrow();
        assertThat(first).isLessThan(1e-2);
    }
}
