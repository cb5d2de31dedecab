package io.gradsweep.data;

import io.gradsweep.spec.IdxSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads MNIST-style IDX files (images 0x803, labels 0x801; gzipped or raw) through the Hadoop FileSystem API, so
 * executors can read them from HDFS or S3 as well as local disk. Pixels are scaled to [0, 1] and flattened.
 */
public final class Idx {
    private Idx() {
    }

    public static Dataset read(IdxSource source, int limit, Configuration conf) {
        try {
            Path images = resolve(source, source.imagesName(), conf);
            Path labels = resolve(source, source.labelsName(), conf);
            int[] y = readLabels(labels, limit, conf);
            float[] x = readImages(images, y.length, conf);
            return new Dataset(x, y, 28 * 28, 10);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read MNIST " + source.split() + " from " + source.path(), e);
        }
    }

    private static Path resolve(IdxSource source, String name, Configuration conf) throws IOException {
        Path dir = new Path(source.path());
        FileSystem fs = dir.getFileSystem(conf);
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = new Path(dir, candidate);
            if (fs.exists(p)) {
                return p;
            }
        }
        throw new IOException("neither " + name + ".gz nor " + name + " exists in " + dir);
    }

    private static int[] readLabels(Path file, int limit, Configuration conf) throws IOException {
        try (DataInputStream in = IdxSource.open(file.getFileSystem(conf).open(file))) {
            expect(in.readInt(), 0x801, file);
            int n = Math.min(limit, in.readInt());
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = in.readUnsignedByte();
            }
            return y;
        }
    }

    private static float[] readImages(Path file, int n, Configuration conf) throws IOException {
        try (DataInputStream in = IdxSource.open(file.getFileSystem(conf).open(file))) {
            expect(in.readInt(), 0x803, file);
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < n || rows * cols != 28 * 28) {
                throw new IOException(file + " holds " + count + " images of " + rows + "x" + cols
                        + "; expected at least " + n + " of 28x28");
            }
            byte[] pixels = new byte[n * 28 * 28];
            in.readFully(pixels);
            float[] x = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                x[i] = (pixels[i] & 0xff) / 255f;
            }
            return x;
        }
    }

    private static void expect(int magic, int wanted, Path file) throws IOException {
        if (magic != wanted) {
            throw new IOException(file + " is not an IDX file of the expected kind (magic " + magic + ")");
        }
    }
}
