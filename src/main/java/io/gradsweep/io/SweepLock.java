package io.gradsweep.io;

import io.gradsweep.InvalidInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * The one driver allowed on a sweep: {@code DIR/_locks/sweep=<name>.lock}, created exclusively before the driver
 * reads, deletes or stages anything, and deleted when it ends (normally, by an exception, or from a shutdown hook on
 * SIGINT/SIGTERM). Batch names depend on the planned trial sets, so two drivers that plan differently would publish
 * the same trials under different names; only this lock prevents that.
 * <p>
 * A daemon thread refreshes the file's modification time, the heartbeat, every {@code timeout / 12} (by rewriting
 * the file where {@code setTimes} has no effect, as on S3A). A lock is
 * stale, and taken over with a notice, when its heartbeat is older than {@link #TIMEOUT_KEY} (default 60 s), or when
 * its holder ran on this host, its process is gone and its heartbeat has missed two beats (a live driver in another
 * PID namespace under the same host name keeps beating, so it is never taken for dead).
 */
public final class SweepLock implements AutoCloseable {
    public static final String TIMEOUT_KEY = "gradsweep.lock.timeout";
    static final long DEFAULT_TIMEOUT_MS = 60_000;

    private final FileSystem fs;
    private final Path path;
    private final LockHolder me;
    private final Clock clock;
    private final Consumer<String> say;
    private final ScheduledExecutorService heartbeat;
    private final Runnable hook = this::close;
    private boolean released;
    private boolean warned;
    private boolean checked;
    private boolean rewrite;

    private SweepLock(FileSystem fs, Path path, LockHolder me, Clock clock, Consumer<String> say, long intervalMs) {
        this.fs = fs;
        this.path = path;
        this.me = me;
        this.clock = clock;
        this.say = say;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gradsweep-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        // After Spark's own hook (priority +30) has stopped the tasks, before Hadoop closes its file systems.
        ShutdownHookManager.get().addShutdownHook(hook, FileSystem.SHUTDOWN_HOOK_PRIORITY + 20);
    }

    /**
     * Takes the lock of {@code sweep} or refuses with the holder's identity.
     *
     * @param say where the notice of a taken-over stale lock goes
     * @throws InvalidInputException when a live driver holds it
     */
    public static SweepLock acquire(OutputLayout layout, String sweep, Configuration conf, Consumer<String> say)
            throws IOException {
        return acquire(layout, sweep, conf, say, Clock.systemUTC());
    }

    static SweepLock acquire(OutputLayout layout, String sweep, Configuration conf, Consumer<String> say,
                             Clock clock) throws IOException {
        long timeoutMs = timeoutMs(conf);
        long intervalMs = Math.max(timeoutMs / 12, 20);
        Path path = layout.lockFile(sweep);
        FileSystem fs = LockFiles.raw(path.getFileSystem(conf));
        LockHolder me = new LockHolder(thisHost(), ProcessHandle.current().pid(),
                clock.instant().truncatedTo(ChronoUnit.SECONDS), UUID.randomUUID().toString());
        fs.mkdirs(path.getParent());
        boolean waited = false;
        for (int tries = 0; ; tries++) {
            if (LockFiles.createExclusive(fs, path, me.text())) {
                return new SweepLock(fs, path, me, clock, say, intervalMs);
            }
            Optional<LockHolder> holder;
            long beatMs;
            try {
                holder = LockFiles.read(fs, path);
                beatMs = fs.getFileStatus(path).getModificationTime();
                if (!LockFiles.read(fs, path).equals(holder)) {
                    continue; // replaced while we looked: that heartbeat may not be this holder's
                }
            } catch (FileNotFoundException e) {
                continue; // released between our create and our look: try again
            }
            long ageMs = Math.max(0, clock.millis() - beatMs);
            String stale = staleness(holder, ageMs, timeoutMs, intervalMs);
            if (stale == null && !waited && deadHereButRecent(holder, ageMs, intervalMs)) {
                waited = true; // once: a holder that beats meanwhile is alive, in a PID namespace we cannot see
                sleep(2 * intervalMs - ageMs + 1);
                continue;
            }
            if (stale == null || tries >= 3) {
                throw refused(layout, sweep, holder, ageMs);
            }
            if (LockFiles.breakStale(fs, path, holder, me.token(), clock.millis(), timeoutMs)) {
                say.accept("[gradsweep] taking over the stale lock of " + describe(holder) + ": " + stale);
            }
        }
    }

    /** Why the lock is stale, or null when its holder may be alive. */
    static String staleness(Optional<LockHolder> holder, long ageMs, long timeoutMs, long intervalMs) {
        if (ageMs >= timeoutMs) {
            return "its last heartbeat was " + ageMs / 1000 + " s ago, over the " + timeoutMs / 1000 + " s timeout";
        }
        if (holder.isPresent() && isDeadHere(holder.get()) && ageMs >= 2 * intervalMs) {
            return "process " + holder.get().pid() + " is not running on this host";
        }
        return null;
    }

    private static boolean deadHereButRecent(Optional<LockHolder> holder, long ageMs, long intervalMs) {
        return holder.isPresent() && isDeadHere(holder.get()) && ageMs < 2 * intervalMs;
    }

    private static boolean isDeadHere(LockHolder h) {
        return h.host().equals(thisHost()) && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    private static InvalidInputException refused(OutputLayout layout, String sweep, Optional<LockHolder> holder,
                                                 long ageMs) {
        return new InvalidInputException("Cannot run sweep '" + sweep + "': '" + layout.root() + "' is locked by "
                + describe(holder) + " (last heartbeat " + ageMs / 1000 + "s ago); expected no other driver on this "
                + "sweep — wait for it, or if it is dead, see README \"Stale locks\"");
    }

    private static String describe(Optional<LockHolder> holder) {
        return holder.map(LockHolder::describe).orElse("a driver whose lock file is unreadable");
    }

    static long timeoutMs(Configuration conf) {
        long ms = conf.getTimeDuration(TIMEOUT_KEY, DEFAULT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (ms <= 0) {
            throw new InvalidInputException("Cannot lock the sweep: '" + TIMEOUT_KEY + "' is " + conf.get(TIMEOUT_KEY)
                    + "; expected a positive duration such as 60s");
        }
        return ms;
    }

    static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Objects.requireNonNullElse(System.getenv("HOSTNAME"), "localhost");
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a lock holder's heartbeat", e);
        }
    }

    public LockHolder holder() {
        return me;
    }

    /**
     * Refreshes the heartbeat. {@code setTimes} is a no-op on object stores (S3A), where the modification time is
     * the time of the last write: the first beat checks that it took effect and, if not, every beat from then on
     * writes the file again, with the same content, as long as it still holds our token.
     */
    private void beat() {
        try {
            long now = clock.millis();
            if (!checked) {
                checked = true;
                long before = fs.getFileStatus(path).getModificationTime();
                fs.setTimes(path, now, -1);
                rewrite = fs.getFileStatus(path).getModificationTime() == before;
            } else if (!rewrite) {
                fs.setTimes(path, now, -1);
            }
            if (rewrite && !LockFiles.rewriteIfOurs(fs, path, me)) {
                throw new IOException("the lock file no longer holds this driver's token");
            }
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true; // once: a lost lock does not get better by repeating it every few seconds
                say.accept("[gradsweep] warning: cannot refresh the heartbeat of lock " + path + ": " + e);
            }
        }
    }

    /** Stops the heartbeat and deletes the lock if it is still ours; safe to call twice, from the shutdown hook too. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        heartbeat.shutdownNow();
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(hook);
        }
        try {
            if (LockFiles.read(fs, path).map(h -> h.token().equals(me.token())).orElse(false)) {
                fs.delete(path, false);
            }
        } catch (FileNotFoundException e) {
            // already gone: a driver judged it stale and took it over
        } catch (IOException e) {
            say.accept("[gradsweep] warning: cannot release lock " + path + " (" + e + "); the next driver will "
                    + "find it stale once its heartbeat is older than the timeout");
        }
    }
}
