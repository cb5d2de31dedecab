package io.gradsweep.report;

import io.gradsweep.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The directory a report goes to, checked before anything is loaded: loading takes a minute on a large sweep, and a
 * mistyped {@code --to} should cost none of it. A report may go to a new or empty directory, or replace an earlier
 * gradsweep report: a directory whose every file is listed in that report's manifest ({@value #MANIFEST}, written
 * last, one file name a line). Anything else there is someone else's, and is never overwritten.
 *
 * @param previous the earlier report's files, deleted before the new ones are written; empty if there is none
 */
public record ReportTarget(Path dir, List<String> previous) {
    static final String MANIFEST = ".gradsweep-report";

    public ReportTarget {
        previous = List.copyOf(previous);
    }

    public static ReportTarget check(String to) {
        Path dir = Path.of(to).toAbsolutePath().normalize();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw refused(to, p.equals(dir) ? "a file" : "under the file " + p);
            }
        }
        if (!Files.isDirectory(dir)) {
            return new ReportTarget(dir, List.of());
        }
        try {
            Set<String> present = list(dir);
            List<String> manifest = Files.exists(dir.resolve(MANIFEST))
                    ? Files.readAllLines(dir.resolve(MANIFEST)).stream().filter(ReportTarget::plainName).toList()
                    : List.of();
            present.remove(MANIFEST);
            present.removeAll(manifest);
            if (!present.isEmpty()) {
                String names = present.stream().limit(5).collect(Collectors.joining(", "))
                        + (present.size() > 5 ? " and " + (present.size() - 5) + " more" : "");
                throw refused(to, "a directory holding files that are not a gradsweep report's (" + names + ")");
            }
            return new ReportTarget(dir, manifest.stream().filter(n -> Files.exists(dir.resolve(n))).toList());
        } catch (IOException e) {
            throw refused(to, "not readable (" + e.getMessage() + ")");
        }
    }

    /** Removes the earlier report, so that none of its figures outlives it, and makes the directory. */
    void prepare() throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST)); // first: a half-replaced report must not pass for a whole one
        for (String name : previous) {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    /** Records the files just written as this directory's report. */
    void finish(List<Path> written) throws IOException {
        List<String> names = new ArrayList<>();
        written.forEach(p -> names.add(p.getFileName().toString()));
        Files.write(dir.resolve(MANIFEST), names);
    }

    private static Set<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A manifest names files in the directory itself: a line naming anything else is not ours to delete. */
    private static boolean plainName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".")
                && !name.equals("..") && !name.equals(MANIFEST);
    }

    private static InvalidInputException refused(String to, String what) {
        return new InvalidInputException("Cannot write report: '--to' is " + to + ", " + what + "; expected a new or "
                + "empty directory, or one holding an earlier gradsweep report — pass another --to");
    }
}
