package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh's class-data archive, on a one-class jar in place of gradsweep's (the test phase has no
 * target/gradsweep.jar): the launcher is sourced for its functions and runs that jar as it runs the CLI.
 */
class SubmitCdsTest {
    @TempDir
    static Path dir;

    static Path jar;
    static Path classpathFile;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void tinyJar() throws IOException {
        Path src = Files.writeString(dir.resolve("Hello.java"), """
                public class Hello {
                    public static void main(String[] args) {
                        System.out.println("hello " + String.join(" ", args));
                        if (args.length > 0 && args[0].equals("fail")) {
                            System.exit(3);
                        }
                    }
                }
                """);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), src.toString()))
                .isZero();
        jar = dir.resolve("tiny.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("Hello.class"));
            out.write(Files.readAllBytes(dir.resolve("Hello.class")));
        }
        classpathFile = Files.writeString(dir.resolve("classpath.txt"), jar.toString()); // stands in for Spark's
    }

    /** Runs {@code run_embedded} for a command that uses the archive; {@code log} records where classes came from. */
    static Run launch(Path cache, Map<String, String> env, Path log, String... args) throws Exception {
        String script = "source submit.sh; JAR=" + jar + "; SPARK_CP_FILE=" + classpathFile + "; MAIN=Hello; "
                + "CDS=1 run_embedded \"$@\"";
        List<String> cmd = Stream.concat(Stream.of("bash", "-c", script, "submit-cds-test"), Stream.of(args)).toList();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("GRADSWEEP_CDS_DIR", cache.toString());
        pb.environment().put("JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        pb.environment().remove("GRADSWEEP_NO_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    static List<String> files(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static boolean fromArchive(Path log) throws IOException {
        return Files.readString(log).lines().anyMatch(l -> l.contains(" Hello source: shared objects file (top)"));
    }

    @Test
    void theFirstRunWritesTheArchiveAndLaterRunsMapIt() throws Exception {
        Path cache = dir.resolve("cache-reuse");
        Run first = launch(cache, Map.of(), dir.resolve("first.log"), "query", "x");
        assertThat(first).isEqualTo(new Run(0, "hello query x\n", ""));
        assertThat(fromArchive(dir.resolve("first.log"))).isFalse();
        List<String> written = files(cache);
        assertThat(written).hasSize(2).allMatch(f -> f.matches("gradsweep-[0-9]+\\.jsa(\\.size)?"));
        Path archive = cache.resolve(written.get(0));
        assertThat(Files.readString(cache.resolve(written.get(1))).trim())
                .isEqualTo(Long.toString(Files.size(archive)));
        long modified = Files.getLastModifiedTime(archive).toMillis();

        Run second = launch(cache, Map.of(), dir.resolve("second.log"), "query", "y");
        assertThat(second).isEqualTo(new Run(0, "hello query y\n", ""));
        assertThat(fromArchive(dir.resolve("second.log"))).isTrue();
        assertThat(files(cache)).isEqualTo(written);
        assertThat(Files.getLastModifiedTime(archive).toMillis()).isEqualTo(modified);
    }

    /** JDK 17 dies of SIGBUS mapping a truncated archive: one whose size is not the recorded one is rebuilt. */
    @Test
    void aTruncatedArchiveIsRebuiltNotMapped() throws Exception {
        Path cache = dir.resolve("cache-truncated");
        assertThat(launch(cache, Map.of(), dir.resolve("t1.log"), "report").code()).isZero();
        Path archive = cache.resolve(files(cache).get(0));
        long size = Files.size(archive);
        archive.toFile().setWritable(true);
        try (var ch = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        Run run = launch(cache, Map.of(), dir.resolve("t2.log"), "report");
        assertThat(run).isEqualTo(new Run(0, "hello report\n", ""));
        assertThat(fromArchive(dir.resolve("t2.log"))).isFalse();
        assertThat(Files.size(archive)).isEqualTo(size);
        assertThat(fromArchive(dir.resolve("t2.log"))).isFalse();
        launch(cache, Map.of(), dir.resolve("t3.log"), "report");
        assertThat(fromArchive(dir.resolve("t3.log"))).isTrue();
    }

    /** A run that fails keeps its exit code and leaves no archive (nor a temporary one) behind. */
    @Test
    void aFailedRunLeavesNoArchive() throws Exception {
        Path cache = dir.resolve("cache-failed");
        Run run = launch(cache, Map.of(), dir.resolve("f.log"), "fail");
        assertThat(run).isEqualTo(new Run(3, "hello fail\n", ""));
        assertThat(files(cache)).isEmpty();
    }

    @Test
    void usersCanTurnItOffAndExtraJarsSkipIt() throws Exception {
        Path off = dir.resolve("cache-off");
        assertThat(launch(off, Map.of("GRADSWEEP_NO_CDS", "1"), dir.resolve("o.log"), "query").code()).isZero();
        assertThat(files(off)).isEmpty();
        Path jars = dir.resolve("cache-jars");
        Run run = launch(jars, Map.of("EXTRA_CP", ":" + jar), dir.resolve("j.log"), "query");
        assertThat(run.code()).isZero();
        assertThat(files(jars)).isEmpty();
        // a flight recording over a dynamic archive crashes JDK 17.0.15 (SIGSEGV in the class-file-load hook)
        Path jfr = dir.resolve("cache-jfr");
        Run recorded = launch(jfr, Map.of("JAVA_OPTS", "-XX:StartFlightRecording=filename=" + dir.resolve("r.jfr")),
                dir.resolve("unused.log"), "query");
        assertThat(recorded.code()).isZero();
        assertThat(files(jfr)).isEmpty();
    }

}
