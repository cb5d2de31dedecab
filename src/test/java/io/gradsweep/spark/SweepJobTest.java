package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.InvalidInputException;
import io.gradsweep.SweepFailedException;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.train.Faults;
import io.gradsweep.train.TrialOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on a real local[2] SparkSession: run sweeps, query them with Spark SQL, cross-check with DuckDB. */
class SweepJobTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    static final String SPEC = """
            name: e2e
            dataset: {name: circles, samples: 200, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: 3, batch_size: 32}
            grid:
              activation: [sigmoid, tanh, relu]
              depth: [3]
              width: [4]
              initializer: ["normal(0,1)"]
              optimizer: [rmsprop]
              learning_rate: [0.01]
              seed: [1, 2]
            """;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<TrialOutcome> run(SweepSpec spec, String out, int tasks, boolean overwrite) throws Exception {
        return run(spec, new SweepJob.Options(out, tasks, Grid.DEFAULT_MAX_TRIALS, overwrite), new StringWriter());
    }

    static List<TrialOutcome> run(SweepSpec spec, SweepJob.Options options, StringWriter log) throws Exception {
        List<TrialOutcome> outcomes = new SweepJob(spark, new PrintWriter(log, true)).run(spec, options);
        assertThat(log.toString()).contains("[gradsweep] trials " + outcomes.size() + "/" + outcomes.size() + " done");
        return outcomes;
    }

    @Test
    void sweepIsQueryableWithSparkSqlAndDuckDbAndReproducible() throws Exception {
        String a = dir.resolve("a").toString();
        List<TrialOutcome> outcomes = run(SpecParser.parse(SPEC), a, 4, false);
        assertThat(outcomes).hasSize(6).allMatch(o -> o.status().equals(TrialOutcome.OK));

        spark.read().schema(SparkSchemas.of(Tables.TRIALS)).option("basePath", a + "/trials")
                .parquet(a + "/trials").createOrReplaceTempView("trials");
        spark.read().parquet(a + "/gradients").createOrReplaceTempView("gradients");
        Row counts = spark.sql("SELECT count(*), count(DISTINCT trial_id), min(sweep) FROM trials").first();
        assertThat(counts.getLong(0)).isEqualTo(6);
        assertThat(counts.getLong(1)).isEqualTo(6);
        assertThat(counts.getString(2)).isEqualTo("e2e");
        // 200 samples / batch 32 = 7 iterations per epoch, x 3 epochs, x 4 layers x (W, b)
        Row g = spark.sql("SELECT count(*), count(DISTINCT trial_id, iteration, layer, param) FROM gradients").first();
        assertThat(g.getLong(0)).isEqualTo(6 * 21 * 8).isEqualTo(g.getLong(1));
        assertThat(spark.read().parquet(a + "/gradients").schema().fieldNames())
                .as("the declared columns plus the partition column")
                .containsExactlyElementsOf(Stream.concat(Tables.GRADIENTS.columnNames().stream(), Stream.of("sweep"))
                        .toList());

        Map<String, Double> sparkStd = new TreeMap<>();
        for (Row r : spark.sql("SELECT trial_id, avg(std) FROM gradients WHERE layer = 0 AND param = 'W' "
                + "GROUP BY trial_id").collectAsList()) {
            sparkStd.put(r.getString(0), r.getDouble(1));
        }
        for (Map.Entry<String, Double> e : sparkStd.entrySet()) {
            double duck = scalar("SELECT avg(std) FROM read_parquet('" + a + "/gradients/*/*.parquet') "
                    + "WHERE layer = 0 AND param = 'W' AND trial_id = '" + e.getKey() + "'");
            assertThat(duck).isCloseTo(e.getValue(), within(1e-12));
        }
        assertThat(scalar("SELECT sum(train_accuracy) FROM read_parquet('" + a + "/trials/*/*.parquet')"))
                .isCloseTo(outcomes.stream().mapToDouble(TrialOutcome::trainAccuracy).sum(), within(1e-12));

        // Same spec, different task layout: identical numbers, row for row.
        String b = dir.resolve("b").toString();
        run(SpecParser.parse(SPEC), b, 1, false);
        String differing = "SELECT count(*) FROM read_parquet('" + a + "/gradients/*/*.parquet') x "
                + "FULL OUTER JOIN read_parquet('" + b + "/gradients/*/*.parquet') y "
                + "USING (trial_id, iteration, layer, param) WHERE x.std IS DISTINCT FROM y.std "
                + "OR x.mean IS DISTINCT FROM y.mean OR x.weight_l2 IS DISTINCT FROM y.weight_l2 "
                + "OR x.update_ratio IS DISTINCT FROM y.update_ratio";
        assertThat(scalar(differing)).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("b/gradients/sweep=e2e"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).hasSize(1);
        }
    }

    @Test
    void vectorAndDl4jEnginesWriteTheSameTablesAndTheEngineColumnSaysWhichRan() throws Exception {
        String spec = """
                name: engines
                dataset: {name: spirals, samples: 90, classes: 3, noise: 0.1, test_fraction: 0.2}
                train: {epochs: 2, batch_size: 16, engine: %s, group_size: 3}
                grid: {activation: [tanh], depth: [2], width: [4], batch_norm: [false, true], optimizer: [adam],
                       learning_rate: [0.01, 0.1], clipping: ["norm(0.1)"], seed: [0, 1]}
                """;
        String auto = dir.resolve("engines-auto").toString();
        String dl4j = dir.resolve("engines-dl4j").toString();
        run(SpecParser.parse(spec.formatted("auto")), auto, 2, false);
        run(SpecParser.parse(spec.formatted("dl4j")), dl4j, 2, false);
        String trials = "read_parquet('%s/trials/*/*.parquet')";
        // Batch-normalized trials train as vector groups too.
        assertThat(scalar("SELECT count(*) FROM " + trials.formatted(auto) + " WHERE engine = 'vector' AND "
                + "batch_norm")).isEqualTo(4);
        assertThat(scalar("SELECT count(*) FROM " + trials.formatted(auto) + " WHERE engine = 'vector'"))
                .isEqualTo(8);
        assertThat(scalar("SELECT count(*) FROM " + trials.formatted(dl4j) + " WHERE engine = 'dl4j'"))
                .isEqualTo(8);
        for (String table : List.of("gradients", "activations", "epochs", "histograms")) {
            String a = "SELECT * EXCLUDE (sweep) FROM read_parquet('%s/" + table + "/*/*.parquet', "
                    + "hive_partitioning = true)";
            String diff = "SELECT count(*) FROM ((" + a.formatted(auto) + " EXCEPT ALL " + a.formatted(dl4j)
                    + ") UNION ALL (" + a.formatted(dl4j) + " EXCEPT ALL " + a.formatted(auto) + "))";
            assertThat(scalar(diff)).as(table).isZero();
            assertThat(scalar("SELECT count(*) FROM read_parquet('" + auto + "/" + table + "/*/*.parquet')"))
                    .as(table).isPositive();
        }
        String outcome = "SELECT trial_id, status, train_loss, test_loss, iterations, diagnosis, grad_ratio FROM ";
        assertThat(scalar("SELECT count(*) FROM ((" + outcome + trials.formatted(auto) + " EXCEPT " + outcome
                + trials.formatted(dl4j) + "))")).isZero();
    }

    @Test
    void divergedAndFailedTrialsDoNotStopTheSweep() throws Exception {
        SweepSpec spec = SpecParser.parse("""
                name: faults
                dataset: {name: spirals, samples: 60, classes: 3, noise: 0.1}
                train: {epochs: 20, batch_size: 16}
                grid: {activation: [linear, tanh], depth: [2], width: [3], initializer: ["normal(0,10)"],
                       optimizer: [sgd], learning_rate: [1000, 0.01], seed: [1]}
                """);
        String failing = Grid.expand(spec, 10).get(3).trialId(); // tanh, lr 0.01
        System.setProperty(Faults.FAIL_TRIALS, failing);
        List<TrialOutcome> outcomes;
        try {
            outcomes = run(spec, dir.resolve("faults").toString(), 2, false);
        } finally {
            System.clearProperty(Faults.FAIL_TRIALS);
        }
        Map<String, String> status = new TreeMap<>();
        outcomes.forEach(o -> status.put(o.config().activation() + "@" + o.config().learningRate(), o.status()));
        assertThat(status).containsEntry("linear@1000.0", "diverged").containsEntry("tanh@0.01", "failed")
                .containsEntry("linear@0.01", "ok");
        String trials = "read_parquet('" + dir + "/faults/trials/*/*.parquet')";
        assertThat(scalar("SELECT count(*) FROM " + trials)).isEqualTo(4);
        assertThat(scalar("SELECT count(*) FROM " + trials + " WHERE status = 'failed' AND trial_id = '" + failing
                + "' AND error LIKE '%injected failure%' AND diagnosis = 'failed'")).isEqualTo(1);
        assertThat(outcomes).filteredOn(o -> o.trialId().equals(failing)).extracting(TrialOutcome::diagnosis)
                .containsExactly("failed");
        assertThat(scalar("SELECT count(*) FROM read_parquet('" + dir + "/faults/gradients/*/*.parquet') g JOIN "
                + trials + " t USING (trial_id) WHERE t.status = 'diverged'")).isPositive();
    }

    @Test
    void refusesToMixIntoExistingResultsUnlessOverwriting() throws Exception {
        SweepSpec spec = SpecParser.parse(SPEC.replace("name: e2e", "name: again")
                .replace("seed: [1, 2]", "seed: [1]").replace("epochs: 3", "epochs: 1"));
        String out = dir.resolve("again").toString();
        run(spec, out, 2, false);
        assertThatThrownBy(() -> run(spec, out, 2, false)).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot run sweep 'again': results already exist in " + out
                        + "; pass --resume to finish the sweep or --overwrite to replace it");
        long files = Tables.ALL.stream().mapToLong(t -> {
            try (Stream<Path> f = Files.list(Path.of(out, t.name(), "sweep=again"))) {
                return f.filter(p -> p.toString().endsWith(".parquet")).count();
            } catch (java.io.IOException e) {
                return 0; // a table this sweep did not write
            }
        }).sum();
        long batches;
        try (Stream<Path> f = Files.list(Path.of(out, "trials", "sweep=again"))) {
            batches = f.filter(p -> p.toString().endsWith(".parquet")).count(); // one trials file per batch
        }
        Files.createDirectories(Path.of(out, "_staging/sweep=again/b00001-dead.a1"));
        StringWriter log = new StringWriter();
        run(spec, new SweepJob.Options(out, 3, Grid.DEFAULT_MAX_TRIALS, true), log);
        assertThat(log.toString()).contains("[gradsweep] overwrite: deleted 3 committed trials in " + batches
                + " batches ("
                + files + " files) and 1 staged attempts of sweep 'again'");
        assertThat(scalar("SELECT count(*) FROM read_parquet('" + out + "/trials/*/*.parquet')")).isEqualTo(3);
    }

    @Test
    void resumeRunsOnlyUncommittedTrialsAndRemovesLeftovers() throws Exception {
        SweepSpec spec = SpecParser.parse(SPEC.replace("name: e2e", "name: resume").replace("epochs: 3", "epochs: 1"));
        Path out = dir.resolve("resume");
        run(spec, out.toString(), 3, false);
        // Simulate a driver killed mid-commit: one batch lost its trials file (its gradients file stays as an
        // orphan), and a half-written attempt sits in staging.
        Path trialsDir = out.resolve("trials/sweep=resume");
        Path lost;
        try (Stream<Path> files = Files.list(trialsDir)) {
            lost = files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
        long lostTrials = (long) scalar("SELECT count(*) FROM read_parquet('" + lost + "')");
        assertThat(lostTrials).isPositive();
        Files.delete(lost);
        Files.createDirectories(out.resolve("_staging/sweep=resume/b00009-dead.a99"));
        Files.writeString(out.resolve("_staging/sweep=resume/b00009-dead.a99/gradients.parquet.tmp"), "partial");

        StringWriter log = new StringWriter();
        SweepJob.Options resume = new SweepJob.Options(out.toString(), 2, 100, false, true);
        List<TrialOutcome> rerun = run(spec, resume, log);
        assertThat(rerun).hasSize((int) lostTrials);
        // the end-of-run summary's input: the whole sweep, read back, equal to what trained (bar wall time)
        List<TrialOutcome> whole = new SweepJob(spark, new PrintWriter(new StringWriter())).committed(spec, resume);
        assertThat(whole).extracting(TrialOutcome::trialId)
                .containsExactlyElementsOf(Grid.expand(spec, 100).stream().map(t -> t.trialId()).toList());
        for (TrialOutcome o : rerun) {
            TrialOutcome back = whole.stream().filter(w -> w.trialId().equals(o.trialId())).findFirst().orElseThrow();
            assertThat(List.of(back.status(), back.diagnosis(), back.iterations(), back.trainLoss(),
                    back.trainAccuracy(), back.chance(), back.gradRatio(), back.maxGradL2()))
                    .isEqualTo(List.of(o.status(), o.diagnosis(), o.iterations(), o.trainLoss(), o.trainAccuracy(),
                            o.chance(), o.gradRatio(), o.maxGradL2()));
        }
        assertThat(log.toString()).contains("[gradsweep] resume: " + (6 - lostTrials) + " of 6 trials already "
                + "committed and skipped; " + lostTrials + " to run; " + (Tables.ALL.size() - 1)
                + " leftover files of an interrupted run removed, and 1 staged task attempts");
        String glob = "read_parquet('" + out + "/%s/*/*.parquet')";
        assertThat(scalar("SELECT count(*) FROM " + glob.formatted("trials"))).isEqualTo(6);
        assertThat(scalar("SELECT count(DISTINCT trial_id) FROM " + glob.formatted("trials"))).isEqualTo(6);
        assertThat(scalar("SELECT count(*) - count(DISTINCT (trial_id, iteration, layer, param)) FROM "
                + glob.formatted("gradients"))).isZero();
        assertThat(scalar("SELECT count(*) FROM " + glob.formatted("gradients"))).isEqualTo(6 * 7 * 8);
        assertThat(scalar("SELECT count(*) FROM " + glob.formatted("epochs"))).isEqualTo(6);
        assertThat(out.resolve("_staging/sweep=resume")).doesNotExist();

        StringWriter again = new StringWriter();
        assertThat(new SweepJob(spark, new PrintWriter(again, true))
                .run(spec, new SweepJob.Options(out.toString(), 2, 100, false, true))).isEmpty();
        assertThat(again.toString()).contains("all 6 trials are already committed; nothing to run");
        SweepSpec changed = SpecParser.parse(SPEC.replace("name: e2e", "name: resume"));
        assertThatThrownBy(() -> run(changed, new SweepJob.Options(out.toString(), 2, 100, false, true),
                new StringWriter())).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot resume sweep 'resume': 6 committed trials are not in this spec's grid (was the "
                        + "spec changed?); expected the spec of the original run, or --overwrite");
    }

    @Test
    void taskFailingPastRetriesFailsTheSweepNamingTheTrialAndResumeFinishesIt() throws Exception {
        SweepSpec spec = SpecParser.parse(SPEC.replace("name: e2e", "name: doomed").replace("epochs: 3", "epochs: 1"));
        String doomed = Grid.expand(spec, 10).get(4).trialId();
        String out = dir.resolve("doomed").toString();
        System.setProperty(Faults.TASK_FAIL_TRIALS, doomed);
        try {
            assertThatThrownBy(() -> run(spec, out, 6, false)).isInstanceOf(SweepFailedException.class)
                    .hasMessageStartingWith("Sweep 'doomed' failed: ")
                    .hasMessageContaining("Cannot run trial " + doomed)
                    .hasMessageContaining("injected task failure")
                    .hasMessageEndingWith("Committed batches are kept; finish the sweep with --resume.");
        } finally {
            System.clearProperty(Faults.TASK_FAIL_TRIALS);
        }
        assertThat(scalar("SELECT count(*) FROM read_parquet('" + out + "/trials/*/*.parquet') WHERE trial_id = '"
                + doomed + "'")).isZero();
        StringWriter log = new StringWriter();
        run(spec, new SweepJob.Options(out, 6, 100, false, true), log);
        assertThat(scalar("SELECT count(DISTINCT trial_id) FROM read_parquet('" + out + "/trials/*/*.parquet')"))
                .isEqualTo(6);
    }
}
