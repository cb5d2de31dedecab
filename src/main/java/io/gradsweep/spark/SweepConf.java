package io.gradsweep.spark;

import io.gradsweep.spec.CostLimits;
import org.apache.spark.SparkConf;

/**
 * The Spark settings of every session that trains a sweep: {@code run}'s and the benchmark's. Kept in one place so
 * that the benchmark measures the serializer a real sweep uses, not Spark's default Java serialization.
 */
public final class SweepConf {
    private SweepConf() {
    }

    /**
     * @param master a Spark master URL, or null for spark-submit's, else local[*]
     * @param appName used unless spark-submit named the application
     */
    public static SparkConf of(String master, String appName) {
        SparkConf conf = base(master, appName);
        // Kryo with ND4J's registrator for the arrays data-parallel training ships; KryoRecords for our records.
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", KryoRecords.REGISTRATORS);
        return conf;
    }

    /** What every gradsweep session shares, queries and reports included: master, name, no console progress bars. */
    public static SparkConf base(String master, String appName) {
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }

    /**
     * The memory of the JVM that trains, which {@code run}'s cost limits check: in local mode this one, else an
     * executor's ({@code spark.executor.memory}, Spark's default 1g). ND4J's off-heap limit defaults to the JVM's max
     * heap, so the heap stands for both. Not in RunCommand: picocli reflects over a command's methods, and a SparkConf
     * in a signature there made {@code java -jar gradsweep.jar --help} die of NoClassDefFoundError.
     */
    public static CostLimits.Budget budget(SparkConf conf) {
        String master = conf.get("spark.master");
        if (master.equals("local") || master.startsWith("local[")) {
            return new CostLimits.Budget(Runtime.getRuntime().maxMemory(),
                    "the max heap of this driver JVM (-Xmx), which trains in local mode");
        }
        String memory = conf.get("spark.executor.memory", "1g");
        return new CostLimits.Budget(conf.getSizeAsBytes("spark.executor.memory", "1g"),
                "spark.executor.memory (" + memory + ") of the executors that train on " + master);
    }
}
