package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static io.gradsweep.testing.Duck.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.testing.TestData;
import io.gradsweep.train.Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real standalone cluster on 127.0.0.1 (a master and two workers, each its own JVM, executors as their children),
 * sweeps submitted through {@code submit.sh} and spark-submit, and the faults a production job meets: a killed
 * executor, a killed worker, a killed driver followed by --resume, speculative execution. After each, every trial
 * of the grid has exactly one row and no gradient row is duplicated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DIR = ROOT.resolve("target/cluster-it");
    static SparkCluster cluster;
    static StorageServers hdfs;
    static CompletableFuture<Void> hdfsStarted;

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(DIR)) {
            try (Stream<Path> old = Files.walk(DIR)) { // results of an earlier run would satisfy every wait at once
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(DIR);
        // HDFS starts beside the cluster (both mostly wait on Maven and JVM warm-up); only the HDFS test needs it.
        hdfs = new StorageServers(DIR.resolve("storage"));
        hdfsStarted = CompletableFuture.runAsync(() -> {
            try {
                hdfs.startHdfs();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        cluster = SparkCluster.start(DIR, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.stop();
            }
        } finally {
            hdfsStarted.handle((ok, failed) -> null).join(); // every PID it recorded is then in the pids file
            hdfs.close();
        }
    }

    /**
     * The DL4J engine on purpose: the faults below need trials slow enough, and one per task, to kill something
     * mid-sweep; the vector engine would train each activation's seeds as one fast group.
     */
    static Path spec(String name, int trialsPerActivation, int epochs) throws IOException {
        return spec(DIR, name, trialsPerActivation, epochs);
    }

    /** The same spec written into {@code dir}: Spark4ClusterIT runs the first scenario's on Spark 4. */
    static Path spec(Path dir, String name, int trialsPerActivation, int epochs) throws IOException {
        StringBuilder seeds = new StringBuilder();
        for (int s = 1; s <= trialsPerActivation; s++) {
            seeds.append(s == 1 ? "" : ", ").append(s);
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                dataset: {name: circles, samples: 320, noise: 0.1, factor: 0.5, seed: 1}
                train: {epochs: %d, batch_size: 32, engine: dl4j}
                grid: {activation: [tanh, relu], depth: [3], width: [6], initializer: ["normal(0,1)"],
                       optimizer: [rmsprop], learning_rate: [0.01], seed: [%s]}
                """.formatted(name, epochs, seeds));
        return file;
    }

    static void assertExactlyOnce(Path out, int trials) throws Exception {
        assertThat(scalar("SELECT count(*) FROM " + table(out, "trials"))).isEqualTo(trials);
        assertThat(scalar("SELECT count(DISTINCT trial_id) FROM " + table(out, "trials"))).isEqualTo(trials);
        assertThat(scalar("SELECT count(*) - count(DISTINCT (trial_id, iteration, layer, param)) FROM "
                + table(out, "gradients"))).isZero();
        assertThat(scalar("SELECT count(*) - count(DISTINCT (trial_id, epoch)) FROM " + table(out, "epochs")))
                .isZero();
        assertThat(scalar("SELECT count(DISTINCT trial_id) FROM " + table(out, "gradients"))).isEqualTo(trials);
    }

    static long committedTrialFiles(Path out) throws IOException {
        Path dir = out.resolve("trials");
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }

    @Test
    @Order(1)
    void clusterRunMatchesLocalModeRowForRow() throws Exception {
        Path spec = spec("same", 3, 6);
        Path onCluster = DIR.resolve("out-same-cluster");
        Path local = DIR.resolve("out-same-local");
        SparkCluster.Run a = cluster.submit(spec, onCluster, List.of(), List.of());
        assertThat(a.waitFor(Duration.ofMinutes(4))).as(a.log()).isZero();
        SparkCluster.Run b = cluster.submitLocal(spec, local);
        assertThat(b.waitFor(Duration.ofMinutes(4))).as(b.log()).isZero();
        assertExactlyOnce(onCluster, 6);
        assertThat(scalar("SELECT count(*) FROM " + table(onCluster, "gradients") + " x FULL OUTER JOIN "
                + table(local, "gradients") + " y USING (trial_id, iteration, layer, param) "
                + "WHERE x.std IS DISTINCT FROM y.std OR x.l2 IS DISTINCT FROM y.l2 "
                + "OR x.weight_std IS DISTINCT FROM y.weight_std OR x.update_ratio IS DISTINCT FROM y.update_ratio"))
                .isZero();
        // Trial by trial: a sum over the rows would depend on the order of the part files, which differ.
        assertThat(scalar("SELECT count(*) FROM " + table(onCluster, "trials") + " x FULL OUTER JOIN "
                + table(local, "trials") + " y USING (trial_id) WHERE x.train_accuracy IS DISTINCT FROM "
                + "y.train_accuracy OR x.train_loss IS DISTINCT FROM y.train_loss")).isZero();
        assertThat(a.log()).contains("on spark://127.0.0.1:" + cluster.masterPort());
    }

    @Test
    @Order(2)
    void killedExecutorIsRetried() throws Exception {
        Path out = DIR.resolve("out-executor");
        SparkCluster.Run run = cluster.submit(spec("executor", 4, 30), out, List.of(), List.of("--tasks", "8"));
        run.awaitCommitted(() -> committedTrialFiles(out) >= 1, Duration.ofMinutes(3));
        List<ProcessHandle> executors = cluster.executors();
        assertThat(executors).isNotEmpty();
        executors.get(0).destroyForcibly();
        assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.log()).isZero();
        assertExactlyOnce(out, 8);
        assertThat(run.log()).contains("ended without success");
    }

    @Test
    @Order(3)
    void killedWorkerLeavesTheSweepToTheOther() throws Exception {
        Path out = DIR.resolve("out-worker");
        SparkCluster.Run run = cluster.submit(spec("worker", 4, 30), out, List.of(), List.of("--tasks", "8"));
        run.awaitCommitted(() -> committedTrialFiles(out) >= 1, Duration.ofMinutes(3));
        cluster.killWorker(1);
        assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.log()).isZero();
        assertExactlyOnce(out, 8);
        cluster.restartWorker(1);
    }

    @Test
    @Order(4)
    void killedDriverIsResumedWithoutDuplicates() throws Exception {
        Path spec = spec("driver", 4, 30);
        Path out = DIR.resolve("out-driver");
        SparkCluster.Run first = cluster.submit(spec, out, List.of(), List.of("--tasks", "8"));
        first.awaitCommitted(() -> committedTrialFiles(out) >= 2, Duration.ofMinutes(3));
        first.kill();
        cluster.awaitNoExecutors(Duration.ofMinutes(1));
        long committed = committedTrialFiles(out);
        assertThat(committed).isBetween(2L, 7L);

        SparkCluster.Run refused = cluster.submit(spec, out, List.of(), List.of());
        assertThat(refused.waitFor(Duration.ofMinutes(2))).isEqualTo(2);
        assertThat(refused.log()).contains("results already exist").contains("--resume");

        SparkCluster.Run resumed = cluster.submit(spec, out, List.of(), List.of("--resume", "--tasks", "4"));
        assertThat(resumed.waitFor(Duration.ofMinutes(5))).as(resumed.log()).isZero();
        assertThat(resumed.log()).containsPattern("resume: " + committed + " of 8 trials already committed and "
                + "skipped; " + (8 - committed) + " to run; \\d+ leftover files");
        assertExactlyOnce(out, 8);
        assertThat(out.resolve("_staging/sweep=driver")).doesNotExist();
    }

    @Test
    @Order(5)
    void speculativeAttemptsDuplicateNothing() throws Exception {
        Path spec = spec("speculation", 2, 20);
        String slow = Grid.expand(SpecParser.parse(spec), 10).get(0).trialId();
        Path out = DIR.resolve("out-speculation");
        List<String> conf = new ArrayList<>(List.of(
                "--conf", "spark.speculation=true", "--conf", "spark.speculation.interval=200ms",
                "--conf", "spark.speculation.multiplier=1.5", "--conf", "spark.speculation.quantile=0.5",
                "--conf", "spark.speculation.minTaskRuntime=1s", "--conf", "spark.speculation.efficiency.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=-Dgradsweep.fault.slow-trials=" + slow + ":20000"));
        SparkCluster.Run run = cluster.submit(spec, out, conf, List.of("--tasks", "4"));
        assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.log()).isZero();
        assertExactlyOnce(out, 4);
        assertThat(run.log()).containsPattern("trials 4/4 done \\(.* [1-9]\\d* speculative\\)");
    }

    /**
     * One trial across both workers with DL4J's parameter averaging, Kryo and ND4J's registrator from
     * conf/spark-defaults.conf. Two workers average in a fixed order (a + b = b + a), so the cluster must reproduce
     * local[2] bit for bit.
     */
    @Test
    @Order(6)
    void dataParallelTrialSpansBothWorkersAndMatchesLocalMode() throws Exception {
        Path spec = DIR.resolve("data-parallel.yaml");
        Files.writeString(spec, """
                name: data-parallel
                dataset: {name: circles, samples: 400, noise: 0.1, factor: 0.5, seed: 1, test_fraction: 0.2}
                train:
                  epochs: 3
                  batch_size: 16
                  mode: data-parallel
                  data_parallel: {workers: 2, averaging_frequency: 5}
                grid: {activation: [tanh], depth: [3], width: [8], optimizer: [adam], learning_rate: [0.01],
                       seed: [3]}
                """);
        Path onCluster = DIR.resolve("out-dp-cluster");
        Path local = DIR.resolve("out-dp-local");
        SparkCluster.Run a = cluster.submit(spec, onCluster, List.of(), List.of());
        assertThat(a.waitFor(Duration.ofMinutes(4))).as(a.log()).isZero();
        SparkCluster.Run b = cluster.submitLocal(spec, local);
        assertThat(b.waitFor(Duration.ofMinutes(4))).as(b.log()).isZero();
        assertThat(a.log()).contains("each on 2 workers").contains("epoch 3/3");
        assertThat(scalar("SELECT count(*) FROM " + table(onCluster, "trials") + " WHERE status = 'ok' "
                + "AND engine = 'dl4j-spark'")).isEqualTo(1);
        // 320 training examples, 2 rounds of 2 x 5 x 16 per epoch, 8 tensors, both workers every iteration
        assertThat(scalar("SELECT count(*) FROM " + table(onCluster, "gradients"))).isEqualTo(3 * 2 * 5 * 8 * 2);
        assertThat(scalar("SELECT count(DISTINCT worker) FROM " + table(onCluster, "gradients"))).isEqualTo(2);
        assertThat(scalar("SELECT count(*) FROM " + table(onCluster, "gradients") + " x FULL OUTER JOIN "
                + table(local, "gradients") + " y USING (trial_id, iteration, worker, layer, param) "
                + "WHERE x.std IS DISTINCT FROM y.std OR x.weight_l2 IS DISTINCT FROM y.weight_l2")).isZero();
        assertThat(scalar("SELECT test_accuracy FROM " + table(onCluster, "trials")))
                .isEqualTo(scalar("SELECT test_accuracy FROM " + table(local, "trials")));
    }

    /** The vector engine on executors: groups of trials as batched computations, equal to local[2] row for row. */
    @Test
    @Order(7)
    void vectorGroupsOnTheClusterMatchLocalMode() throws Exception {
        Path spec = DIR.resolve("vector.yaml");
        Files.writeString(spec, Files.readString(spec("vector-src", 3, 6)).replace("name: vector-src", "name: vector")
                .replace(", engine: dl4j", ", engine: vector"));
        Path onCluster = DIR.resolve("out-vector-cluster");
        Path local = DIR.resolve("out-vector-local");
        SparkCluster.Run a = cluster.submit(spec, onCluster, List.of(), List.of());
        assertThat(a.waitFor(Duration.ofMinutes(4))).as(a.log()).isZero();
        SparkCluster.Run b = cluster.submitLocal(spec, local);
        assertThat(b.waitFor(Duration.ofMinutes(4))).as(b.log()).isZero();
        assertExactlyOnce(onCluster, 6);
        assertThat(scalar("SELECT count(*) FROM " + table(onCluster, "trials") + " WHERE engine = 'vector'"))
                .isEqualTo(6);
        assertThat(scalar("SELECT count(*) FROM " + table(onCluster, "gradients") + " x FULL OUTER JOIN "
                + table(local, "gradients") + " y USING (trial_id, iteration, layer, param) "
                + "WHERE x.std IS DISTINCT FROM y.std OR x.update_ratio IS DISTINCT FROM y.update_ratio")).isZero();
    }

    /**
     * Issue 19's sweep on HDFS on this cluster: MNIST read from hdfs://, the output written there by the driver and
     * by the executors' tasks; one executor killed mid-sweep, its task retried; then --resume finds nothing to do.
     * Every trial must be there once, no gradient key twice, with the numbers of a run on the local file system.
     * First, so that HDFS is stopped before the other scenarios run.
     */
    @Test
    @Order(0)
    void hdfsSweepSurvivesAKilledExecutorAndMatchesALocalRun() throws Exception {
        Path local = DIR.resolve("out-hdfs-local");
        hdfsStarted.join();
        try {
            Configuration conf = hdfs.conf();
            String out = hdfs.hdfsUri() + "/user/gradsweep/out";
            Path spec = mnistSpec(StorageChecks.uploadMnist(hdfs.hdfsUri(), conf), "hdfs-on-hdfs");
            // Each trial waits first, so that the kill finds trials running and more to run.
            String slow = Grid.expand(SpecParser.parse(spec), 100).stream().map(t -> t.trialId() + ":2000")
                    .collect(Collectors.joining(","));
            SparkCluster.Run run = cluster.submit(spec, out, List.of("--conf",
                    "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -D"
                            + Faults.SLOW_TRIALS + "=" + slow), List.of("--tasks", "" + HDFS_TRIALS));
            // The local reference meanwhile: the kill waits for a commit anyway.
            SparkCluster.Run reference = cluster.submitLocal(
                    mnistSpec(Path.of(TestData.MNIST).toAbsolutePath(), "hdfs-on-file"), local);
            run.awaitCommitted(() -> StorageChecks.committed(out, conf, HDFS_SWEEP, "trials") >= 1,
                    Duration.ofMinutes(4));
            long beforeKill = StorageChecks.committed(out, conf, HDFS_SWEEP, "trials");
            List<ProcessHandle> executors = cluster.executors();
            assertThat(executors).isNotEmpty();
            executors.get(0).destroyForcibly();
            assertThat(beforeKill).isLessThan(HDFS_TRIALS);
            assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.log()).isZero();
            assertThat(run.log()).contains("ended without success");
            assertThat(reference.waitFor(Duration.ofMinutes(4))).as(reference.log()).isZero();
            assertThat(StorageChecks.committed(out, conf, HDFS_SWEEP, "trials")).isEqualTo(HDFS_TRIALS);

            SparkCluster.Run resumed = cluster.submit(spec, out, List.of(), List.of("--resume"));
            assertThat(resumed.waitFor(Duration.ofMinutes(3))).as(resumed.log()).isZero();
            assertThat(resumed.log()).contains("sweep '" + HDFS_SWEEP + "': all " + HDFS_TRIALS
                    + " trials are already committed; nothing to run");
            StorageChecks.assertSameAsReference(StorageChecks.download(out, conf, DIR.resolve("out-hdfs-copy")),
                    local, HDFS_TRIALS);
        } finally {
            hdfs.close();
        }
    }

    static final String HDFS_SWEEP = "hdfs";
    static final int HDFS_TRIALS = 8;

    static Path mnistSpec(Object mnistDir, String file) throws IOException {
        return StorageChecks.mnistSpec(DIR.resolve(file + ".yaml"), HDFS_SWEEP, mnistDir);
    }
}
