package io.gradsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** run and the benchmark train on one configuration; this pins what it holds. */
class SweepConfTest {
    @Test
    void sweepsUseKryoWithOurRegistratorsAndTheGivenMaster() {
        SparkConf conf = SweepConf.of("local[2]", "gradsweep test");
        assertThat(conf.get("spark.master")).isEqualTo("local[2]");
        assertThat(conf.get("spark.app.name")).isEqualTo("gradsweep test");
        assertThat(conf.get("spark.serializer")).isEqualTo("org.apache.spark.serializer.KryoSerializer");
        // ND4J's registrator comes first where the build has dl4j-spark (SparkLineTest pins each build's list)
        assertThat(conf.get("spark.kryo.registrator")).isEqualTo(KryoRecords.REGISTRATORS)
                .endsWith("io.gradsweep.spark.KryoRecords").doesNotContain(" ");
        assertThat(conf.get("spark.ui.showConsoleProgress")).isEqualTo("false");
    }
}
