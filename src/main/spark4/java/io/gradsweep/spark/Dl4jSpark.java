package io.gradsweep.spark;

import io.gradsweep.InvalidInputException;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.spec.TrainSpec;
import io.gradsweep.train.DataParallelTrainer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark 4 build's copy (src/main/spark4) of what the Spark 3.5 build takes from dl4j-spark: nothing, since
 * dl4j-spark exists only for Scala 2.12 and Spark 4 is Scala 2.13. Data-parallel sweeps are refused before any
 * output is touched; everything else runs as on Spark 3.5. Keeps the members of the spark3 copy.
 */
final class Dl4jSpark {
    /** No ND4J registrator: it lives in dl4j-spark, and no INDArray crosses the wire outside data-parallel mode. */
    static final String KRYO_REGISTRATORS = "";

    private Dl4jSpark() {
    }

    static void requireSupported(SweepSpec spec) {
        if (spec.train().isDataParallel()) {
            throw new InvalidInputException("Cannot run data-parallel training: 'train.mode' is "
                    + TrainSpec.DATA_PARALLEL + "; expected " + TrainSpec.LOCAL + " with this jar, which is built for "
                    + "Spark 4 (Scala 2.13), while DL4J's parameter averaging (dl4j-spark) exists only for Scala 2.12: "
                    + "use the Spark 3.5 build (mvn package, target/gradsweep.jar) on a Spark 3.5 cluster");
        }
    }

    /** Unreachable: {@link #requireSupported} refuses every data-parallel sweep first. */
    static DataParallelTrainer.Cluster cluster(JavaSparkContext jsc) {
        throw new IllegalStateException("data-parallel mode is not built into the Spark 4 jar");
    }
}
