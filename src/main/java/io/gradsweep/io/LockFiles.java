package io.gradsweep.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/** The file operations {@link SweepLock} needs to be atomic, each on the weakest primitive that makes it so. */
final class LockFiles {
    private LockFiles() {
    }

    /**
     * Removes the stale lock {@code judged}, or returns false when it cannot be sure it is removing that lock.
     * <p>
     * Breakers first take {@code <lock>.breaking} exclusively, so only one breaks at a time: without it, a slow
     * breaker could move aside the fresh lock a faster one had just created, and while it put that back a third
     * driver could create its own, so that two drivers held the sweep. Under the guard the lock is read again and
     * moved aside only if it is still the one judged; only its own holder's release can change it meanwhile, and
     * then what was moved aside goes back without overwriting anything. A guard left by a breaker that died
     * (older than the lock timeout) is deleted, and the caller tries again.
     */
    static boolean breakStale(FileSystem fs, Path path, Optional<LockHolder> judged, String token, long nowMs,
                              long timeoutMs) throws IOException {
        Path guard = new Path(path.getParent(), path.getName() + ".breaking");
        if (!createExclusive(fs, guard, token)) {
            deleteIfOlder(fs, guard, nowMs - timeoutMs);
            return false;
        }
        try {
            return moveAsideIfStill(fs, path, judged, new Path(path.getParent(), path.getName() + ".stale-" + token));
        } finally {
            fs.delete(guard, false);
        }
    }

    private static boolean moveAsideIfStill(FileSystem fs, Path path, Optional<LockHolder> judged, Path aside)
            throws IOException {
        try {
            if (!Objects.equals(read(fs, path), judged) || !fs.rename(path, aside)) {
                return false;
            }
        } catch (FileNotFoundException e) {
            return false;
        }
        if (Objects.equals(read(fs, aside), judged)) {
            fs.delete(aside, false);
            return true;
        }
        if (renameNoReplace(fs, aside, path)) {
            return false;
        }
        // Its judged holder released it, a driver locked, and another locked after our move: needs a stalled holder
        // waking inside a window of microseconds. Leave the newest lock in place.
        fs.delete(aside, false);
        return false;
    }

    /** Hadoop's local rename replaces an existing target (POSIX rename); a hard link does not. HDFS never does. */
    private static boolean renameNoReplace(FileSystem fs, Path from, Path to) throws IOException {
        if (fs instanceof RawLocalFileSystem local) {
            try {
                Files.createLink(local.pathToFile(to).toPath(), local.pathToFile(from).toPath());
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            fs.delete(from, false);
            return true;
        }
        return fs.rename(from, to);
    }

    private static void deleteIfOlder(FileSystem fs, Path path, long beforeMs) throws IOException {
        try {
            if (fs.getFileStatus(path).getModificationTime() < beforeMs) {
                fs.delete(path, false);
            }
        } catch (FileNotFoundException e) {
            // released meanwhile
        }
    }

    /**
     * Creates the file only if absent, atomically. HDFS's {@code create(path, false)} is; Hadoop's local file system
     * checks and then opens, so two local drivers could both "create" it: there java.nio's CREATE_NEW (O_EXCL) is used.
     */
    static boolean createExclusive(FileSystem fs, Path path, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (fs instanceof RawLocalFileSystem local) {
            try {
                Files.write(local.pathToFile(path).toPath(), bytes, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(bytes);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Writes the lock again, which on an object store is what moves its modification time, unless another driver
     * has taken it over. Between the read and the write a takeover can slip in; where that matters (object stores,
     * without an atomic create either) the lock is advisory, see README "Output on HDFS and S3".
     */
    static boolean rewriteIfOurs(FileSystem fs, Path path, LockHolder me) throws IOException {
        if (!read(fs, path).map(h -> h.token().equals(me.token())).orElse(false)) {
            return false;
        }
        try (FSDataOutputStream out = fs.create(path, true)) {
            out.write(me.text().getBytes(StandardCharsets.UTF_8));
        }
        return true;
    }

    static Optional<LockHolder> read(FileSystem fs, Path path) throws IOException {
        try (FSDataInputStream in = fs.open(path)) {
            return LockHolder.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Lock files are tiny and rewritten by no one: on {@code file:} skip the checksum layer and its .crc files. */
    static FileSystem raw(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }
}
