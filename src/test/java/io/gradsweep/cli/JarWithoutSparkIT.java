package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar run as {@code java -jar}, where Spark (a provided dependency) is absent: what needs no Spark
 * works, and what needs it says how to run it instead of dying of NoClassDefFoundError. Runs after packaging.
 */
class JarWithoutSparkIT {
    private static final Path JAR = Path.of("target", "gradsweep.jar");

    record Run(int code, String out, String err) {
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void helpListsEveryCommand() throws Exception {
        Run help = java("--help");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: gradsweep [-hV] [COMMAND]");
        for (String command : List.of("run", "plan", "query", "report", "ui", "bench")) {
            assertThat(help.out()).containsPattern("(?m)^  " + command + " +\\S");
        }
        assertThat(java("run", "--help").out()).startsWith("Usage: gradsweep run ");
    }

    @Test
    void planNeedsNoSpark() throws Exception {
        Run plan = java("plan", "conf/circles-vanishing.yaml");
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("15 trials, 100 epochs x batch 32");
    }

    @Test
    void runWithoutSparkExplainsAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results");
        Run run = java("run", "conf/circles-vanishing.yaml", "--out", out.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("Cannot run 'run': Spark is not on the classpath; expected "
                + "./submit.sh run, spark-submit, or java -cp with Spark's jars (target/spark-classpath.txt)");
        assertThat(Files.exists(out)).isFalse();
    }
}
