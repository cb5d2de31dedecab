package io.gradsweep.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void batchOutputConfigurationResolvesFilePathsToThisFileSystemUncached() throws Exception {
        Configuration conf = NioLocalFileSystem.forWriting(new Configuration());
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir.toUri());

        assertThat(p.getFileSystem(conf)).isInstanceOf(NioLocalFileSystem.class)
                .isNotSameAs(p.getFileSystem(conf));
        assertThat(p.getFileSystem(new Configuration())).isExactlyInstanceOf(LocalFileSystem.class);
    }

    @Test
    void aFileSystemTheUserConfiguredIsKept() {
        Configuration user = new Configuration();
        user.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");

        assertThat(NioLocalFileSystem.forWriting(user)).isSameAs(user);
    }

    /** The permissions must be the ones Hadoop's own chmod gives, umask included, for files, checksums and dirs. */
    @Test
    void setsThePermissionsTheStockFileSystemSets() throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.permissions.umask-mode", "027");
        String nio = create(NioLocalFileSystem.forWriting(conf), "nio");
        String stock = create(conf, "stock");

        assertThat(nio).isEqualTo(stock).isEqualTo("rw-r----- rw-r----- rwxr-x---");
    }

    @Test
    void convertsEveryPermissionBit() {
        for (short mode = 0; mode < 01000; mode++) {
            String expected = PosixFilePermissions.toString(NioLocalFileSystem.posix(new FsPermission(mode)));
            assertThat(expected).as("mode %o", mode).isEqualTo(new FsPermission(mode).toString());
        }
    }

    /** Creates sub/data through the configuration's file system; returns the data, checksum and dir permissions. */
    private String create(Configuration conf, String name) throws Exception {
        org.apache.hadoop.fs.Path sub = new org.apache.hadoop.fs.Path(dir.resolve(name).toUri() + "/sub");
        // newInstance: the cached stock instance would carry another test's umask
        try (FileSystem fs = FileSystem.newInstance(sub.toUri(), conf);
             FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(sub, "data"))) {
            assertThat(fs).isInstanceOf(LocalFileSystem.class);
            out.writeBytes("payload");
        }
        Path local = dir.resolve(name).resolve("sub");
        return perms(local.resolve("data")) + " " + perms(local.resolve(".data.crc")) + " " + perms(local);
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
