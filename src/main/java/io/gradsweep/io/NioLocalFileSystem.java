package io.gradsweep.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system, checksums included, except that permissions are set through java.nio. Without Hadoop's
 * native library, which Maven Central does not ship, the stock one starts a {@code chmod} process for every file,
 * checksum file and directory it creates: 17 processes per batch, about 7 ms each, and two tasks starting processes
 * at once slow each other down. Only batch output uses it (see {@link #forWriting}); HDFS and S3A are untouched.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
    private static final String IMPL = "fs.file.impl";

    public NioLocalFileSystem() {
        super(new Raw());
    }

    /**
     * The configuration batch output writes with: this file system for {@code file:} paths, uncached, since Hadoop's
     * cache is keyed by scheme and user, not by configuration, and would hand back the stock instance that Spark
     * created first. A file system the user configured for {@code file:} is kept.
     */
    public static Configuration forWriting(Configuration conf) {
        if (conf.get(IMPL) != null) {
            return conf;
        }
        Configuration c = new Configuration(conf);
        c.setClass(IMPL, NioLocalFileSystem.class, org.apache.hadoop.fs.FileSystem.class);
        c.setBoolean("fs.file.impl.disable.cache", true);
        return c;
    }

    static Set<PosixFilePermission> posix(FsPermission p) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        add(out, p.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        add(out, p.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE);
        add(out, p.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        return out;
    }

    private static void add(Set<PosixFilePermission> out, FsAction a, PosixFilePermission r, PosixFilePermission w,
                            PosixFilePermission x) {
        if (a.implies(FsAction.READ)) {
            out.add(r);
        }
        if (a.implies(FsAction.WRITE)) {
            out.add(w);
        }
        if (a.implies(FsAction.EXECUTE)) {
            out.add(x);
        }
    }

    /** The raw layer: everything stock but {@link #setPermission}. */
    public static final class Raw extends RawLocalFileSystem {
        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            try {
                Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
            } catch (UnsupportedOperationException e) {
                super.setPermission(p, permission); // not a POSIX file system: Hadoop's own way
            }
        }
    }
}
