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
     * Moves the stale lock aside under a name of our own, so that of two drivers breaking it at once only one
     * succeeds; if what we moved is not the lock we judged (a third driver took it meanwhile), it goes back.
     */
    static boolean breakStale(FileSystem fs, Path path, Optional<LockHolder> judged, String token)
            throws IOException {
        Path aside = new Path(path.getParent(), path.getName() + ".stale-" + token);
        try {
            if (!fs.rename(path, aside)) {
                return false;
            }
        } catch (FileNotFoundException e) {
            return false;
        }
        if (Objects.equals(read(fs, aside), judged)) {
            fs.delete(aside, false);
            return true;
        }
        fs.rename(aside, path);
        return false;
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
