package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static io.gradsweep.testing.Duck.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * What the sweeps on real storage share, on {@code local[2]} (RealStorageIT) and on the standalone cluster
 * (ClusterIT): the real MNIST files put on the storage, committed parts counted there, the output copied back for
 * DuckDB, and the comparison with an undisturbed run on the local file system.
 */
final class StorageChecks {
    private StorageChecks() {
    }

    /**
     * DL4J, one trial per task: each trial is its own batch, so a crash lands between commits. 8 trials on MNIST's
     * first 1,000 t10k images; the path is not part of a trial's id, so every storage's run has the same ids.
     */
    static Path mnistSpec(Path file, String sweep, Object mnistDir) throws IOException {
        Files.writeString(file, """
                name: %s
                dataset: {name: mnist, path: "%s", split: t10k, limit: 1000, seed: 1, test_fraction: 0.2}
                train: {epochs: 2, batch_size: 50, engine: dl4j}
                grid: {activation: [sigmoid, relu], depth: [2], width: [16], initializer: [glorot_uniform],
                       optimizer: [adam], learning_rate: [0.001], seed: [1, 2, 3, 4]}
                stats: {every: 2}
                """.formatted(sweep, mnistDir));
        return file;
    }

    /** Puts the real t10k files on the storage, under {@code uri}/data/mnist (never into the repository). */
    static String uploadMnist(String uri, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(uri + "/data/mnist");
        FileSystem fs = dst.getFileSystem(conf);
        fs.mkdirs(dst);
        for (String name : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(Path.of(TestData.MNIST, name).toAbsolutePath().toUri()),
                    new org.apache.hadoop.fs.Path(dst, name));
        }
        assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path(dst, "t10k-images-idx3-ubyte.gz")).getLen())
                .isEqualTo(Files.size(Path.of(TestData.MNIST, "t10k-images-idx3-ubyte.gz")));
        return dst.toString();
    }

    /** Committed Parquet parts of one table of one sweep. */
    static long committed(String out, Configuration conf, String sweep, String table) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(out + "/" + table + "/sweep=" + sweep);
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            return 0;
        }
        return Arrays.stream(fs.listStatus(dir)).map(FileStatus::getPath)
                .filter(p -> p.getName().endsWith(".parquet")).count();
    }

    /** Copies the output tree to {@code local} on the local disk, for DuckDB. */
    static Path download(String out, Configuration conf, Path local) throws IOException {
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(out);
        src.getFileSystem(conf).copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(local.toUri()), true);
        return local;
    }

    /**
     * Every trial once, no gradient or epoch key twice, all trials ok, and the same rows and numbers, bit for bit,
     * as the reference run on the local file system.
     */
    static void assertSameAsReference(Path out, Path reference, int trials) throws Exception {
        assertThat(scalar("SELECT count(*) FROM " + table(out, "trials"))).isEqualTo(trials);
        assertThat(scalar("SELECT count(DISTINCT trial_id) FROM " + table(out, "trials"))).isEqualTo(trials);
        assertThat(scalar("SELECT count(*) - count(DISTINCT (trial_id, iteration, layer, param)) FROM "
                + table(out, "gradients"))).isZero();
        assertThat(scalar("SELECT count(*) - count(DISTINCT (trial_id, epoch)) FROM " + table(out, "epochs")))
                .isZero();
        for (String t : List.of("gradients", "epochs", "activations")) {
            assertThat(scalar("SELECT count(*) FROM " + table(out, t))).as(t)
                    .isEqualTo(scalar("SELECT count(*) FROM " + table(reference, t)));
        }
        assertThat(scalar("SELECT count(*) FROM " + table(out, "gradients") + " x FULL OUTER JOIN "
                + table(reference, "gradients") + " y USING (trial_id, iteration, layer, param) "
                + "WHERE x.std IS DISTINCT FROM y.std OR x.l2 IS DISTINCT FROM y.l2 OR x.mean IS DISTINCT FROM "
                + "y.mean OR x.weight_std IS DISTINCT FROM y.weight_std "
                + "OR x.update_ratio IS DISTINCT FROM y.update_ratio")).isZero();
        assertThat(scalar("SELECT count(*) FROM " + table(out, "epochs") + " x FULL OUTER JOIN "
                + table(reference, "epochs") + " y USING (trial_id, epoch) "
                + "WHERE x.train_loss IS DISTINCT FROM y.train_loss")).isZero();
        assertThat(scalar("SELECT count(*) FROM " + table(out, "trials") + " x FULL OUTER JOIN "
                + table(reference, "trials") + " y USING (trial_id) WHERE x.train_accuracy IS DISTINCT FROM "
                + "y.train_accuracy OR x.test_accuracy IS DISTINCT FROM y.test_accuracy "
                + "OR x.train_loss IS DISTINCT FROM y.train_loss OR x.status IS DISTINCT FROM y.status")).isZero();
        assertThat(scalar("SELECT count(*) FROM " + table(out, "trials") + " WHERE status = 'ok'"))
                .isEqualTo(trials);
    }
}
