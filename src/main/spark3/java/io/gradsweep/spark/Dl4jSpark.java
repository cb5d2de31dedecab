package io.gradsweep.spark;

import io.gradsweep.spec.SweepSpec;
import io.gradsweep.train.DataParallelTrainer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What this build takes from DL4J's Spark integration, dl4j-spark, which is published only for Scala 2.12: this is
 * the Spark 3.5 build's copy (src/main/spark3), which has it. The Spark 4 build compiles its own copy of this class
 * (src/main/spark4) without dl4j-spark; the two keep the same members.
 */
final class Dl4jSpark {
    /** ND4J's Kryo registrator (INDArrays in DL4J's parameter-averaging messages), first in spark.kryo.registrator. */
    static final String KRYO_REGISTRATORS = "org.nd4j.kryo.Nd4jRegistrator,";

    private Dl4jSpark() {
    }

    /** Data-parallel mode is available in this build: nothing to refuse. */
    static void requireSupported(SweepSpec spec) {
    }

    /** DL4J's parameter averaging across the cluster, for {@code train.mode: data-parallel}. */
    static DataParallelTrainer.Cluster cluster(JavaSparkContext jsc) {
        return new SparkReplicas(jsc);
    }
}
