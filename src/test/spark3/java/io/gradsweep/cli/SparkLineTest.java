package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spark.KryoRecords;
import org.junit.jupiter.api.Test;

/** The default build: Spark 3.5 and Scala 2.12, with dl4j-spark and ND4J's Kryo registrator for data-parallel mode. */
class SparkLineTest {
    @Test
    void buildsAgainstSpark35AndScala212WithDl4jSpark() {
        assertThat(org.apache.spark.package$.MODULE$.SPARK_VERSION()).startsWith("3.5.");
        assertThat(scala.util.Properties$.MODULE$.versionNumberString()).startsWith("2.12.");
        assertThat(KryoRecords.REGISTRATORS).isEqualTo("org.nd4j.kryo.Nd4jRegistrator,io.gradsweep.spark.KryoRecords");
    }
}
