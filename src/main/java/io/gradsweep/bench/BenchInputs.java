package io.gradsweep.bench;

import io.gradsweep.InvalidInputException;
import io.gradsweep.spec.IdxSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the benchmark finds Python and MNIST on this machine, detected rather than assumed: no default may be one
 * machine's path. What the user named but is not there is invalid input, reported before anything is timed; what
 * was neither named nor found leaves its part out, and the report says why.
 */
public final class BenchInputs {
    /** The property the tests' surefire configuration also sets, so one setting serves tests and benchmark. */
    public static final String MNIST_PROPERTY = "gradsweep.mnist.dir";
    public static final String MNIST_ENV = "GRADSWEEP_MNIST_DIR";
    /** The benchmark reads the first 2,000 examples of this split. */
    static final String MNIST_SPLIT = "t10k";

    /** A located input: its value, or null and the reason, for the report, that there is none. */
    public record Input(String value, String absent) {
        static Input of(String value) {
            return new Input(value, null);
        }

        static Input none(String why) {
            return new Input(null, why);
        }
    }

    private BenchInputs() {
    }

    /**
     * @param given {@code --python}: a path, or a command looked up on PATH; null for python3 on PATH
     * @param path the PATH variable, e.g. {@code System.getenv("PATH")}; may be null
     */
    public static Input python(String given, String path) {
        if (given == null) {
            Path found = onPath("python3", path);
            return found != null ? Input.of(found.toString()) : Input.none("no python3 on PATH; pass --python");
        }
        Path found = given.contains(File.separator) ? executable(Path.of(given)) : onPath(given, path);
        if (found == null) {
            throw new InvalidInputException("Cannot run the PyTorch reference: '--python' is " + given
                    + "; expected an executable file, or a command on PATH");
        }
        return Input.of(found.toString());
    }

    /**
     * The first of {@code --mnist}, the {@value #MNIST_PROPERTY} property and {@value #MNIST_ENV} that is set; it
     * must hold the t10k IDX files. Null arguments are unset.
     */
    public static Input mnist(String given, String property, String env) {
        String key = given != null ? "--mnist" : property != null ? MNIST_PROPERTY : env != null ? MNIST_ENV : null;
        if (key == null) {
            return Input.none("no MNIST directory; pass --mnist DIR or set " + MNIST_PROPERTY + " or " + MNIST_ENV);
        }
        String dir = given != null ? given : property != null ? property : env;
        IdxSource idx = new IdxSource(dir, MNIST_SPLIT);
        if (idx.localFile(idx.imagesName()) == null || idx.localFile(idx.labelsName()) == null) {
            throw new InvalidInputException("Cannot run the MNIST benchmark: '" + key + "' is " + dir
                    + "; expected a directory with " + idx.imagesName() + "[.gz] and " + idx.labelsName() + "[.gz]");
        }
        return Input.of(dir);
    }

    private static Path onPath(String command, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path found = dir.isEmpty() ? null : executable(Path.of(dir, command));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Path executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
    }
}
