package io.gradsweep.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An MNIST directory of IDX headers alone, for tests that parse specs (which reads headers only) but train nothing. */
public final class IdxHeaders {
    private IdxHeaders() {
    }

    /** Writes t10k image and label headers for {@code images} 28x28 images into {@code dir}; returns it. */
    public static Path mnist(Path dir, int images) throws IOException {
        write(dir.resolve("t10k-images-idx3-ubyte"), 0x803, images, 28, 28);
        write(dir.resolve("t10k-labels-idx1-ubyte"), 0x801, images);
        return dir;
    }

    private static void write(Path file, int... ints) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (int i : ints) {
                out.writeInt(i);
            }
        }
    }
}
