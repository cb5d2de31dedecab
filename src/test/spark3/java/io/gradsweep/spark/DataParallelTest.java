package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.rows;
import static io.gradsweep.testing.Duck.scalar;
import static io.gradsweep.testing.Duck.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.analysis.Analyses;
import io.gradsweep.analysis.ResultViews;
import io.gradsweep.analysis.SqlQueries;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.train.Faults;
import io.gradsweep.train.TrialOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train.mode data-parallel on a real local[2] SparkSession with Kryo and ND4J's registrator, as the CLI sets it. */
class DataParallelTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    static final String LOCAL = """
            name: dp
            dataset: {name: circles, samples: 800, noise: 0.1, factor: 0.5, seed: 1, test_fraction: 0.2}
            train: {epochs: 15, batch_size: 16}
            grid:
              activation: [tanh]
              depth: [3]
              width: [16]
              initializer: [glorot_uniform]
              optimizer: [adam]
              learning_rate: [0.01]
              seed: [7]
            """;
    static final String PARALLEL = LOCAL.replace("train: {epochs: 15, batch_size: 16}", """
            train:
              epochs: 15
              batch_size: 16
              mode: data-parallel
              data_parallel: {workers: 2, averaging_frequency: 5}""");

    @BeforeAll
    static void start() {
        // local[2, 2]: two cores, and a failed task is retried once, as on a cluster
        spark = SparkSession.builder().master("local[2, 2]").appName("gradsweep-dp-test")
                .config("spark.ui.enabled", "false")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KryoRecords.REGISTRATORS).getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<TrialOutcome> run(SweepSpec spec, String out, StringWriter log) throws Exception {
        return new SweepJob(spark, new PrintWriter(log, true))
                .run(spec, new SweepJob.Options(out, 0, Grid.DEFAULT_MAX_TRIALS, false));
    }

    @Test
    void dataParallelTrialLearnsLikeTheLocalOneAndRecordsEveryWorker() throws Exception {
        String local = dir.resolve("local").toString();
        String parallel = dir.resolve("parallel").toString();
        TrialOutcome l = run(SpecParser.parse(LOCAL), local, new StringWriter()).get(0);
        StringWriter log = new StringWriter();
        TrialOutcome p = run(SpecParser.parse(PARALLEL), parallel, log).get(0);

        assertThat(p.status()).isEqualTo(TrialOutcome.OK);
        assertThat(l.testAccuracy()).isGreaterThan(0.9);
        assertThat(p.testAccuracy()).as("data-parallel vs local test accuracy").isGreaterThan(0.9)
                .isCloseTo(l.testAccuracy(), within(0.05));
        assertThat(log.toString()).contains("2 workers").contains("epoch 15/15");

        // 640 training examples; a round is 2 workers x 5 minibatches x 16 = 160 examples: 4 rounds an epoch.
        String g = table(parallel, "gradients");
        assertThat(rows("SELECT DISTINCT worker FROM " + g + " ORDER BY worker")).containsExactly(List.of(0), List.of(1));
        assertThat(scalar("SELECT count(DISTINCT round) FROM " + g)).isEqualTo(15 * 4);
        assertThat(scalar("SELECT count(*) FROM " + g + " WHERE round <> iteration // 5")).isZero();
        // every worker reports every iteration of its round, for each of the 8 tensors (3 hidden + output, W and b)
        assertThat(rows("SELECT DISTINCT n FROM (SELECT count(*) n FROM " + g + " GROUP BY iteration, layer, param)"))
                .containsExactly(List.of(2L));
        assertThat(scalar("SELECT count(*) FROM " + g)).isEqualTo(15 * 4 * 5 * 2 * 8);
        assertThat(scalar("SELECT count(*) FROM " + table(parallel, "activations") + " WHERE worker IS NULL"))
                .isZero();
        assertThat(scalar("SELECT count(*) FROM " + table(local, "gradients") + " WHERE worker IS NOT NULL"))
                .isZero();

        List<List<Object>> trial = rows("SELECT engine, workers, batch_size_per_worker, averaging_frequency, "
                + "iterations FROM " + table(parallel, "trials"));
        assertThat(trial).containsExactly(List.of("dl4j-spark", 2, 16, 5, 15L * 4 * 5));
        assertThat(p.trialId()).isNotEqualTo(l.trialId());

        // The per-iteration aggregate over workers is SQL: the shipped analyses see the worker column.
        ResultViews.register(spark, parallel, "dp");
        List<Row> rounds = SqlQueries.analysis(spark, Analyses.get("workers").bind(Map.of())).collectAsList();
        assertThat(rounds).hasSize(15 * 4 * 8).allMatch(r -> r.getLong(r.fieldIndex("workers")) == 2);
        Row diagnosis = SqlQueries.analysis(spark, Analyses.get("diagnosis").bind(Map.of())).first();
        assertThat(diagnosis.getDouble(diagnosis.fieldIndex("grad_ratio"))).as("SQL vs job median gradient ratio")
                .isCloseTo(p.gradRatio(), within(1e-12));
    }

    @Test
    void residualGraphTrialsTrainDataParallelAndRepeatBitForBit() throws Exception {
        String spec = PARALLEL.replace("epochs: 15", "epochs: 2").replace("depth: [3]", "depth: [3]\n  residual: [true]");
        String a = dir.resolve("graph-a").toString();
        String b = dir.resolve("graph-b").toString();
        TrialOutcome first = run(SpecParser.parse(spec), a, new StringWriter()).get(0);
        TrialOutcome second = run(SpecParser.parse(spec), b, new StringWriter()).get(0);
        assertThat(first.status()).isEqualTo(TrialOutcome.OK);
        assertThat(second.testAccuracy()).isEqualTo(first.testAccuracy());
        assertThat(rows("SELECT DISTINCT t.residual, g.worker FROM " + table(a, "gradients") + " g JOIN "
                + table(a, "trials") + " t USING (trial_id) ORDER BY g.worker"))
                .containsExactly(List.of(true, 0), List.of(true, 1));
        String differing = "SELECT count(*) FROM " + table(a, "gradients") + " x FULL OUTER JOIN "
                + table(b, "gradients") + " y USING (trial_id, iteration, worker, layer, param) "
                + "WHERE x.std IS DISTINCT FROM y.std OR x.weight_l2 IS DISTINCT FROM y.weight_l2 "
                + "OR x.update_ratio IS DISTINCT FROM y.update_ratio";
        assertThat(scalar(differing)).isZero();
        assertThat(scalar("SELECT count(*) FROM " + table(a, "gradients"))).isEqualTo(2 * 4 * 5 * 2 * 8);
    }

    /** The dataset may be a user's table on the cluster's filesystem; here a CSV through the Hadoop local FS. */
    @Test
    void trainsDataParallelOnACsvTable() throws Exception {
        Path csv = TableSweepTest.clusters(dir.resolve("clusters.csv"), 320);
        SweepSpec spec = SpecParser.parse("""
                name: dp-table
                dataset: {name: table, path: '%s', label: cluster, test_fraction: 0.25, seed: 3, scale: standard}
                train: {epochs: 3, batch_size: 16, mode: data-parallel, data_parallel: {workers: 2}}
                grid: {activation: [tanh], depth: [2], width: [4], learning_rate: [0.05], seed: [1]}
                """.formatted(csv));
        String out = dir.resolve("table").toString();
        StringWriter log = new StringWriter();
        TrialOutcome o = run(spec, out, log).get(0);
        assertThat(o.status()).isEqualTo(TrialOutcome.OK);
        assertThat(o.testAccuracy()).as("two separable Gaussian clusters").isGreaterThan(0.95);
        // 240 training rows make 15 minibatches; a round takes 2 x 5, so DL4J runs 1 round and skips 5 an epoch
        assertThat(log.toString()).contains("note: DL4J's parameter averaging trains 10 of the 15 minibatches of "
                + "each epoch (1 round(s) of 2 workers x 5); make workers x averaging_frequency divide 15");
        assertThat(rows("SELECT round, worker, count(DISTINCT iteration) FROM " + table(out, "gradients")
                + " WHERE layer = 0 AND param = 'W' GROUP BY ALL ORDER BY ALL")).containsExactly(
                List.of(0, 0, 5L), List.of(0, 1, 5L), List.of(1, 0, 5L), List.of(1, 1, 5L), List.of(2, 0, 5L),
                List.of(2, 1, 5L));
        assertThat(o.iterations()).isEqualTo(o.config().totalIterations()).isEqualTo(15);
    }

    /** A worker's task that dies mid-round is retried from the round's broadcast: same numbers, no extra rows. */
    @Test
    void aFailedWorkerIsRetriedWithoutDuplicateOrDifferentRows() throws Exception {
        SweepSpec spec = SpecParser.parse(PARALLEL.replace("epochs: 15", "epochs: 2"));
        String trial = Grid.expand(spec, 1).get(0).trialId();
        String clean = dir.resolve("retry-clean").toString();
        String retried = dir.resolve("retry-failed").toString();
        run(spec, clean, new StringWriter());
        System.setProperty(Faults.WORKER_FAIL_TRIALS, trial + ":5");
        try {
            assertThat(run(spec, retried, new StringWriter()).get(0).status()).isEqualTo(TrialOutcome.OK);
        } finally {
            System.clearProperty(Faults.WORKER_FAIL_TRIALS);
        }
        assertThat(scalar("SELECT count(*) FROM " + table(retried, "gradients"))).isEqualTo(2 * 4 * 5 * 2 * 8);
        assertThat(scalar("SELECT count(*) FROM " + table(clean, "gradients") + " x FULL OUTER JOIN "
                + table(retried, "gradients") + " y USING (trial_id, iteration, worker, layer, param) "
                + "WHERE x.std IS DISTINCT FROM y.std OR x.weight_l2 IS DISTINCT FROM y.weight_l2 "
                + "OR x.round IS DISTINCT FROM y.round")).isZero();
    }

    /** A failure on the driver's side of a data-parallel trial is the trial's: a failed row with its full trace. */
    @Test
    void aTrialThatFailsWhileTrainingIsAFailedRowWithItsStackTrace() throws Exception {
        SweepSpec spec = SpecParser.parse(PARALLEL.replace("epochs: 15", "epochs: 2"));
        String trial = Grid.expand(spec, 1).get(0).trialId();
        String out = dir.resolve("fails").toString();
        System.setProperty(Faults.FAIL_DURING, trial + ":1");
        TrialOutcome o;
        try {
            o = run(spec, out, new StringWriter()).get(0);
        } finally {
            System.clearProperty(Faults.FAIL_DURING);
        }
        assertThat(o.status()).isEqualTo(TrialOutcome.FAILED);
        assertThat(o.error()).isEqualTo("java.lang.IllegalStateException: injected failure of trial " + trial
                + " after 20 updates (gradsweep.fault.fail-during)");
        assertThat(o.errorTrace()).startsWith(o.error() + "\n\tat io.gradsweep.train.Faults.")
                .contains("\tat io.gradsweep.train.DataParallelTrainer.train(");
        assertThat(rows("SELECT status, iterations, error, error_trace FROM " + table(out, "trials")))
                .containsExactly(List.of("failed", 20L, o.error(), o.errorTrace()));
        assertThat(scalar("SELECT count(*) FROM " + table(out, "epochs"))).isEqualTo(1);
    }
}
