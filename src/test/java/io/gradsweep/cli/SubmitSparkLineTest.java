package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh refuses a jar built for another Spark than its spark-submit's, read from the jar's manifest and from
 * the Spark install's spark-core jar name. A manifest-only jar stands for gradsweep's, and a stub spark-submit,
 * which only says it ran, for Spark's; the launcher is sourced for its functions, as in {@link SubmitCdsTest}.
 */
class SubmitSparkLineTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    Path jar(String spark, String scala) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Gradsweep-Spark", spark);
        m.getMainAttributes().putValue("Gradsweep-Scala", scala);
        Path jar = dir.resolve("gradsweep-" + spark + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }

    /** A SPARK_HOME whose jars/ has only the (empty) spark-core jar of that name, and a stub bin/spark-submit. */
    Path sparkHome(String coreJar) throws IOException {
        Path home = dir.resolve("spark-" + coreJar);
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("bin"));
        Files.createFile(home.resolve("jars").resolve(coreJar));
        Path submit = Files.writeString(home.resolve("bin/spark-submit"), "#!/bin/sh\necho \"spark-submit ran\"\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    Run submit(Path jar, Path home, String line) throws Exception {
        String script = "source submit.sh; JAR=" + jar + "; EXTRA=(); run_cluster spark://127.0.0.1:7077 run spec.yaml";
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", script));
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("GRADSWEEP_SPARK", line);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void aSpark35JarIsRefusedBySpark4AndTheSpark4JarBySpark35() throws Exception {
        Path spark4 = sparkHome("spark-core_2.13-4.2.0.jar");
        Path spark35 = sparkHome("spark-core_2.12-3.5.7.jar");
        Run r = submit(jar("3.5", "2.12"), spark4, "3.5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty(); // spark-submit never started
        assertThat(r.err().strip()).isEqualTo("submit.sh: Cannot submit sweep: 'GRADSWEEP_SPARK' is 3.5, whose jar "
                + dir.resolve("gradsweep-3.5.jar") + " is built for Spark 3.5 (Scala 2.12), but spark-submit at "
                + spark4 + " is Spark 4.2.0 (Scala 2.13); expected GRADSWEEP_SPARK=3.5 with Spark 3.5 (Scala 2.12), "
                + "or GRADSWEEP_SPARK=4 with Spark 4 (Scala 2.13)");
        Run back = submit(jar("4", "2.13"), spark35, "4");
        assertThat(back.code()).isEqualTo(2);
        assertThat(back.out()).isEmpty();
        assertThat(back.err()).contains("is built for Spark 4 (Scala 2.13), but spark-submit at " + spark35
                + " is Spark 3.5.7 (Scala 2.12)");
    }

    @Test
    void aMatchingJarIsSubmittedAndSpark35WithScala213IsRefused() throws Exception {
        Run ok = submit(jar("4", "2.13"), sparkHome("spark-core_2.13-4.1.1.jar"), "4");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out().strip()).isEqualTo("spark-submit ran");
        Run ok35 = submit(jar("3.5", "2.12"), sparkHome("spark-core_2.12-3.5.1.jar"), "3.5");
        assertThat(ok35.code()).as(ok35.err()).isZero();
        // Spark 3.5 has Scala 2.13 builds too, and dl4j-spark is Scala 2.12 only
        Run scala = submit(jar("3.5", "2.12"), sparkHome("spark-core_2.13-3.5.7.jar"), "3.5");
        assertThat(scala.code()).isEqualTo(2);
        assertThat(scala.err()).contains("is Spark 3.5.7 (Scala 2.13); expected");
    }

    @Test
    void anUnknownBuildChoiceExitsTwo() throws Exception {
        Run r = submit(jar("4", "2.13"), sparkHome("spark-core_2.13-4.2.0.jar"), "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("submit.sh: Cannot choose the build: 'GRADSWEEP_SPARK' is '3'; "
                + "expected one of 3.5, 4");
    }
}
