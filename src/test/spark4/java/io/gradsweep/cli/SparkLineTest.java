package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spark.KryoRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark 4 build: Spark 4 and Scala 2.13 on the classpath, no dl4j-spark, and data-parallel mode refused. */
class SparkLineTest {
    @TempDir
    Path dir;

    @Test
    void buildsAgainstSpark4AndScala213WithoutDl4jSpark() {
        assertThat(org.apache.spark.package$.MODULE$.SPARK_VERSION()).startsWith("4.");
        assertThat(scala.util.Properties$.MODULE$.versionNumberString()).startsWith("2.13.");
        assertThat(getClass().getClassLoader().getResource("org/nd4j/kryo/Nd4jRegistrator.class")).isNull();
        assertThat(KryoRecords.REGISTRATORS).isEqualTo("io.gradsweep.spark.KryoRecords");
    }

    @Test
    void dataParallelRunExitsTwoWithTheReasonBeforeAnythingIsWritten() throws IOException {
        Path spec = Files.writeString(dir.resolve("dp.yaml"), Files.readString(Path.of("conf/circles-vanishing.yaml"))
                .replace("  batch_size: 32\n", "  batch_size: 32\n  mode: data-parallel\n"
                        + "  data_parallel: {workers: 2}\n"));
        Path out = dir.resolve("out");
        CliTest.Result r = CliTest.exec("run", spec.toString(), "--out", out.toString(), "--master", "local[1]");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err().strip()).isEqualTo("Cannot run data-parallel training: 'train.mode' is data-parallel; "
                + "expected local with this jar, which is built for Spark 4 (Scala 2.13), while DL4J's parameter "
                + "averaging (dl4j-spark) exists only for Scala 2.12: use the Spark 3.5 build (mvn package, "
                + "target/gradsweep.jar) on a Spark 3.5 cluster");
        assertThat(out).doesNotExist();
        // plan still explains the split: the spec is valid, only this jar cannot train it
        assertThat(CliTest.exec("plan", spec.toString()).code()).isEqualTo(Main.OK);
    }
}
