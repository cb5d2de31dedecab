package io.gradsweep.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock on a real local file system: exclusive, refusing with the holder's identity, recoverable when stale. */
class SweepLockTest {
    @TempDir
    Path dir;

    final List<String> said = new CopyOnWriteArrayList<>();
    final long me = ProcessHandle.current().pid();

    OutputLayout layout() {
        return OutputLayout.of(dir.toString());
    }

    Path lockFile() {
        return dir.resolve("_locks/sweep=s.lock");
    }

    static Configuration conf(String timeout) {
        Configuration c = new Configuration();
        c.set(SweepLock.TIMEOUT_KEY, timeout);
        return c;
    }

    SweepLock acquire(Configuration conf) throws Exception {
        return SweepLock.acquire(layout(), "s", conf, said::add);
    }

    void leave(String host, long pid, Instant heartbeat) throws Exception {
        Files.createDirectories(lockFile().getParent());
        Files.writeString(lockFile(), new LockHolder(host, pid, Instant.parse("2024-01-02T03:04:05Z"), "old").text());
        Files.setLastModifiedTime(lockFile(), FileTime.from(heartbeat));
    }

    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void theLockRecordsItsHolderAndCloseDeletesIt() throws Exception {
        SweepLock lock = acquire(new Configuration());
        assertThat(LockHolder.parse(Files.readString(lockFile()))).contains(lock.holder());
        assertThat(lock.holder().host()).isEqualTo(SweepLock.thisHost());
        assertThat(lock.holder().pid()).isEqualTo(me);
        lock.close();
        lock.close();
        assertThat(lockFile()).doesNotExist();
        assertThat(dir.resolve("_locks")).isEmptyDirectory();
        acquire(new Configuration()).close(); // and it can be taken again
    }

    @Test
    void aLiveHolderRefusesTheSecondDriverNamingItself() throws Exception {
        try (SweepLock first = acquire(conf("10m"))) {
            Instant beat = Instant.parse("2024-05-06T07:08:09Z");
            Files.setLastModifiedTime(lockFile(), FileTime.from(beat));
            String before = Files.readString(lockFile());
            Clock later = Clock.fixed(beat.plusMillis(7_900), ZoneOffset.UTC);
            assertThatThrownBy(() -> SweepLock.acquire(layout(), "s", conf("10m"), said::add, later))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("Cannot run sweep 's': '" + dir + "' is locked by the driver on host "
                            + SweepLock.thisHost() + ", process " + me + ", since " + first.holder().started()
                            + " (last heartbeat 7s ago); expected no other driver on this sweep — wait for it, or "
                            + "if it is dead, see README \"Stale locks\"");
            assertThat(Files.readString(lockFile())).isEqualTo(before);
        }
        assertThat(said).isEmpty();
    }

    @Test
    void aHolderOnAnotherHostIsAliveUntilItsHeartbeatIsOlderThanTheTimeout() throws Exception {
        leave("elsewhere.invalid", 1, Instant.now().minusSeconds(50));
        assertThatThrownBy(() -> acquire(new Configuration())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("locked by the driver on host elsewhere.invalid, process 1, since "
                        + "2024-01-02T03:04:05Z (last heartbeat 50s ago)");
        leave("elsewhere.invalid", 1, Instant.now().minusSeconds(61));
        try (SweepLock lock = acquire(new Configuration())) {
            assertThat(LockHolder.parse(Files.readString(lockFile()))).contains(lock.holder());
        }
        assertThat(said).containsExactly("[gradsweep] taking over the stale lock of the driver on host "
                + "elsewhere.invalid, process 1, since 2024-01-02T03:04:05Z: its last heartbeat was 61 s ago, over "
                + "the 60 s timeout");
        assertThat(dir.resolve("_locks")).isEmptyDirectory();
    }

    @Test
    void aDeadProcessOnThisHostIsStaleOnceItHasMissedTwoBeats() throws Exception {
        long dead = deadPid();
        leave(SweepLock.thisHost(), dead, Instant.now()); // fresh: taken over only after two 100 ms beats
        long start = System.nanoTime();
        try (SweepLock lock = acquire(conf("1200ms"))) {
            assertThat(lock.holder().pid()).isEqualTo(me);
        }
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(150);
        assertThat(said).containsExactly("[gradsweep] taking over the stale lock of the driver on host "
                + SweepLock.thisHost() + ", process " + dead + ", since 2024-01-02T03:04:05Z: process " + dead
                + " is not running on this host");
    }

    @Test
    void aHolderThatKeepsBeatingIsAliveEvenWhenItsPidIsNotVisibleHere() throws Exception {
        long dead = deadPid();
        leave(SweepLock.thisHost(), dead, Instant.now());
        Thread beating = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now()));
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                // interrupted: stop beating
            }
        });
        beating.start();
        try {
            assertThatThrownBy(() -> acquire(conf("1200ms"))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("process " + dead + ", since 2024-01-02T03:04:05Z (last heartbeat 0s ago)");
        } finally {
            beating.interrupt();
            beating.join();
        }
        assertThat(LockHolder.parse(Files.readString(lockFile())).orElseThrow().token()).isEqualTo("old");
    }

    @Test
    void theHeartbeatRefreshesTheModificationTime() throws Exception {
        try (SweepLock lock = acquire(conf("600ms"))) {
            Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minusSeconds(3600)));
            Thread.sleep(300);
            assertThat(Files.getLastModifiedTime(lockFile()).toInstant())
                    .isAfter(Instant.now().minusSeconds(2));
        }
    }

    @Test
    void anUnreadableLockIsJudgedByItsHeartbeatAlone() throws Exception {
        Files.createDirectories(lockFile().getParent());
        Files.writeString(lockFile(), "");
        assertThatThrownBy(() -> acquire(new Configuration())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is locked by a driver whose lock file is unreadable (last heartbeat 0s ago)");
        Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minusSeconds(120)));
        acquire(new Configuration()).close();
        assertThat(said).containsExactly("[gradsweep] taking over the stale lock of a driver whose lock file is "
                + "unreadable: its last heartbeat was 120 s ago, over the 60 s timeout");
    }

    @Test
    void ofDriversRacingForAStaleLockExactlyOneWins() throws Exception {
        for (int round = 0; round < 30; round++) { // the race is the scheduler's: give it many chances to go wrong
            race();
        }
    }

    private void race() throws Exception {
        leave("elsewhere.invalid", 1, Instant.now().minusSeconds(600));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SweepLock>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racers.add(pool.submit(() -> {
                go.await();
                try {
                    return acquire(new Configuration());
                } catch (InvalidInputException refused) {
                    return null;
                }
            }));
        }
        go.countDown();
        List<SweepLock> winners = new ArrayList<>();
        for (Future<SweepLock> f : racers) {
            if (f.get() != null) {
                winners.add(f.get());
            }
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        assertThat(LockHolder.parse(Files.readString(lockFile()))).contains(winners.get(0).holder());
        winners.get(0).close();
        assertThat(dir.resolve("_locks")).isEmptyDirectory();
    }

    @Test
    void aBreakerThatDiedMidwayDoesNotBlockTheTakeoverOnceItsGuardIsOlderThanTheTimeout() throws Exception {
        leave("elsewhere.invalid", 1, Instant.now().minusSeconds(600));
        Path guard = dir.resolve("_locks/sweep=s.lock.breaking");
        Files.writeString(guard, "dead-breaker");
        Files.setLastModifiedTime(guard, FileTime.from(Instant.now().minusSeconds(61)));
        try (SweepLock lock = acquire(new Configuration())) {
            assertThat(LockHolder.parse(Files.readString(lockFile()))).contains(lock.holder());
            assertThat(guard).doesNotExist();
        }
        assertThat(dir.resolve("_locks")).isEmptyDirectory();
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> acquire(conf("0s"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot lock the sweep: 'gradsweep.lock.timeout' is 0s; expected a positive duration "
                        + "such as 60s");
    }

    @Test
    void aHolderRecordSurvivesItsTextAndIncompleteRecordsDoNot() {
        LockHolder h = new LockHolder("h", 12, Instant.parse("2024-01-02T03:04:05Z"), "t");
        assertThat(h.text()).isEqualTo("host=h\npid=12\nstarted=2024-01-02T03:04:05Z\ntoken=t\n");
        assertThat(LockHolder.parse(h.text())).contains(h);
        assertThat(LockHolder.parse("host=h\npid=12\n")).isEmpty();
        assertThat(LockHolder.parse("host=h\npid=x\nstarted=2024-01-02T03:04:05Z\ntoken=t\n")).isEmpty();
        assertThatThrownBy(() -> new LockHolder("h", 0, Instant.EPOCH, "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lock holder pid must be positive: 0");
    }

    /** A local file system whose {@code setTimes} does nothing, as S3A's: the heartbeat must rewrite the file. */
    public static final class NoSetTimesFileSystem extends LocalFileSystem {
        public NoSetTimesFileSystem() {
            super(new RawLocalFileSystem() {
                @Override
                public void setTimes(org.apache.hadoop.fs.Path p, long mtime, long atime) {
                }
            });
        }
    }

    static Configuration noSetTimes(String timeout) {
        Configuration c = conf(timeout);
        c.setClass("fs.file.impl", NoSetTimesFileSystem.class, FileSystem.class);
        c.setBoolean("fs.file.impl.disable.cache", true);
        return c;
    }

    @Test
    void whereSetTimesDoesNothingTheHeartbeatRewritesTheFile() throws Exception {
        Configuration conf = noSetTimes("1200ms"); // a beat every 100 ms
        try (SweepLock lock = acquire(conf)) {
            String text = Files.readString(lockFile());
            FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
            Files.setLastModifiedTime(lockFile(), old);
            until(() -> Files.getLastModifiedTime(lockFile()).compareTo(old) > 0, 5_000);
            assertThat(Files.getLastModifiedTime(lockFile()).toInstant())
                    .isAfter(Instant.now().minusSeconds(5));
            // Rewritten in place: on a local disk a read may land between truncation and write (an object store
            // replaces the object whole), so wait for the content rather than read it once.
            until(() -> Files.readString(lockFile()).equals(text), 5_000);
            assertThat(said).isEmpty();
            // A later driver with the same setting sees a live holder past the timeout, and takes nothing over.
            Thread.sleep(1_500);
            assertThatThrownBy(() -> acquire(conf)).isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("Cannot run sweep 's': '" + dir + "' is locked by ")
                    .hasMessageContaining("(last heartbeat 0s ago)");
            assertThat(said).isEmpty();
            until(() -> Files.readString(lockFile()).equals(text), 5_000);
        }
        assertThat(lockFile()).doesNotExist();
    }

    @Test
    void theRewritingHeartbeatNeverOverwritesAnotherDriversLock() throws Exception {
        String other = new LockHolder("elsewhere.invalid", 1, Instant.parse("2024-01-02T03:04:05Z"), "theirs").text();
        try (SweepLock lock = acquire(noSetTimes("1200ms"))) {
            Files.writeString(lockFile(), other);
            until(() -> !said.isEmpty(), 5_000);
            assertThat(said).singleElement().asString().contains("cannot refresh the heartbeat of lock")
                    .contains("no longer holds this driver's token");
            assertThat(Files.readString(lockFile())).isEqualTo(other);
        }
        assertThat(Files.readString(lockFile())).isEqualTo(other); // close leaves a lock that is not ours
    }

    static void until(java.util.concurrent.Callable<Boolean> condition, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.call()) {
            assertThat(System.currentTimeMillis()).as("condition within " + timeoutMs + " ms").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
