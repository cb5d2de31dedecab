package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.InvalidInputException;
import io.gradsweep.SweepFailedException;
import io.gradsweep.exec.BatchPlanner;
import io.gradsweep.exec.TrialBatch;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.train.Faults;
import io.gradsweep.testing.Duck;
import io.gradsweep.train.TrialOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two drivers on one sweep, in one JVM on a shared local[2] session: the lock refuses the second before it touches
 * anything, a dead driver's lock is taken over, and --resume refuses output that two drivers already duplicated.
 */
class ConcurrentDriversTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    static final String STARTED = "2024-01-02T03:04:05Z";

    static SweepSpec spec(String name) {
        return SpecParser.parse("""
                name: %s
                dataset: {name: circles, samples: 60, noise: 0.1, factor: 0.5, seed: 1}
                train: {epochs: 1, batch_size: 32}
                grid: {activation: [tanh, relu], depth: [1], width: [3], optimizer: [sgd], learning_rate: [0.1],
                       seed: [1, 2]}
                """.formatted(name));
    }

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<TrialOutcome> run(SweepSpec spec, Path out, int tasks, boolean overwrite, boolean resume,
                                  StringWriter log) throws Exception {
        return new SweepJob(spark, new PrintWriter(log, true))
                .run(spec, new SweepJob.Options(out.toString(), tasks, Grid.DEFAULT_MAX_TRIALS, overwrite, resume));
    }

    static List<TrialOutcome> run(SweepSpec spec, Path out, int tasks, boolean overwrite, boolean resume)
            throws Exception {
        return run(spec, out, tasks, overwrite, resume, new StringWriter());
    }

    static Path lockFile(Path out, String sweep) {
        return out.resolve("_locks/sweep=" + sweep + ".lock");
    }

    /** A lock as a driver on {@code host} with {@code pid} leaves it, its last heartbeat {@code ageSeconds} ago. */
    static void writeLock(Path out, String sweep, String host, long pid, long ageSeconds) throws Exception {
        Path lock = lockFile(out, sweep);
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "host=" + host + "\npid=" + pid + "\nstarted=" + STARTED + "\ntoken=t-" + pid + "\n");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
    }

    static String host() throws Exception {
        return InetAddress.getLocalHost().getHostName();
    }

    /** Every file and directory under {@code root} with its size and modification time. */
    static Map<String, String> listing(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                files.put(root.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    static Map<String, String> withoutLocks(Map<String, String> listing) {
        listing.keySet().removeIf(k -> k.startsWith("_locks"));
        return listing;
    }

    static String lockedMessage(String sweep, Path out, String host, long pid) {
        return "Cannot run sweep '" + sweep + "': '" + out + "' is locked by the driver on host " + host
                + ", process " + pid + ", since " + STARTED + " (last heartbeat ";
    }

    static final String LOCKED_SUFFIX = "s ago); expected no other driver on this sweep — wait for it, or if it is "
            + "dead, see README \"Stale locks\"";

    @Test
    void aSecondDriverIsRefusedWhateverItsFlagsAndChangesNothing() throws Exception {
        Path out = dir.resolve("held");
        run(spec("held"), out, 2, false, false);
        long me = ProcessHandle.current().pid();
        writeLock(out, "held", host(), me, 3);
        Map<String, String> before = listing(out);
        Pattern message = Pattern.compile(Pattern.quote(lockedMessage("held", out, host(), me)) + "[34]"
                + Pattern.quote(LOCKED_SUFFIX));
        for (boolean[] flags : new boolean[][] {{false, false}, {false, true}, {true, false}}) {
            assertThatThrownBy(() -> run(spec("held"), out, 4, flags[0], flags[1]))
                    .isInstanceOf(InvalidInputException.class).hasMessageMatching(message.pattern());
        }
        assertThat(listing(out)).isEqualTo(before);
    }

    @Test
    void aLiveDriverHoldsTheLockUntilItEndsAndReleasesIt() throws Exception {
        Path out = dir.resolve("live");
        SweepSpec spec = spec("live");
        String slow = Grid.expand(spec, 10).get(0).trialId();
        System.setProperty(Faults.SLOW_TRIALS, slow + ":4000");
        CompletableFuture<List<TrialOutcome>> first;
        try {
            first = CompletableFuture.supplyAsync(() -> {
                try {
                    return run(spec, out, 1, false, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(out.resolve("_staging")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String prefix = lockedMessage("live", out, host(), ProcessHandle.current().pid());
            for (boolean[] flags : new boolean[][] {{false, false}, {false, true}, {true, false}}) {
                assertThatThrownBy(() -> run(spec, out, 4, flags[0], flags[1]))
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageStartingWith(prefix.substring(0, prefix.indexOf(", since ")))
                        .hasMessageEndingWith(LOCKED_SUFFIX);
            }
            assertThat(first.get()).hasSize(4);
        } finally {
            System.clearProperty(Faults.SLOW_TRIALS);
        }
        String trials = "read_parquet('" + out + "/trials/*/*.parquet')";
        assertThat(scalar("SELECT count(*) FROM " + trials)).isEqualTo(4);
        assertThat(scalar("SELECT count(DISTINCT trial_id) FROM " + trials)).isEqualTo(4);
        assertThat(scalar("SELECT count(*) - count(DISTINCT (trial_id, iteration, layer, param)) FROM "
                + "read_parquet('" + out + "/gradients/*/*.parquet')")).isZero();
        assertThat(lockFile(out, "live")).doesNotExist();
        assertThat(out.resolve("_staging/sweep=live")).doesNotExist();
    }

    @Test
    void aFailedRunReleasesTheLockAndResumeTakesIt() throws Exception {
        Path out = dir.resolve("failed");
        SweepSpec spec = spec("failed");
        System.setProperty(Faults.TASK_FAIL_TRIALS, Grid.expand(spec, 10).get(1).trialId());
        try {
            assertThatThrownBy(() -> run(spec, out, 2, false, false)).isInstanceOf(SweepFailedException.class);
        } finally {
            System.clearProperty(Faults.TASK_FAIL_TRIALS);
        }
        assertThat(lockFile(out, "failed")).doesNotExist();
        assertThat(run(spec, out, 2, false, true)).isNotEmpty();
        assertThat(lockFile(out, "failed")).doesNotExist();
        assertThat(scalar("SELECT count(DISTINCT trial_id) FROM read_parquet('" + out + "/trials/*/*.parquet')"))
                .isEqualTo(4);
    }

    /**
     * The other batch of a failed job is still asleep in its first trial when the job fails; the driver must not
     * return (and release the lock) before that attempt has ended, or a --resume that follows at once races it.
     */
    @Test
    void aFailedRunReturnsOnlyAfterItsOtherTaskAttemptsHaveEnded() throws Exception {
        Path out = dir.resolve("zombie");
        SweepSpec spec = spec("zombie");
        List<TrialBatch> batches = BatchPlanner.plan(Grid.expand(spec, 10), 2, 2);
        assertThat(batches).hasSize(2);
        System.setProperty(Faults.TASK_FAIL_TRIALS, batches.get(0).trials().get(0).trialId());
        System.setProperty(Faults.SLOW_TRIALS, batches.get(1).trials().get(0).trialId() + ":3000");
        StringWriter log = new StringWriter();
        try {
            assertThatThrownBy(() -> run(spec, out, 2, false, false, log)).isInstanceOf(SweepFailedException.class);
        } finally {
            System.clearProperty(Faults.TASK_FAIL_TRIALS);
            System.clearProperty(Faults.SLOW_TRIALS);
        }
        assertThat(log.toString()).contains("[gradsweep] sweep 'zombie': waiting for 1 running task attempts to end");
        try (Stream<Path> staged = Files.walk(out.resolve("_staging"))) {
            assertThat(staged.filter(Files::isRegularFile).toList()).isEmpty();
        }
        assertThat(lockFile(out, "zombie")).doesNotExist();
        assertThat(run(spec, out, 2, false, true)).hasSize(4);
        assertThat(scalar("SELECT count(*) FROM read_parquet('" + out + "/trials/*/*.parquet')")).isEqualTo(4);
    }

    @Test
    void theLockOfADeadDriverOnThisHostIsTakenOverWithANotice() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path out = dir.resolve("dead");
        writeLock(out, "dead", host(), gone.pid(), 30);
        StringWriter log = new StringWriter();
        assertThat(run(spec("dead"), out, 2, false, false, log)).hasSize(4);
        assertThat(log.toString()).contains("[gradsweep] taking over the stale lock of the driver on host " + host()
                + ", process " + gone.pid() + ", since " + STARTED + ": process " + gone.pid()
                + " is not running on this host\n");
        assertThat(lockFile(out, "dead")).doesNotExist();
    }

    @Test
    void aLockWhoseHeartbeatStoppedIsTakenOverWithANotice() throws Exception {
        Path out = dir.resolve("silent");
        writeLock(out, "silent", "elsewhere.invalid", 4242, 300);
        StringWriter log = new StringWriter();
        assertThat(run(spec("silent"), out, 2, false, false, log)).hasSize(4);
        assertThat(log.toString()).contains("[gradsweep] taking over the stale lock of the driver on host "
                + "elsewhere.invalid, process 4242, since " + STARTED + ": its last heartbeat was 300 s ago, over "
                + "the 60 s timeout\n");
        assertThat(lockFile(out, "silent")).doesNotExist();
    }

    @Test
    void resumeRefusesTrialsCommittedTwiceAndOverwriteRepairs() throws Exception {
        Path out = dir.resolve("dup");
        SweepSpec spec = spec("dup");
        run(spec, out, 2, false, false);
        Path trialsDir = out.resolve("trials/sweep=dup");
        Path original;
        try (Stream<Path> files = Files.list(trialsDir)) {
            original = files.filter(p -> p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
        Path copy = trialsDir.resolve("part-b00099-0000dup0.parquet");
        // As a second driver would have committed it: the batch whole, in every table.
        for (Table<?> table : Tables.ALL) {
            Path dirOf = out.resolve(table.name()).resolve("sweep=dup");
            Files.copy(dirOf.resolve(original.getFileName()), dirOf.resolve(copy.getFileName()));
        }
        List<String> ids = Duck.rows("SELECT trial_id FROM read_parquet('" + copy + "') ORDER BY 1").stream()
                .map(r -> "'" + r.get(0) + "'").toList();
        Map<String, String> before = withoutLocks(listing(out));
        assertThatThrownBy(() -> run(spec, out, 3, false, true)).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot resume sweep 'dup': " + ids.size() + " trials are committed more than once "
                        + "(trial ids " + String.join(", ", ids) + " in " + original.getFileName() + ", "
                        + copy.getFileName() + " under " + trialsDir + "); expected each trial in one trials "
                        + "file, which two drivers writing the sweep at once break; replace the sweep with "
                        + "--overwrite");
        assertThat(withoutLocks(listing(out))).as("all but the lock it took and released").isEqualTo(before);
        assertThat(lockFile(out, "dup")).doesNotExist();
        run(spec, out, 3, true, false);
        assertThat(scalar("SELECT count(*) FROM read_parquet('" + trialsDir + "/*.parquet')")).isEqualTo(4);
    }
}
