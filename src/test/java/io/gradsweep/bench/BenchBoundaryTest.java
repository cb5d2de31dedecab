package io.gradsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Production code must not depend on the benchmark: only the bench package and its CLI command may name it. Reads
 * the compiled classes rather than the sources, since a class names every class it uses in its constant pool,
 * whether the source imported it, spelled it out or reached it through a wildcard.
 */
class BenchBoundaryTest {
    private static final String BENCH = "io/gradsweep/bench/";

    @Test
    void nothingOutsideTheBenchAndItsCommandReferencesTheBench() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> all;
        try (Stream<Path> s = Files.walk(classes)) {
            all = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        List<String> offenders = all.stream().map(p -> classes.relativize(p).toString().replace('\\', '/'))
                .filter(name -> !name.startsWith(BENCH) && !isBenchCommand(name))
                .filter(name -> references(classes.resolve(name))).toList();
        assertThat(all).as("compiled classes under " + classes).hasSizeGreaterThan(100);
        assertThat(references(classes.resolve("io/gradsweep/cli/BenchCommand.class")))
                .as("the scan sees the one reference that is allowed").isTrue();
        assertThat(offenders).as("classes outside the benchmark that reference it").isEmpty();
    }

    private static boolean isBenchCommand(String name) {
        return name.equals("io/gradsweep/cli/BenchCommand.class") || name.startsWith("io/gradsweep/cli/BenchCommand$");
    }

    /** Class names in a constant pool are plain ASCII in modified UTF-8, so a byte search finds them. */
    private static boolean references(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(BENCH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
