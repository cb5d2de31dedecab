package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static io.gradsweep.testing.Duck.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.io.SweepLock;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.TestData;
import io.gradsweep.train.Faults;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sweep on real storage: HDFS (a NameNode and a DataNode) and S3 (S3Proxy, through S3A), each server in its own
 * JVM, with MNIST read from that storage and the output written there, by drivers launched through submit.sh on
 * local[2]. On each storage the first driver halts in the middle of a batch's commit (its gradients part published,
 * its trials part not); the first --resume takes over its lock, refuses a concurrent --resume, and is killed with
 * kill -9 once it has committed more; the second --resume finishes. The result must hold every trial once, no
 * gradient key twice, and the same numbers, bit for bit, as an undisturbed run on the local file system.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealStorageIT {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DIR = ROOT.resolve("target/storage-it");
    static final String SWEEP = "storage";
    static final int TRIALS = 8;
    static StorageServers servers;
    static List<TrialConfig> grid;

    @BeforeAll
    static void start() throws Exception {
        if (Files.exists(DIR)) {
            try (Stream<Path> old = Files.walk(DIR)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(DIR);
        servers = new StorageServers(DIR);
        servers.startBoth();
        grid = Grid.expand(SpecParser.parse(spec(Path.of(TestData.MNIST).toAbsolutePath(), "local")), 100);
        assertThat(grid).hasSize(TRIALS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    static Path spec(Object mnistDir, String name) throws IOException {
        return StorageChecks.mnistSpec(DIR.resolve(name + ".yaml"), SWEEP, mnistDir);
    }

    /** submit.sh on local[2], as a user runs a sweep; its PID is the driver's (submit.sh execs java). */
    static SparkCluster.Run submit(Path spec, String out, List<String> runArgs, List<String> conf, String log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("submit.sh").toString(), spec.toString(),
                "--master", "local[2]", "--out", out, "--tasks", "" + TRIALS));
        cmd.addAll(runArgs);
        cmd.add("--");
        cmd.addAll(List.of("--conf", "spark.ui.enabled=false", "--driver-memory", "768m"));
        cmd.addAll(conf);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(DIR.resolve(log).toFile());
        pb.environment().put("GRADSWEEP_NO_BUILD", "1");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return new SparkCluster.Run(pb.start(), DIR.resolve(log));
    }

    /** Every trial but one sleeps a little first, so that a kill finds the sweep half done. */
    static String slowAllBut(String trialId, int millis) {
        return grid.stream().map(TrialConfig::trialId).filter(id -> !id.equals(trialId)).map(id -> id + ":" + millis)
                .collect(Collectors.joining(","));
    }

    static Path reference;

    @Test
    @Order(1)
    void localReference() throws Exception {
        Path out = DIR.resolve("out-local");
        SparkCluster.Run run = submit(spec(Path.of(TestData.MNIST).toAbsolutePath(), "local"), out.toString(),
                List.of(), List.of(), "local.log");
        assertThat(run.waitFor(Duration.ofMinutes(4))).as(run.log()).isZero();
        reference = out;
        assertThat(scalar("SELECT count(*) FROM " + table(out, "trials") + " WHERE status = 'ok'"))
                .isEqualTo(TRIALS);
    }

    @Test
    @Order(2)
    void hdfsSurvivesAHaltMidCommitAndAKilledResume() throws Exception {
        Configuration conf = servers.conf();
        String mnist = StorageChecks.uploadMnist(servers.hdfsUri(), conf);
        crashAndResume(spec(mnist, "hdfs"), servers.hdfsUri() + "/user/gradsweep/out", conf, List.of(), "hdfs");
    }

    @Test
    @Order(3)
    void s3SurvivesAHaltMidCommitAndAKilledResume() throws Exception {
        Configuration conf = servers.conf();
        String mnist = StorageChecks.uploadMnist(servers.s3Uri(), conf);
        List<String> s3 = new ArrayList<>(servers.sparkConf());
        s3.addAll(List.of("--jars", s3aJars()));
        crashAndResume(spec(mnist, "s3"), servers.s3Uri() + "/out", conf, s3, "s3");
    }

    private static void crashAndResume(Path spec, String out, Configuration conf, List<String> storage,
                                       String name) throws Exception {
        // A short lock timeout: a live driver's heartbeat must keep its lock far past it, on every storage.
        List<String> base = new ArrayList<>(storage);
        base.addAll(List.of("--conf", "spark.hadoop." + SweepLock.TIMEOUT_KEY + "=6s"));

        // 1. The driver halts (kill -9 from within) after one batch's gradients part is published, before its
        //    trials part: the batch is half committed. The other trials wait first, so that most are still to run.
        String halted = grid.get(0).trialId(); // Spark starts the tasks in partition order: it runs first
        List<String> first = new ArrayList<>(base);
        first.addAll(List.of("--conf", Faults.HALT_IN_COMMIT + "=" + halted + ":gradients",
                "--conf", Faults.SLOW_TRIALS + "=" + slowAllBut(halted, 3000)));
        SparkCluster.Run crashed = submit(spec, out, List.of(), first, name + "-1.log");
        assertThat(crashed.waitFor(Duration.ofMinutes(4))).as(crashed.log()).isEqualTo(137);
        assertThat(crashed.log()).contains("injected halt after publishing gradients of the batch of trial " + halted);
        long trialsParts = StorageChecks.committed(out, conf, SWEEP, "trials");
        assertThat(trialsParts).isLessThan(TRIALS - 3);
        // The half-committed batch; on a loaded machine the other task may be committing at that moment too.
        long orphans = StorageChecks.committed(out, conf, SWEEP, "gradients") - trialsParts;
        assertThat(orphans).isBetween(1L, 2L);

        // 2. --resume takes over the dead driver's lock and cleans up; a second --resume meanwhile is refused by
        //    the live one's lock, well past the timeout; then the first is killed with kill -9 from outside.
        List<String> second = new ArrayList<>(base);
        // One trial sleeps far longer than the rest of the step takes: the driver is still running, holding its
        // lock, whenever the intruder gets to it on a loaded machine, and the kill always finds trials to run.
        String last = grid.get(TRIALS - 1).trialId();
        second.addAll(List.of("--conf", Faults.SLOW_TRIALS + "=" + slowAllBut(last, 2000) + "," + last + ":600000"));
        SparkCluster.Run killed = submit(spec, out, List.of("--resume"), second, name + "-2.log");
        killed.awaitCommitted(() -> StorageChecks.committed(out, conf, SWEEP, "trials") > trialsParts,
                Duration.ofMinutes(4));
        SparkCluster.Run intruder = submit(spec, out, List.of("--resume"), base, name + "-intruder.log");
        assertThat(intruder.waitFor(Duration.ofMinutes(2))).as(intruder.log()).isEqualTo(2);
        assertThat(intruder.log()).contains("Cannot run sweep '" + SWEEP + "': '" + out + "' is locked by the driver "
                + "on host " + java.net.InetAddress.getLocalHost().getHostName() + ", process " + killed.process().pid());
        assertThat(killed.process().isAlive()).as(killed.log()).isTrue();
        killed.kill();
        assertThat(killed.log()).contains("taking over the stale lock")
                .contains("resume: " + trialsParts + " of " + TRIALS + " trials already committed and skipped; "
                        + (TRIALS - trialsParts) + " to run; ")
                .containsPattern("to run; [1-9]\\d* leftover files of an interrupted run removed");
        long afterKill = StorageChecks.committed(out, conf, SWEEP, "trials");
        assertThat(afterKill).isLessThan(TRIALS);

        // 3. --resume to the end.
        SparkCluster.Run resumed = submit(spec, out, List.of("--resume"), base, name + "-3.log");
        assertThat(resumed.waitFor(Duration.ofMinutes(4))).as(resumed.log()).isZero();
        assertThat(resumed.log()).contains("taking over the stale lock")
                .containsPattern("resume: " + afterKill + " of " + TRIALS + " trials already committed and skipped; "
                        + (TRIALS - afterKill) + " to run; \\d+ leftover files");
        assertThat(StorageChecks.committed(out, conf, SWEEP, "trials")).isEqualTo(TRIALS);
        FileSystem fs = new org.apache.hadoop.fs.Path(out).getFileSystem(conf);
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(out + "/_staging/sweep=" + SWEEP))).isFalse();
        assertThat(fs.exists(new org.apache.hadoop.fs.Path(out + "/_locks/sweep=" + SWEEP + ".lock"))).isFalse();
        StorageChecks.assertSameAsReference(StorageChecks.download(out, conf, DIR.resolve("copy-" + name)), reference,
                TRIALS);
    }

    /** hadoop-aws and the AWS SDK modules it needs, from this test's classpath, for submit.sh's --jars. */
    static String s3aJars() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> jars = Arrays.stream(cp.split(File.pathSeparator)).filter(j -> {
            String n = Path.of(j).getFileName().toString();
            return Stream.of("hadoop-aws-", "aws-java-sdk-", "jmespath-java-", "ion-java-", "wildfly-openssl-",
                    "httpclient-", "httpcore-", "jackson-dataformat-cbor-").anyMatch(n::startsWith);
        }).toList();
        assertThat(jars).anyMatch(j -> j.contains("hadoop-aws-3.3.4"));
        return String.join(",", jars);
    }
}
