package io.gradsweep.spec;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-style IDX files: {@code <split>-images-idx3-ubyte} and {@code <split>-labels-idx1-ubyte}, gzipped
 * ({@code .gz}) or raw, in one directory. {@code path} may be any Hadoop FileSystem URI; only local paths can be
 * checked while the spec is parsed.
 */
public record IdxSource(String path, String split) implements Serializable {
    public static final List<String> SPLITS = List.of("train", "t10k");

    public String imagesName() {
        return split + "-images-idx3-ubyte";
    }

    public String labelsName() {
        return split + "-labels-idx1-ubyte";
    }

    /** True for plain paths and file: URIs, which the driver can check before anything runs. */
    public boolean isLocal() {
        return !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || path.startsWith("file:");
    }

    /** The local file for a base name, preferring the gzipped one; null when neither exists. */
    public Path localFile(String baseName) {
        Path dir = Path.of(path.startsWith("file:") ? java.net.URI.create(path).getPath() : path);
        for (String name : List.of(baseName + ".gz", baseName)) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    /** Opens an IDX stream, un-gzipping when the file starts with the gzip magic number. */
    public static DataInputStream open(InputStream raw) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return new DataInputStream(b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in);
    }

    /** Number of items the header of a local IDX file announces. */
    public static int itemCount(Path file) throws IOException {
        try (DataInputStream in = open(Files.newInputStream(file))) {
            in.readInt(); // magic: 0x801 labels, 0x803 images
            return in.readInt();
        }
    }
}
